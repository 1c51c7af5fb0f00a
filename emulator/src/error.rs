//! Errors of the library API (starting and stopping the emulator).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid faults: {0}")]
    Faults(String),
    #[error("cannot read state file {path}: {message}")]
    State { path: PathBuf, message: String },
}

impl Error {
    pub(crate) fn faults(message: String) -> Self {
        Error::Faults(message)
    }
}
