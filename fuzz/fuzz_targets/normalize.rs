//! Fuzz target `normalize`: see `chartgate_fuzz::checks::normalize` for the property.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chartgate_fuzz::checks::normalize(data));
