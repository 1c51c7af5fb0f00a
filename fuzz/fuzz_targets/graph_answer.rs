//! Graph's answers: any body, as an error (any status) or as the resources we read, is handled
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 400 + u16::from(data[0]) % 200;
    let body = &data[1..];
    let e = entra_invite::http::error_from_answer(status, body);
    let _ = format!("{e} {e:?}");
    let _ = serde_json::from_slice::<entra_invite::Invitation>(body);
    let _ = serde_json::from_slice::<entra_invite::User>(body);
});
