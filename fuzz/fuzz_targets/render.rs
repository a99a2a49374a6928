//! Fuzz target `render`: see `chartgate_fuzz::checks::render` for the property.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chartgate_fuzz::checks::render(data));
