//! Probes of the runtime the package's calls run on (re-exported by `entra-invite/testing`): that
//! loading the addon starts nothing, which thread a call runs on, and that a panic in the core
//! ends as an `InternalError`. They belong to this addon (its runtime is the one clients use).

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Whether the core runtime has started in this process (loading the addon starts nothing).
#[napi(catch_unwind)]
pub fn runtime_started() -> bool {
    entra_invite::runtime::is_started()
}

/// The name of the thread a promise-returning call runs on (`entra-invite-rt`).
#[napi(catch_unwind)]
pub async fn runtime_thread_name() -> String {
    std::thread::current().name().unwrap_or("").to_string()
}

/// For tests: a promise awaiting a core task that panics, as a call would if the core had a bug.
/// It rejects with an `Internal` error; the process and the runtime live on.
#[napi(catch_unwind, js_name = "_forceInternalError")]
pub async fn force_internal_error() -> Result<()> {
    Ok(entra_invite::runtime::spawn_panicking_task().await?)
}
