//! Fuzz target `query`: see `chartgate_fuzz::checks::query` for the property.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chartgate_fuzz::checks::query(data));
