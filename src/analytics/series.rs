//! The per-minute series: a ring of the last 24 hours of `Counts`, one slot
//! per Unix minute. Fixed size whatever the traffic; a slot remembers which
//! minute it holds, so a minute with no traffic reads as zero without any
//! timer clearing it.

use super::counts::Counts;
use serde::{Deserialize, Serialize};

/// 24 hours of minutes.
pub const MINUTES: usize = 24 * 60;

pub(crate) struct Series {
    /// `(unix minute, counts)`; slot `m % MINUTES` holds minute `m`.
    slots: Box<[(u32, Counts)]>,
}

impl Default for Series {
    fn default() -> Self {
        Series {
            slots: vec![(u32::MAX, Counts::default()); MINUTES].into_boxed_slice(),
        }
    }
}

impl Series {
    /// The counts of `minute`, reset first when the slot held an older one.
    /// `None` for a minute more than 24 hours before the newest one seen.
    pub fn at(&mut self, minute: u32) -> Option<&mut Counts> {
        let slot = &mut self.slots[minute as usize % MINUTES];
        if slot.0 == minute {
            return Some(&mut slot.1);
        }
        if slot.0 != u32::MAX && slot.0 > minute {
            return None;
        }
        *slot = (minute, Counts::default());
        Some(&mut slot.1)
    }

    /// The `len` minutes ending with `end` (inclusive), oldest first.
    pub fn window(&self, end: u32, len: usize) -> Window {
        let len = len.min(MINUTES);
        if len == 0 {
            return Window::default();
        }
        let start = end.saturating_sub(len as u32 - 1);
        let points = (start..=end)
            .map(|m| match self.slots[m as usize % MINUTES] {
                (held, counts) if held == m => counts,
                _ => Counts::default(),
            })
            .collect();
        Window { start, points }
    }
}

/// A run of consecutive minutes, as it travels in a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Unix minute of the first point.
    pub start: u32,
    pub points: Vec<Counts>,
}

impl Window {
    /// Adds `other` minute by minute; the result covers the later end and
    /// the longer length of the two.
    pub fn add(&mut self, other: &Window) {
        if other.points.is_empty() {
            return;
        }
        if self.points.is_empty() {
            *self = other.clone();
            return;
        }
        let end = self.end().max(other.end());
        let len = self.points.len().max(other.points.len());
        let start = end + 1 - len as u32;
        let mut points = vec![Counts::default(); len];
        for w in [&*self, other] {
            for (i, c) in w.points.iter().enumerate() {
                if let Some(p) = (w.start + i as u32)
                    .checked_sub(start)
                    .and_then(|at| points.get_mut(at as usize))
                {
                    p.add(c);
                }
            }
        }
        *self = Window { start, points };
    }

    /// Adds counts to one minute, when the window covers it.
    pub fn add_at(&mut self, minute: u32, counts: &Counts) {
        if let Some(p) = minute
            .checked_sub(self.start)
            .and_then(|at| self.points.get_mut(at as usize))
        {
            p.add(counts);
        }
    }

    fn end(&self) -> u32 {
        self.start + self.points.len() as u32 - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_miss() -> Counts {
        Counts {
            miss: 1,
            ..Counts::default()
        }
    }

    #[test]
    fn a_slot_is_reused_a_day_later() {
        let mut s = Series::default();
        s.at(100).unwrap().add(&one_miss());
        s.at(100 + MINUTES as u32).unwrap().add(&one_miss());
        assert!(s.at(100).is_none(), "a day older than the newest minute");
        let w = s.window(100 + MINUTES as u32, 2);
        assert_eq!(w.points[1].miss, 1, "the new minute starts from zero");
        assert_eq!(w.points[0], Counts::default());
    }

    #[test]
    fn the_window_reads_empty_minutes_as_zero() {
        let mut s = Series::default();
        s.at(1000).unwrap().add(&one_miss());
        s.at(1003).unwrap().add(&one_miss());
        let w = s.window(1004, 5);
        assert_eq!(w.start, 1000);
        let misses: Vec<u64> = w.points.iter().map(|c| c.miss).collect();
        assert_eq!(misses, [1, 0, 0, 1, 0]);
    }

    #[test]
    fn windows_add_minute_by_minute() {
        let mut a = Window {
            start: 10,
            points: vec![one_miss(); 3],
        };
        let b = Window {
            start: 11,
            points: vec![one_miss(); 3],
        };
        a.add(&b);
        assert_eq!(a.start, 11);
        let misses: Vec<u64> = a.points.iter().map(|c| c.miss).collect();
        assert_eq!(misses, [2, 2, 1]);
    }
}
