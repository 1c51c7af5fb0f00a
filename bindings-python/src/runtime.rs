//! How Python waits for the core's runtime: blocking calls that release the GIL and stay
//! interruptible by Ctrl-C, awaitables whose wake-ups pass the exit gate, and a count of live
//! calls (so tests can see that a cancelled call really stopped in Rust). The core's public
//! methods run their work as a task on the runtime themselves; this only waits for it.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

use entra_invite::Error;
use pyo3::prelude::*;

use crate::exit_gate::{enter_python, keep_thread_state};

/// How often a blocking call wakes up to let Python run its signal handlers (Ctrl-C).
const SIGNAL_SLICE: Duration = Duration::from_millis(50);

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// One call in progress (counted by `_live_tasks`).
struct Live(());

impl Live {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Live(())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Awaits a core future from an `async def` method: the runtime's worker wakes the asyncio
/// loop directly, through the exit gate. Dropping the coroutine (a cancelled asyncio task)
/// drops the core's task handle, which aborts the task.
pub(crate) async fn wait<T, F>(fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let _live = Live::new();
    Ok(Gated(Box::pin(fut)).await?)
}

/// Waits for a core future on the calling thread with the GIL released. This thread only
/// parks until it is done, waking every few milliseconds so Ctrl-C raises `KeyboardInterrupt`
/// and drops the call, which aborts the Rust task.
pub(crate) fn block<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let _live = Live::new();
    let unparker = Arc::new(Unparker {
        thread: std::thread::current(),
        woken: AtomicBool::new(true),
    });
    let mut fut = Box::pin(fut);
    loop {
        let u = unparker.clone();
        let (back, out) = py.detach(move || poll_for_a_while(fut, &u));
        if let Some(r) = out {
            return Ok(r?);
        }
        // Returning here (KeyboardInterrupt) drops `back`, which aborts the work.
        py.check_signals()?;
        fut = back;
    }
}

struct Unparker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// Polls `fut` whenever it is woken, for up to one signal slice.
fn poll_for_a_while<F: Future + ?Sized>(
    mut fut: Pin<Box<F>>,
    unparker: &Arc<Unparker>,
) -> (Pin<Box<F>>, Option<F::Output>) {
    // Tokio resources created while polling belong to the core's runtime.
    let _rt = entra_invite::runtime::runtime().enter();
    let waker = Waker::from(unparker.clone());
    let mut cx = Context::from_waker(&waker);
    let deadline = Instant::now() + SIGNAL_SLICE;
    loop {
        if unparker.woken.swap(false, Ordering::SeqCst) {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return (fut, Some(v));
            }
            continue;
        }
        let now = Instant::now();
        if now >= deadline {
            return (fut, None);
        }
        std::thread::park_timeout(deadline - now);
    }
}

/// A future whose wake-ups (which enter Python to reach the asyncio loop) pass the exit gate.
struct Gated<F>(Pin<Box<F>>);

struct GatedWaker(Waker);

impl Wake for GatedWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(_pass) = enter_python() {
            keep_thread_state();
            self.0.wake_by_ref();
        }
    }
}

impl<F: Future> Future for Gated<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Tokio resources created while polling belong to the core's runtime.
        let _rt = entra_invite::runtime::runtime().enter();
        let waker = Waker::from(Arc::new(GatedWaker(cx.waker().clone())));
        self.0.as_mut().poll(&mut Context::from_waker(&waker))
    }
}

/// Number of calls currently waiting on the runtime (0 once every call has finished or been
/// cancelled).
#[pyfunction]
pub(crate) fn _live_tasks() -> usize {
    LIVE.load(Ordering::SeqCst)
}

/// The name of the runtime thread that runs a task (for tests: `entra-invite-rt`).
#[pyfunction]
pub(crate) async fn _runtime_thread_name() -> PyResult<String> {
    wait(entra_invite::spawn(async {
        Ok(std::thread::current().name().unwrap_or("").to_string())
    }))
    .await
}

/// The name of the current native thread (a token provider can call it to see where it runs).
#[pyfunction]
pub(crate) fn _current_thread_name() -> String {
    std::thread::current().name().unwrap_or("").to_string()
}

/// Whether the core's runtime has been started in this process.
#[pyfunction]
pub(crate) fn _runtime_started() -> bool {
    entra_invite::runtime::is_started()
}

/// For tests: waits, as the blocking client methods do, for a core task that panics; raises
/// `InternalError` (a panic never crosses into Python as `PanicException` or an abort).
#[pyfunction]
pub(crate) fn _force_internal_error(py: Python<'_>) -> PyResult<()> {
    block(py, entra_invite::runtime::spawn_panicking_task())
}

/// The async twin of `_force_internal_error`, awaited as `AsyncClient` methods are.
#[pyfunction]
pub(crate) async fn _force_internal_error_async() -> PyResult<()> {
    wait(entra_invite::runtime::spawn_panicking_task()).await
}
