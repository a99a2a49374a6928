//! The properties chartgate's fuzz targets check, one function per target.
//!
//! They live here, not in the targets, so `tests/fuzz_regressions.rs` can
//! replay every crash the fuzzer ever found through exactly the same checks
//! (it includes `checks.rs` by path) on every CI run, without libFuzzer.

pub mod checks;
