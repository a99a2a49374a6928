//! Fuzz target `literal`: see `chartgate_fuzz::checks::literal` for the property.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chartgate_fuzz::checks::literal(data));
