//! How an emulator is started.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::faults::Faults;

#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Serve HTTPS with a generated self-signed certificate, writing its PEM to this path.
    pub https: Option<PathBuf>,
    /// Load state from this JSON file at start (when it exists) and save it at stop.
    pub state_file: Option<PathBuf>,
    /// Faults active from the start.
    pub faults: Faults,
    /// Seed for every random decision (random faults, latency, drops).
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            https: None,
            state_file: None,
            faults: Faults::default(),
            seed: 0,
        }
    }
}
