//! The shared Redis tier: rendered charts and `/chart/create` specs shared by
//! every replica, a cluster-wide single-flight lease, and purges that reach
//! every replica's memory.
//!
//! `tier.rs`'s `RedisTier` is the whole API. What sits behind it, each file
//! importing only files listed after it:
//! - `lease.rs`: the lease protocol, and what waiters do when the holder fails;
//! - `pubsub.rs`: the one subscription per process ("done" and "purge");
//! - `cached.rs`: a picture read back and checked, with the TTL Redis has left;
//! - `frame.rs`: the checked framing of stored charts, bound to their key
//!   and format, with a MAC under `redis.signing_key`;
//! - `link.rs`: the connection (one server or a Cluster) and the
//!   per-operation deadline (`redis.timeout_ms`), the only place that sends
//!   commands, behind
//! - `breaker.rs`: the circuit breaker;
//! - `keys.rs`: every key and channel name (analytics uses them too).
//!
//! Fail-safe by construction: every method answers within the deadline
//! (`Lookup::Unavailable`, `Claim::Unavailable`, `Err(Unavailable)`, …) and
//! answers at once while the breaker is down, so the caller serves from
//! memory and renders locally. Nothing here can fail a request or start-up.
//!
//! Key layout (see `keys`): one chart's keys share the hash tag `{<key hex>}`
//! and so one Cluster slot, which lets a Lua script or a pipeline touch the
//! picture and the lease together:
//!
//! ```text
//! chartgate:<version>:{<key hex>}:img     framed picture, PX = cache TTL
//! chartgate:<version>:{<key hex>}:spec    canonical request of a short URL, PX = cache TTL, refreshed on read
//! chartgate:<version>:{<key hex>}:lease   render lease: random token, PX = lease TTL
//! chartgate:v1:done                channel: "<key hex>" after a render finished
//! chartgate:v1:purge               channel: "<key hex>" or "*"
//! ```

mod breaker;
mod cached;
pub mod frame;
pub mod keys;
mod lease;
pub(crate) mod link;
mod pubsub;
mod tier;

pub use cached::Cached;
pub use lease::{Claim, Lease, Wait};
pub use link::Unavailable;
pub use pubsub::Purge;
pub use tier::{Lookup, RedisTier, TierOptions};
