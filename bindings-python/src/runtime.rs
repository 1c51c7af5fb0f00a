//! How Python reaches the core's one runtime: blocking calls that release the GIL and stay
//! interruptible by Ctrl-C, awaitables whose wake-ups pass the exit gate, and a count of live
//! tasks (so tests can see that a cancelled call really stopped in Rust).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

use entra_invite::Error;
use pyo3::prelude::*;

use crate::errors;

/// How often a blocking call wakes up to let Python run its signal handlers (Ctrl-C).
const SIGNAL_SLICE: Duration = Duration::from_millis(50);
/// How long interpreter exit waits for runtime threads that are inside Python.
const EXIT_WAIT: Duration = Duration::from_secs(5);

static CLOSED: AtomicBool = AtomicBool::new(false);
static INSIDE: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Proof that a runtime thread may enter Python: the interpreter is not finalising.
pub(crate) struct GatePass(());

impl Drop for GatePass {
    fn drop(&mut self) {
        INSIDE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Every entry into Python from a thread Python did not create goes through here.
pub(crate) fn enter_python() -> Option<GatePass> {
    INSIDE.fetch_add(1, Ordering::SeqCst);
    if CLOSED.load(Ordering::SeqCst) {
        INSIDE.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    Some(GatePass(()))
}

/// Most threads that keep a Python thread state of their own. Only the coroutine wake-up path
/// keeps one, and only runtime workers run it; others attach and detach as usual.
const KEPT_THREAD_STATES: usize = 8;
static KEPT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static KEEPS_STATE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Gives this foreign thread a Python thread state that outlives each `Python::attach`.
/// Otherwise every attach creates one and every detach destroys it again, and with it the
/// frame stack CPython maps for it: an mmap, an munmap and a TLB shoot-down across CPUs for each
/// coroutine woken. Only for threads with no thread state at all (never a Python thread), and
/// only once the gate is passed; the states are freed with the interpreter, after which the
/// closed gate keeps these threads out of Python.
fn keep_thread_state() {
    if KEEPS_STATE.with(|k| k.get()) {
        return;
    }
    // SAFETY: plain queries and the documented Ensure/SaveThread pairing. The thread has no
    // thread state (checked), so it cannot hold the GIL: Ensure takes it and makes a state with
    // a count of one that is never released; SaveThread then lets the GIL go, keeping the state.
    unsafe {
        if !pyo3::ffi::PyGILState_GetThisThreadState().is_null() {
            KEEPS_STATE.with(|k| k.set(true));
            return;
        }
        if KEPT.fetch_add(1, Ordering::SeqCst) >= KEPT_THREAD_STATES {
            KEPT.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        let _ = pyo3::ffi::PyGILState_Ensure();
        let _ = pyo3::ffi::PyEval_SaveThread();
    }
    KEEPS_STATE.with(|k| k.set(true));
}

/// Registered with `atexit`: from now on no runtime thread enters Python; wait (GIL released)
/// for those already inside to leave, so none is in the C API while the interpreter finalises.
#[pyfunction]
pub(crate) fn _close_exit_gate(py: Python<'_>) {
    CLOSED.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = Instant::now() + EXIT_WAIT;
        while INSIDE.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Number of binding tasks currently alive on the runtime (0 once every call has finished or
/// been cancelled).
#[pyfunction]
pub(crate) fn _live_tasks() -> usize {
    LIVE.load(Ordering::SeqCst)
}

/// The name of the runtime thread that runs a task (for tests: `entra-invite-rt`).
#[pyfunction]
pub(crate) async fn _runtime_thread_name() -> PyResult<String> {
    run(async { Ok(std::thread::current().name().unwrap_or("").to_string()) }).await
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
    call(entra_invite::runtime::spawn_panicking_task()).await
}

struct Live;

impl Live {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Live
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `fut` on the core's runtime for an `async def` method: the awaiting coroutine is only
/// woken through the exit gate, and dropping it (a cancelled asyncio task) aborts the work.
/// For futures that do not hop onto the runtime themselves.
pub(crate) async fn run<T, F>(fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let live = Live::new();
    let spawned = entra_invite::spawn(async move {
        let _live = live;
        fut.await
    });
    match (Gated { inner: spawned }).await {
        Ok(v) => Ok(v),
        Err(e) => Err(Python::attach(|py| errors::to_py(py, e))),
    }
}

/// Awaits a core client call from an `async def` method. The core's public methods run their
/// work as a task on the runtime (`entra_invite::spawn`) and only wait for it here, so this
/// adds no second hop: the runtime's worker wakes the asyncio loop directly (through the exit
/// gate). Dropping the coroutine drops the core's task handle, which aborts the task.
pub(crate) async fn call<T, F>(fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let _live = Live::new();
    match (Gated {
        inner: Box::pin(fut),
    })
    .await
    {
        Ok(v) => Ok(v),
        Err(e) => Err(Python::attach(|py| errors::to_py(py, e))),
    }
}

/// Waits for a core client call on the calling thread with the GIL released. The work runs
/// on the runtime (the core's methods hop there themselves); this thread only parks until it
/// is done, waking every few milliseconds so Ctrl-C raises `KeyboardInterrupt` and drops the
/// call, which aborts the Rust task.
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
    let mut pending = Some(Box::pin(fut));
    loop {
        let Some(fut) = pending.take() else {
            return Err(errors::internal(py, "a finished call was polled again"));
        };
        let u = unparker.clone();
        let (fut, out) = py.detach(move || poll_for_a_while(fut, &u));
        match out {
            Some(r) => return r.map_err(|e| errors::to_py(py, e)),
            None => {
                // Dropping `fut` (on KeyboardInterrupt) aborts the work.
                py.check_signals()?;
                pending = Some(fut);
            }
        }
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
struct Gated<F> {
    inner: F,
}

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

impl<F: Future + Unpin> Future for Gated<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Tokio resources created while polling belong to the core's runtime.
        let _rt = entra_invite::runtime::runtime().enter();
        let waker = Waker::from(Arc::new(GatedWaker(cx.waker().clone())));
        Pin::new(&mut self.inner).poll(&mut Context::from_waker(&waker))
    }
}
