//! The local tier: what this process decides alone, without the network.
//! `memory.rs` holds rendered charts, bounded in bytes; `alias.rs` maps a
//! GET's raw query to the key it parsed to, so a known URL skips parsing;
//! `flight.rs` makes concurrent misses on one key share one fill.

pub(crate) mod alias;
pub(crate) mod flight;
pub(crate) mod memory;
