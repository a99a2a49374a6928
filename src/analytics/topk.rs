//! The space-saving summary (Metwally, Agrawal, El Abbadi 2005): the heavy
//! hitters of an unbounded stream of keys in `capacity` counters.
//!
//! A key already counted is incremented. A new key takes a free counter, or
//! when all are taken, the counter with the smallest count: it inherits that
//! count (its `error`) plus its own weight. Hence, after a stream of total
//! weight `N`:
//! - a listed key's true count is within `count - error ..= count`;
//! - `error <= min count <= N / capacity`;
//! - every key whose true count exceeds `N / capacity` is listed.
//!
//! Counters sit in a binary min-heap keyed by count, with a map from key to
//! heap slot, so one update is O(log capacity) and memory is fixed.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

pub(crate) struct Counter<K, V> {
    pub(crate) key: K,
    pub(crate) count: u64,
    pub(crate) error: u64,
    /// What the caller tracks beside the count, since the key was admitted.
    pub(crate) value: V,
}

pub(crate) struct SpaceSaving<K, V, S> {
    capacity: usize,
    index: HashMap<K, usize, S>,
    heap: Vec<Counter<K, V>>,
    total: u64,
}

impl<K, V, S> SpaceSaving<K, V, S>
where
    K: Hash + Eq + Clone,
    V: Default,
    S: BuildHasher + Default,
{
    pub(crate) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        SpaceSaving {
            capacity,
            index: HashMap::with_capacity_and_hasher(capacity, S::default()),
            heap: Vec::with_capacity(capacity),
            total: 0,
        }
    }

    /// Counts `weight` more for `key` and returns its counter.
    pub(crate) fn offer<Q>(&mut self, key: &Q, weight: u64) -> &mut Counter<K, V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        self.total += weight;
        let slot = match self.index.get(key) {
            Some(&slot) => {
                self.heap[slot].count += weight;
                slot
            }
            None if self.heap.len() < self.capacity => {
                self.heap.push(Counter {
                    key: key.to_owned(),
                    count: weight,
                    error: 0,
                    value: V::default(),
                });
                self.index.insert(key.to_owned(), self.heap.len() - 1);
                self.sift_up(self.heap.len() - 1)
            }
            None => self.replace_min(key.to_owned(), weight),
        };
        let slot = self.sift_down(slot);
        &mut self.heap[slot]
    }

    fn replace_min(&mut self, key: K, weight: u64) -> usize {
        let min = &mut self.heap[0];
        self.index.remove(&min.key);
        let inherited = min.count;
        *min = Counter {
            key: key.clone(),
            count: inherited + weight,
            error: inherited,
            value: V::default(),
        };
        self.index.insert(key, 0);
        0
    }

    /// Moves a new counter up past larger parents; returns where it ended up.
    fn sift_up(&mut self, mut slot: usize) -> usize {
        while slot > 0 {
            let parent = (slot - 1) / 2;
            if self.heap[parent].count <= self.heap[slot].count {
                break;
            }
            self.swap(slot, parent);
            slot = parent;
        }
        slot
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        for at in [a, b] {
            if let Some(i) = self.index.get_mut(&self.heap[at].key) {
                *i = at;
            }
        }
    }

    /// Restores the heap below `slot` after its count grew; returns where
    /// the counter ended up.
    fn sift_down(&mut self, mut slot: usize) -> usize {
        loop {
            let (l, r) = (2 * slot + 1, 2 * slot + 2);
            let mut smallest = slot;
            for child in [l, r] {
                if child < self.heap.len() && self.heap[child].count < self.heap[smallest].count {
                    smallest = child;
                }
            }
            if smallest == slot {
                return slot;
            }
            self.swap(slot, smallest);
            slot = smallest;
        }
    }

    pub(crate) fn counters(&self) -> impl Iterator<Item = &Counter<K, V>> {
        self.heap.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Total weight offered (`N`).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// An upper bound on the count of any key not listed: the smallest count
    /// once every counter is taken, else 0.
    pub(crate) fn floor(&self) -> u64 {
        if self.heap.len() < self.capacity {
            0
        } else {
            self.heap.first().map_or(0, |c| c.count)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::RandomState;

    type Summary = SpaceSaving<u64, u64, RandomState>;

    #[test]
    fn exact_while_under_capacity() {
        let mut s = Summary::new(10);
        for (key, n) in [(1u64, 5u64), (2, 3), (3, 1)] {
            for _ in 0..n {
                s.offer(&key, 1).value += 1;
            }
        }
        let mut got: Vec<(u64, u64, u64)> =
            s.counters().map(|c| (c.key, c.count, c.error)).collect();
        got.sort();
        assert_eq!(got, [(1, 5, 0), (2, 3, 0), (3, 1, 0)]);
        assert_eq!(s.floor(), 0);
    }

    #[test]
    fn heavy_hitters_survive_a_flood_of_one_off_keys() {
        let mut s = Summary::new(100);
        let mut truth = std::collections::HashMap::new();
        // Three hot keys interleaved with 100,000 keys seen once.
        for i in 0..100_000u64 {
            let key = 1_000_000 + i;
            s.offer(&key, 1);
            *truth.entry(key).or_insert(0u64) += 1;
            if i % 10 == 0 {
                for hot in [1u64, 2, 3] {
                    if i % (10 * hot) == 0 {
                        s.offer(&hot, 1);
                        *truth.entry(hot).or_insert(0) += 1;
                    }
                }
            }
        }
        assert_eq!(s.len(), 100, "never more than capacity");
        let bound = s.total() / s.capacity() as u64;
        for c in s.counters() {
            let t = truth[&c.key];
            assert!(
                c.count >= t && c.count - c.error <= t,
                "{}: {c:?}",
                c.key,
                c = (c.count, c.error)
            );
            assert!(c.error <= bound);
        }
        for hot in [1u64, 2, 3] {
            assert!(truth[&hot] > bound);
            assert!(s.counters().any(|c| c.key == hot), "hot key {hot} listed");
        }
    }

    #[test]
    fn the_smallest_counter_is_always_the_one_replaced() {
        let mut s = Summary::new(16);
        let mut x = 12345u64;
        for _ in 0..20_000 {
            // A skewed pseudo-random stream: small keys far more often.
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let key = (x >> 33) % 64 % ((x >> 50) % 64 + 1);
            s.offer(&key, 1);
            let min = s.counters().map(|c| c.count).min().unwrap();
            assert_eq!(s.heap[0].count, min, "the heap root is the minimum");
            for (slot, c) in s.heap.iter().enumerate() {
                assert_eq!(s.index[&c.key], slot, "the index follows the heap");
            }
        }
    }

    #[test]
    fn string_keys_are_looked_up_by_str() {
        let mut s: SpaceSaving<String, (), RandomState> = SpaceSaving::new(2);
        s.offer("a", 1);
        s.offer("a", 1);
        s.offer("b", 1);
        s.offer("c", 1);
        let mut got: Vec<(String, u64)> = s.counters().map(|c| (c.key.clone(), c.count)).collect();
        got.sort();
        assert_eq!(got, [("a".to_string(), 2), ("c".to_string(), 2)]);
    }
}
