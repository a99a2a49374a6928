//! chartgate: a caching chart-image gateway.
//!
//! A request flows through these modules in order:
//! - `http` reads QuickChart-style parameters and routes the request;
//! - `chart` parses the Chart.js config into a typed, defaulted `ChartSpec`
//!   and derives its blake3 `ChartKey`;
//! - `cache` answers from the byte-bounded memory tier, and on a miss starts
//!   one render per key (single-flight) that every identical request waits on;
//! - `render` draws the spec with plotters on a bounded pool of render threads;
//! - `origin` fronts existing chart services (`/o/<name>/…`) through the
//!   same tiers;
//! - `metrics` counts all of it for Prometheus, labelled by the enums of
//!   `labels` (`CacheStatus`, `Route`, …), which every layer shares.
//!
//! `app` wires these together into `App`, the state every request reads.
//!
//! `server::run(listener, app, shutdown)` is the whole gateway; `main.rs` only
//! reads flags and config, binds, and calls it.

pub mod analytics;
pub mod app;
pub mod cache;
pub mod chart;
pub mod config;
pub mod http;
pub mod intl;
pub mod labels;
pub mod metrics;
pub mod origin;
pub mod render;
pub mod script;
pub mod server;
