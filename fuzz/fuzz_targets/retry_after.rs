//! `Retry-After` parsing: any header text gives a wait or none, never a panic or an absurd wait.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Some(d) = entra_invite::http::parse_retry_after(s, SystemTime::now()) {
            assert!(
                d <= Duration::from_secs(86_400 * 366 * 200),
                "{s:?} -> {d:?}"
            );
        }
    }
});
