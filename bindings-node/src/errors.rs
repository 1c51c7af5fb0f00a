//! Errors: core's `From<Error> for napi::Error` (core/src/bindings/napi.rs) is the one mapping,
//! so `?` converts; `errors.js` reads the details it encodes. Here only what JS asks for.

use napi_derive::napi;

/// The kinds an error can have (`InvalidInput`, `Auth`, ...), for the JS classes and their tests.
#[napi(catch_unwind, ts_return_type = "Array<ErrorKind>")]
pub fn error_kinds() -> Vec<&'static str> {
    entra_invite::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}
