//! Probes of this library's own runtime, for the suites (and for users who want to check it):
//! whether it has started, where calls run, and a hook forcing an internal panic (to prove none
//! crosses into Kotlin or Swift). The emulator is not here: it is the separate testing library
//! (`uniffi/testing`, crate `entra-invite-ffi-testing`).

use entra_invite::spawn;

use crate::errors::Result;

/// Whether the library's runtime has started in this process (loading it starts nothing).
#[uniffi::export]
pub fn runtime_started() -> bool {
    entra_invite::runtime::is_started()
}

/// The name of the thread an async call runs on (`entra-invite-rt`).
#[uniffi::export]
pub async fn runtime_thread_name() -> Result<String> {
    let name = spawn(async { Ok(std::thread::current().name().unwrap_or("").to_string()) }).await?;
    Ok(name)
}

/// Test hook: a call whose task panics inside the library, on the path a bug's panic would
/// take. It fails with an `Internal` error (never a crash), and the library keeps working.
#[uniffi::export]
pub async fn debug_force_internal_error() -> Result<()> {
    entra_invite::runtime::spawn_panicking_task().await?;
    Ok(())
}
