//! Python bindings of entra-invite: the module `entra_invite._native`. This file only lists
//! what is exported; each area has its own file. The result types are the core's own models
//! (`pyclass` behind its `python` feature).

mod client;
mod exit_gate;
mod iterators;
mod logging;
mod options;
mod runtime;
mod tokens;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::client::{AsyncClient, Client};
    #[pymodule_export]
    use crate::exit_gate::_close_exit_gate;
    #[pymodule_export]
    use crate::iterators::{AsyncBulkRun, AsyncGuestIterator, BulkRun, GuestIterator};
    #[pymodule_export]
    use crate::logging::_emit_test_event;
    #[pymodule_export]
    use crate::runtime::{
        _current_thread_name, _force_internal_error, _force_internal_error_async, _live_tasks,
        _runtime_started, _runtime_thread_name,
    };
    #[pymodule_export]
    use entra_invite::models::{
        EmailAddress, GuestStatus, Invitation, InviteOutcome, InvitedUser, InvitedUserMessageInfo,
        Lookup, ObjectIdentity, Recipient, User,
    };
    #[pymodule_export]
    use entra_invite::{BulkResult, BulkSummary};

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
