//! Python bindings of entra-invite: the module `entra_invite._native`. This file only lists
//! what is exported; each area has its own file.

mod async_client;
mod bulk;
mod client;
mod errors;
mod guests;
mod json;
mod logging;
mod models;
mod options;
mod runtime;
mod tokens;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::async_client::PyAsyncClient;
    #[pymodule_export]
    use crate::bulk::{PyAsyncBulkRun, PyBulkResult, PyBulkRun};
    #[pymodule_export]
    use crate::client::PyClient;
    #[pymodule_export]
    use crate::guests::{PyAsyncGuestIterator, PyGuestIterator};
    #[pymodule_export]
    use crate::logging::_emit_test_event;
    #[pymodule_export]
    use crate::models::{PyGuestStatus, PyInvitation, PyInviteOutcome, PyLookup, PyUser};
    #[pymodule_export]
    use crate::runtime::{
        _close_exit_gate, _current_thread_name, _force_internal_error, _force_internal_error_async,
        _live_tasks, _runtime_started, _runtime_thread_name,
    };

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = m.py();
        m.add("THREAD_NAME", entra_invite::runtime::THREAD_NAME)?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        // No runtime thread may be inside Python while the interpreter finalises.
        let close = m.getattr("_close_exit_gate")?;
        py.import("atexit")?.call_method1("register", (close,))?;
        crate::logging::install();
        Ok(())
    }
}
