//! The core's `tracing` events forwarded to Python's `logging` (logger `entra_invite` and its
//! children, `entra_invite.http`, ...). Events below the logger's effective level are dropped in
//! Rust without touching Python; secrets are redacted before anything leaves Rust.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::exit_gate::enter_python;

const LOGGER: &str = "entra_invite";

/// The most verbose tracing level Python wants (0 = none, 1 = ERROR ... 5 = TRACE).
static MAX_LEVEL: AtomicU8 = AtomicU8::new(2);
static ROOT_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GET_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A tracing level's rank (1 = ERROR ... 5 = TRACE) and Python `logging` level.
fn levels(l: &Level) -> (u8, u32) {
    match *l {
        Level::ERROR => (1, 40),
        Level::WARN => (2, 30),
        Level::INFO => (3, 20),
        Level::DEBUG => (4, 10),
        Level::TRACE => (5, 5),
    }
}

/// Re-reads the effective level of the `entra_invite` logger (cheap; called on every API call).
/// While the program has not imported `logging` nobody can have configured it: the default
/// (WARNING) applies and `logging` is not imported on its behalf (it costs ~10 ms).
pub(crate) fn refresh_level(py: Python<'_>) {
    if ROOT_LOGGER.get(py).is_none() && !logging_imported(py) {
        MAX_LEVEL.store(2, Ordering::Relaxed);
        return;
    }
    let level = ROOT_LOGGER
        .get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", (LOGGER,))
                .map(Bound::unbind)
        })
        .and_then(|l| {
            l.bind(py)
                .call_method0("getEffectiveLevel")?
                .extract::<u32>()
        });
    if let Ok(n) = level {
        // The most verbose level at or above Python's threshold (0: none).
        let max = [5, 10, 20, 30, 40]
            .iter()
            .position(|t| n <= *t)
            .map_or(0, |i| 5 - i);
        MAX_LEVEL.store(max as u8, Ordering::Relaxed);
    }
}

fn logging_imported(py: Python<'_>) -> bool {
    // `sys.modules` itself, kept: this runs on every call.
    static MODULES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MODULES
        .import(py, "sys", "modules")
        .and_then(|m| m.contains(pyo3::intern!(py, "logging")))
        .unwrap_or(true)
}

fn ours(m: &Metadata<'_>) -> bool {
    m.target().starts_with("entra_invite")
}

/// `entra_invite::http::retry` -> `entra_invite.http.retry`; the emulator's events go under
/// `entra_invite.emulator`.
fn logger_name(target: &str) -> String {
    let t = target
        .strip_prefix("entra_invite_emulator")
        .map(|rest| format!("entra_invite.emulator{rest}"))
        .unwrap_or_else(|| target.to_string());
    t.replace("::", ".")
}

const SECRET_NAMES: [&str; 8] = [
    "secret",
    "token",
    "password",
    "authorization",
    "assertion",
    "cookie",
    "credential",
    "key",
];

/// Hides values that look like credentials: `Bearer ...`, JWTs, and `name=value` pairs of
/// secret-looking names (form bodies, query strings).
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hide_next = false;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if hide_next && !word.is_empty() {
            out.push_str("***");
            hide_next = false;
            continue;
        }
        if word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("basic") {
            hide_next = true;
            out.push_str(word);
            continue;
        }
        out.push_str(&redact_word(word));
    }
    out
}

fn redact_word(word: &str) -> String {
    if word.contains("eyJ") {
        return "***".into();
    }
    // name=value&name=value, name: value
    let hide = |pair: &str| match pair.split_once('=').or_else(|| pair.split_once(':')) {
        Some((name, _)) if secret_name(name) => {
            format!("{name}{}***", if pair.contains('=') { '=' } else { ':' })
        }
        _ => pair.to_string(),
    };
    word.split('&').map(hide).collect::<Vec<_>>().join("&")
}

fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|s| n.contains(s))
}

#[derive(Default)]
struct Fields {
    message: String,
    pairs: Vec<(String, String)>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = redact(&text);
        } else if secret_name(field.name()) {
            self.pairs.push((field.name().to_string(), "***".into()));
        } else {
            self.pairs.push((field.name().to_string(), redact(&text)));
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
}

struct PythonLogging;

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn register_callsite(&self, m: &'static Metadata<'static>) -> Interest {
        if ours(m) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, m: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        ours(m) && levels(m.level()).0 <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let m = event.metadata();
        if !ours(m) || levels(m.level()).0 > MAX_LEVEL.load(Ordering::Relaxed) {
            return;
        }
        let mut f = Fields::default();
        event.record(&mut f);
        let mut text = f.message.clone();
        for (k, v) in &f.pairs {
            let _ = write!(text, " {k}={v}");
        }
        let Some(_pass) = enter_python() else { return };
        let thread = std::thread::current().name().unwrap_or("").to_string();
        Python::attach(|py| {
            let sent = (|| -> PyResult<()> {
                let get = GET_LOGGER.import(py, "logging", "getLogger")?;
                let logger = get.call1((logger_name(m.target()),))?;
                let fields = PyDict::new(py);
                for (k, v) in &f.pairs {
                    fields.set_item(k, v)?;
                }
                let extra = PyDict::new(py);
                extra.set_item("rust_target", m.target())?;
                extra.set_item("rust_thread", &thread)?;
                extra.set_item("rust_fields", fields)?;
                let kw = PyDict::new(py);
                kw.set_item("extra", extra)?;
                logger.call_method("log", (levels(m.level()).1, text), Some(&kw))?;
                Ok(())
            })();
            if let Err(e) = sent {
                // A broken handler must not take the runtime down; Python reports it.
                e.write_unraisable(py, None);
            }
        });
    }
}

/// Installs the bridge as the process's tracing subscriber, unless the host already has one.
pub(crate) fn install() {
    let subscriber = tracing_subscriber::registry().with(PythonLogging);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Emits one WARN event carrying `secret` in a secret-named field and in the message text, so
/// tests can check that what reaches `logging` is redacted.
#[pyfunction]
pub(crate) fn _emit_test_event(py: Python<'_>, secret: &str) {
    refresh_level(py);
    tracing::warn!(
        target: "entra_invite::selftest",
        client_secret = %secret,
        header = %format!("Authorization: Bearer {secret}"),
        body = %format!("grant_type=client_credentials&client_secret={secret}"),
        "self-test event with Bearer {secret}"
    );
}
