//! The bulk CSV reader: any bytes give rows or an `InvalidInput` error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match entra_invite::bulk::read_rows(data) {
        Ok(rows) => {
            for r in rows {
                if let Err(e) = r.request {
                    assert_eq!(e.kind(), entra_invite::ErrorKind::InvalidInput);
                }
            }
        }
        Err(e) => assert_eq!(e.kind(), entra_invite::ErrorKind::InvalidInput),
    }
});
