//! How a missing chart is filled, as an ordered pipeline run once per key
//! (the single-flight leader's task):
//!
//! 1. Redis GET: another replica may have rendered it already.
//! 2. Redis lease (`SET NX PX`): one replica in the cluster renders; the
//!    others wait for the "done" message and read the result.
//! 3. Render on this process's pool.
//! 4. Store in Redis (framed, with the TTL) without delaying the response.
//!
//! Redis only ever saves work: when it is down (the breaker is open) or
//! without the picture, the pipeline falls through to a local render; a single
//! failed operation while the breaker is closed is retried instead, since
//! rendering then would duplicate the lease holder's render. When a lease holder dies,
//! its lease expires and a waiter claims it and renders. When the holder's
//! render fails, it releases the lease and a waiter tries in turn, until the
//! render deadline; a render that fails here fails for this replica's waiters
//! (the flight publishes it) and is never stored.

use super::entry::Entry;
use super::local::flight::{Fill, Source};
use super::shared::{Cached, Claim, Lookup, RedisTier, Wait};
use crate::chart::{ChartKey, Prepared};
use crate::render::pool::{RenderFailure, RenderPool};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Everything a fill needs, cloned into the fill task.
#[derive(Clone)]
pub(crate) struct Filler {
    pub(crate) pool: Arc<RenderPool>,
    pub(crate) redis: Option<RedisTier>,
    /// How long a replica waits on another's lease before giving up: the
    /// render deadline, since the holder's render is bounded by it too.
    pub(crate) wait_limit: Duration,
}

impl Filler {
    pub(crate) async fn fill(self, chart: Arc<Prepared>) -> Result<Fill, RenderFailure> {
        let key = chart.key;
        let Some(redis) = &self.redis else {
            return self.render(chart).await.map(rendered);
        };
        let format = chart.req.output.format;
        let first = redis.get_chart(&key, format).await;
        if let Lookup::Hit(cached) = first {
            return Ok(from_redis(key, cached, Source::Redis));
        }
        let deadline = Instant::now() + self.wait_limit;
        loop {
            match redis.acquire_lease(key).await {
                Claim::Acquired(lease) => {
                    // The previous holder may have stored the picture and
                    // freed the lease between our GET (or its timeout) and
                    // our claim. A corrupt value stays corrupt: render over it.
                    if !matches!(first, Lookup::Corrupt) {
                        if let Lookup::Hit(cached) = redis.get_chart(&key, format).await {
                            lease.release();
                            return Ok(from_redis(key, cached, Source::Redis));
                        }
                    }
                    return match self.render(chart).await {
                        Ok(entry) => {
                            lease.complete(redis.codec().encode_entry(&entry));
                            Ok(rendered(entry))
                        }
                        Err(e) => {
                            lease.release();
                            Err(e)
                        }
                    };
                }
                Claim::Busy => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    match redis.wait_for_result(key, format, left).await {
                        Wait::Landed(cached) => return Ok(from_redis(key, cached, Source::Peer)),
                        Wait::LeaseGone if Instant::now() < deadline => continue,
                        Wait::LeaseGone | Wait::TimedOut => return Err(RenderFailure::Timeout),
                        Wait::Unavailable if retry(redis, deadline).await => continue,
                        Wait::Unavailable => break,
                    }
                }
                Claim::Unavailable if retry(redis, deadline).await => continue,
                Claim::Unavailable => break,
            }
        }
        let entry = self.render(chart).await?;
        redis.store_chart(key, redis.codec().encode_entry(&entry));
        Ok(rendered(entry))
    }

    async fn render(&self, chart: Arc<Prepared>) -> Result<Arc<Entry>, RenderFailure> {
        let (key, format) = (chart.key, chart.req.output.format);
        let drawer = chart.req.drawer();
        let done = self.pool.render(chart).await?;
        Ok(Arc::new(
            Entry::new(key, done.body, format, done.took)
                .drawn_by(drawer)
                .with_missing_glyphs(done.missing_glyphs),
        ))
    }
}

/// Pause between two tries after a Redis operation failed.
const RETRY_PAUSE: Duration = Duration::from_millis(20);

/// Whether to try the lease again after one failed operation: yes while the
/// breaker still counts Redis as up and the deadline allows. One slow answer
/// under load is not an outage, and rendering at once would be the very
/// duplicate render the lease exists to prevent; a real outage opens the
/// breaker within a few failures and the fill renders locally.
async fn retry(redis: &RedisTier, deadline: Instant) -> bool {
    if !redis.is_up() || Instant::now() + RETRY_PAUSE >= deadline {
        return false;
    }
    tokio::time::sleep(RETRY_PAUSE).await;
    true
}

fn rendered(entry: Arc<Entry>) -> Fill {
    Fill {
        entry,
        source: Source::Rendered,
    }
}

fn from_redis(key: ChartKey, cached: Cached, source: Source) -> Fill {
    let entry = cached.frame.into_entry(key).with_ttl(cached.ttl_left);
    Fill {
        entry: Arc::new(entry),
        source,
    }
}
