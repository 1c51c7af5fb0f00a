//! napi runs every promise-returning call on the core's runtime: an `AsyncRuntime` backend,
//! registered at module load, hands napi's futures to `entra_invite::runtime`. napi itself
//! creates no runtime and no thread; nothing starts until the first call.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::Notify;

struct CoreRuntime;

// SAFETY: the core runtime is never shut down and lives in this same image, which napi keeps
// loaded once a backend is registered; `shutdown` therefore has nothing to stop, and no thread
// of ours can outlive the image.
unsafe impl AsyncRuntime for CoreRuntime {
    fn spawn(
        &self,
        task: AsyncRuntimeTask,
    ) -> std::result::Result<(), AsyncRuntimeRejection<AsyncRuntimeTask>> {
        entra_invite::runtime::runtime().spawn(task);
        Ok(())
    }

    fn block_on(&self, future: Pin<&mut dyn Future<Output = ()>>) -> Result<()> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::new(
                Status::GenericFailure,
                "entra-invite: cannot block inside its own runtime",
            ));
        }
        entra_invite::runtime::runtime().block_on(future);
        Ok(())
    }

    fn shutdown(&self) -> Result<()> {
        // The runtime is shared by every environment (main thread and workers) and is never
        // dropped: a worker exiting must not stop the others' calls.
        Ok(())
    }
}

#[napi_derive::module_init]
fn init() {
    // Only registers the backend: the runtime itself starts on the first call.
    register_async_runtime(CoreRuntime);
}

/// The native half of an `AbortSignal`: `cancel()` drops the call's future, and with it the
/// core's task (its `Spawned` handle aborts the task when dropped).
#[napi]
#[derive(Clone, Default)]
pub struct Cancel {
    inner: Arc<CancelState>,
}

#[derive(Default)]
struct CancelState {
    cancelled: AtomicBool,
    notify: Notify,
}

#[napi]
impl Cancel {
    #[napi(catch_unwind, constructor)]
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Cancels the call(s) this token was given to. Idempotent.
    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    #[napi(catch_unwind, getter)]
    pub fn cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }
}

impl Cancel {
    async fn fired(&self) {
        loop {
            // Created before the check, so a `notify_waiters` in between is not missed.
            let notified = self.inner.notify.notified();
            if self.cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// `fut`, unless `cancel` fires first: then `fut` is dropped (and with it the core's task).
pub(crate) async fn until_cancelled<T>(
    cancel: Option<&Cancel>,
    fut: impl Future<Output = std::result::Result<T, entra_invite::Error>>,
) -> Result<T> {
    let out = match cancel {
        None => fut.await,
        Some(c) => tokio::select! {
            biased;
            _ = c.fired() => Err(entra_invite::Error::invalid_input("signal", "the operation was aborted")),
            r = fut => r,
        },
    };
    Ok(out?)
}
