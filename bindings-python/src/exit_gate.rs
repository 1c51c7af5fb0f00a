//! The exit gate: no thread Python did not create may be inside the C API while the
//! interpreter finalises. Every such entry (a coroutine wake-up, a token provider call, a log
//! record) passes `enter_python`; `_close_exit_gate`, registered with `atexit`, closes the gate
//! and waits for those inside. A leaf module: it uses nothing else of this crate.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

/// How long interpreter exit waits for runtime threads that are inside Python.
const EXIT_WAIT: Duration = Duration::from_secs(5);

static CLOSED: AtomicBool = AtomicBool::new(false);
static INSIDE: AtomicUsize = AtomicUsize::new(0);

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
pub(crate) fn keep_thread_state() {
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
