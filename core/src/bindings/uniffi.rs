//! uniffi: how the Rust types of core's records that uniffi cannot carry as they are cross the
//! boundary, each as one custom type (Kotlin and Swift see the builtin type under this name).

use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

type JsonText = Map<String, Value>;
uniffi::custom_type!(
    /// Graph's properties this library does not model (`extra`): a JSON object, as text.
    JsonText, String, {
    remote,
    lower: |m| Value::Object(m).to_string(),
    try_lift: |s| Ok(serde_json::from_str(&s)?),
});

type UtcDateTime = DateTime<Utc>;
uniffi::custom_type!(
    /// A point in time (Kotlin `Instant`, Swift `Date`).
    UtcDateTime, SystemTime, {
    remote,
    lower: |d| d.into(),
    try_lift: |t| Ok(t.into()),
});

uniffi::custom_type!(
    /// A file path, as text.
    PathBuf, String, {
    remote,
    lower: |p| p.to_string_lossy().into_owned(),
    try_lift: |s| Ok(PathBuf::from(s)),
});

type Count = usize;
uniffi::custom_type!(
    /// A count (Rust `usize`).
    Count, u64, {
    remote,
    lower: |n| n as u64,
    try_lift: |n| Ok(usize::try_from(n)?),
});
