//! The process's one tokio runtime, shared by every binding and the CLI.
//!
//! Built lazily on first use, never dropped (dropping a runtime at interpreter exit crashes),
//! and rebuilt in a child after `fork()` because the parent's worker threads do not survive it.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::Once;
use std::task::{Context, Poll};

use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::Error;

/// Thread-name prefix of the runtime's workers; tests in every language look for it.
pub const THREAD_NAME: &str = "entra-invite-rt";

struct Shared {
    rt: Runtime,
    /// The one connection pool; its connections belong to `rt`, so both are replaced after fork.
    /// Kept as a result: a machine without a trust store must fail calls, not the runtime.
    http: Result<reqwest::Client, String>,
}

static SHARED: AtomicPtr<Shared> = AtomicPtr::new(std::ptr::null_mut());
/// Held while one thread builds the runtime. A flag rather than a mutex, so the child of a
/// `fork()` taken mid-build can reset it (a mutex held by a vanished thread never unlocks).
static INSTALLING: AtomicBool = AtomicBool::new(false);
static ATFORK: Once = Once::new();

extern "C" fn atfork_child() {
    // The parent's runtime threads do not exist here: forget (leak) it and build anew on demand.
    SHARED.store(std::ptr::null_mut(), Ordering::SeqCst);
    INSTALLING.store(false, Ordering::SeqCst);
}

/// One worker unless `ENTRA_INVITE_WORKER_THREADS` says otherwise. The work is waiting on Graph,
/// and one worker drives tens of thousands of requests a second, far past Graph's limits. A
/// second worker only adds wake-ups: tokio wakes a parked worker to look for work each time one
/// finds some, so a lone call costs 5-6 context switches instead of 3 (caller -> worker, socket
/// -> worker, worker -> caller), and on a VM each wake of an idle CPU is the dominant cost of a
/// call (bench/ANALYSIS.md). Host token callbacks never block the worker (Python's run on the
/// blocking pool, Node's and uniffi's are awaited); what does run on it is short: waking an
/// awaiting coroutine, and handing a log record to Python's `logging` when a handler is on.
fn worker_threads() -> usize {
    std::env::var("ENTRA_INVITE_WORKER_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

fn shared() -> &'static Shared {
    let p = SHARED.load(Ordering::Acquire);
    if !p.is_null() {
        // SAFETY: a non-null pointer was leaked from a Box and is never freed.
        return unsafe { &*p };
    }
    ATFORK.call_once(|| {
        // SAFETY: registering a plain extern "C" fn with no captured state.
        unsafe {
            libc::pthread_atfork(None, None, Some(atfork_child));
        }
    });
    while INSTALLING
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        let p = SHARED.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: as above.
            return unsafe { &*p };
        }
        std::thread::yield_now();
    }
    let p = SHARED.load(Ordering::Acquire);
    if !p.is_null() {
        INSTALLING.store(false, Ordering::Release);
        // SAFETY: as above.
        return unsafe { &*p };
    }
    ignore_sigpipe();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name(THREAD_NAME)
        .enable_all()
        .build()
        .unwrap_or_else(|e| {
            // Without a runtime nothing can run; this is a resource exhaustion at process level.
            eprintln!("entra-invite: cannot start its runtime: {e}");
            std::process::abort()
        });
    let http = http_builder()
        .build()
        .map_err(|e| format!("cannot set up HTTPS: {e}"));
    let leaked = Box::into_raw(Box::new(Shared { rt, http }));
    SHARED.store(leaked, Ordering::Release);
    INSTALLING.store(false, Ordering::Release);
    // SAFETY: just leaked.
    unsafe { &*leaked }
}

/// The shared runtime (built on first call).
pub fn runtime() -> &'static Runtime {
    &shared().rt
}

/// Rust programs, the JVM, CPython and Node ignore SIGPIPE; a Swift or C host keeps the default
/// action, which kills the process when a socket write meets a connection the peer closed
/// (vectored writes, as hyper and rustls use, cannot pass MSG_NOSIGNAL). Unless the host
/// installed a handler of its own, ignore it, so the write fails with EPIPE instead.
fn ignore_sigpipe() {
    // SAFETY: reads, then maybe sets, a signal disposition; no handler code of ours runs.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_DFL
        {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        }
    }
}

/// Settings every HTTP client of ours shares (test support builds its control client with it).
#[doc(hidden)]
pub fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .pool_idle_timeout(std::time::Duration::from_secs(90))
        .tcp_nodelay(true)
        .user_agent(concat!("entra-invite/", env!("CARGO_PKG_VERSION")))
        // Redirects are not followed: a token must never travel to another origin.
        .redirect(reqwest::redirect::Policy::none())
}

/// The shared HTTP client (one connection pool for the process).
pub(crate) fn http_client() -> Result<reqwest::Client, Error> {
    shared()
        .http
        .clone()
        .map_err(|e| Error::new(crate::ErrorKind::Network, e))
}

/// Whether the shared runtime has been started in this process (importing starts nothing).
pub fn is_started() -> bool {
    !SHARED.load(Ordering::Acquire).is_null()
}

/// Runs `fut` on the shared runtime; the result can be awaited from any executor.
/// Dropping the returned handle aborts the task, so a cancelled caller cancels the work.
pub fn spawn<F, T>(fut: F) -> Spawned<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    Spawned(runtime().spawn(fut))
}

/// Blocks the current thread (which must not be a runtime worker) until `fut` completes.
/// The future runs on the runtime's workers; this thread only waits for it.
pub fn block_on<F>(fut: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = runtime();
    match rt.block_on(rt.spawn(fut)) {
        Ok(v) => v,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // The runtime is never shut down, so a spawned task is never cancelled behind our back.
        Err(_) => unreachable_cancelled(),
    }
}

#[cold]
fn unreachable_cancelled() -> ! {
    eprintln!("entra-invite: a blocking call's task was cancelled");
    std::process::abort()
}

/// For the bindings' tests: a task on the runtime that panics, as a bug in the core would.
/// Awaiting it must give an `Internal` error in the host language, never an abort: every call
/// runs as such a task, so this is the path a real panic takes to the FFI boundary.
#[doc(hidden)]
pub fn spawn_panicking_task() -> Spawned<()> {
    spawn::<_, ()>(async { panic!("entra-invite: a panic forced by a test") })
}

/// A task on the shared runtime; awaiting it yields the task's result.
pub struct Spawned<T>(JoinHandle<Result<T, Error>>);

impl<T> Future for Spawned<T> {
    type Output = Result<T, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.0).poll(cx) {
            Poll::Ready(Ok(r)) => Poll::Ready(r),
            Poll::Ready(Err(e)) if e.is_panic() => {
                Poll::Ready(Err(Error::internal("an internal task panicked")))
            }
            Poll::Ready(Err(_)) => Poll::Ready(Err(Error::internal("the task was cancelled"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_task_is_an_internal_error_and_the_runtime_lives_on() {
        let e = block_on(async { spawn_panicking_task().await }).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Internal, "{e}");
        let after = block_on(async { Ok::<u8, Error>(1) });
        assert_eq!(after.unwrap(), 1);
    }
}
