//! The emulator's command line, shared by `graph-emulator` and `entra-invite emulator`.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::config::Config;
use crate::defaults::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT, DEFAULT_TENANT_ID,
    DEFAULT_VERIFIED_DOMAIN, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET,
};
use crate::faults::Faults;
use crate::server::Emulator;

/// The defaults every fresh emulator has, for `--help`.
pub fn defaults_help() -> String {
    format!(
        "Defaults:\n  tenant          {DEFAULT_TENANT} (id {DEFAULT_TENANT_ID}), verified domain {DEFAULT_VERIFIED_DOMAIN}\n  client id       {DEFAULT_CLIENT_ID}\n  client secret   {DEFAULT_CLIENT_SECRET}   (roles User.Invite.All, User.Read.All, User.ReadWrite.All)\n  read-only app   {READONLY_CLIENT_ID} / {READONLY_CLIENT_SECRET}   (role User.Read.All)\n\nGraph is <base url>/v1.0 and /beta; the token endpoint is <base url>/{{tenant}}/oauth2/v2.0/token;\nthe control API is under <base url>/_emulator/ (see CONTROL_API.md)."
    )
}

/// `[--listen ADDR] [--https CERT_PEM_OUT] [--state FILE] [--faults FILE] [--seed N]`
#[derive(clap::Args, Debug, Clone)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Serve HTTPS with a generated self-signed certificate, writing its PEM to this path
    #[arg(long, value_name = "CERT_PEM_OUT")]
    pub https: Option<PathBuf>,
    /// Load state from this JSON file (if it exists) and save it there on exit
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Faults to apply from the start (the Faults JSON of CONTROL_API.md)
    #[arg(long, value_name = "FILE")]
    pub faults: Option<PathBuf>,
    /// Seed for random faults, latency and drops
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Waits for SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs the emulator until SIGINT/SIGTERM: prints `listening on <url>` first, saves state
/// (with `--state`) on the way out.
pub async fn serve(args: EmulatorArgs) -> std::process::ExitCode {
    let faults = match &args.faults {
        None => Faults::default(),
        Some(path) => {
            let parsed = std::fs::read(path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Faults>(&b).map_err(|e| e.to_string()));
            match parsed {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("graph-emulator: cannot read faults {}: {e}", path.display());
                    return std::process::ExitCode::from(2);
                }
            }
        }
    };
    let config = Config {
        listen: args.listen,
        https: args.https,
        state_file: args.state,
        faults,
        seed: args.seed,
    };
    let emu = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("graph-emulator: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emu.base_url());
        let _ = out.flush();
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    emu.stop().await;
    std::process::ExitCode::SUCCESS
}
