//! napi: what the Node addon needs beside the `#[napi]` attributes on the models.
//!
//! - `From<Error> for napi::Error`: the one error mapping. A rejected promise carries only a
//!   message, so the message is `[Kind] message`, a record separator, then `ErrorDetails` as
//!   JSON; the package's `errors.js` turns that into its `Error` subclasses.
//! - Inputs (`InvitationRequest`, `BulkOptions`, `Settings`) are read with serde, which keeps
//!   their `Default`s and refuses unknown properties; a refusal names the property.
//! - Bulk records are written with serde: their counters are `u64`, which napi would turn into
//!   `BigInt`s.
//! - Durations are milliseconds in JavaScript.

use std::time::Duration;

use napi::bindgen_prelude::{FromNapiValue, Object, ToNapiValue};
use napi::{sys, Env, JsValue};
use serde::{Deserialize, Deserializer, Serializer};

use crate::bulk::{BulkOptions, BulkResult, BulkSummary};
use crate::error::Error;
use crate::models::InvitationRequest;
use crate::settings::Settings;

/// Separates the readable message from the JSON details (never produced by the core).
const SEPARATOR: char = '\u{1e}';

// `napi build` sets these while it collects TypeScript declarations: reading them makes cargo
// rebuild this crate when they change, so its `#[napi]` declarations are collected too.
const _: Option<&str> = option_env!("NAPI_TYPE_DEF_TMP_FOLDER");
const _: Option<&str> = option_env!("NAPI_FORCE_BUILD_ENTRA_INVITE");

impl From<Error> for napi::Error {
    fn from(e: Error) -> Self {
        let d = e.details();
        let json = serde_json::to_string(d).unwrap_or_default();
        napi::Error::from_reason(format!("[{}] {}{SEPARATOR}{json}", d.kind, d.message))
    }
}

pub(crate) fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let ms = f64::deserialize(d)?;
    Duration::try_from_secs_f64(ms / 1000.0)
        .map_err(|_| serde::de::Error::custom("must be a non-negative number of milliseconds"))
}

pub(crate) fn opt_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(ms) => millis(serde::de::value::F64Deserializer::<D::Error>::new(ms)).map(Some),
    }
}

pub(crate) fn millis_out<S: Serializer>(v: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_some(&(d.as_secs_f64() * 1000.0)),
        None => s.serialize_none(),
    }
}

macro_rules! from_js {
    ($($t:ty => $what:literal),*) => {$(
        impl FromNapiValue for $t {
            unsafe fn from_napi_value(env: sys::napi_env, v: sys::napi_value) -> napi::Result<Self> {
                let obj = unsafe { Object::from_napi_value(env, v) }
                    .map_err(|_| Error::invalid_input($what, "must be an object"))?;
                let mut de = napi::De::new(&obj);
                serde_path_to_error::deserialize(&mut de).map_err(|e| {
                    let path = e.path().to_string();
                    let field = if path == "." { $what } else { path.as_str() };
                    Error::invalid_input(field, e.into_inner().reason).into()
                })
            }
        }
    )*};
}
from_js!(InvitationRequest => "invitation", BulkOptions => "options", Settings => "options");

macro_rules! to_js {
    ($($t:ty),*) => {$(
        impl ToNapiValue for $t {
            unsafe fn to_napi_value(env: sys::napi_env, v: Self) -> napi::Result<sys::napi_value> {
                Ok(Env::from_raw(env).to_js_value(&v)?.raw())
            }
        }
    )*};
}
to_js!(BulkResult, BulkSummary);
