//! `graph-emulator`: the emulator as a process.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use entra_invite_emulator::{
    Config, Emulator, Faults, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
    DEFAULT_TENANT_ID, DEFAULT_VERIFIED_DOMAIN, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET,
};

fn defaults_help() -> String {
    format!(
        "Defaults:\n  tenant          {DEFAULT_TENANT} (id {DEFAULT_TENANT_ID}), verified domain {DEFAULT_VERIFIED_DOMAIN}\n  client id       {DEFAULT_CLIENT_ID}\n  client secret   {DEFAULT_CLIENT_SECRET}   (roles User.Invite.All, User.Read.All, User.ReadWrite.All)\n  read-only app   {READONLY_CLIENT_ID} / {READONLY_CLIENT_SECRET}   (role User.Read.All)\n\nGraph is <base url>/v1.0 and /beta; the token endpoint is <base url>/{{tenant}}/oauth2/v2.0/token;\nthe control API is under <base url>/_emulator/ (see CONTROL_API.md)."
    )
}

#[derive(Parser, Debug)]
#[command(
    name = "graph-emulator",
    version,
    about = "A local, stateful stand-in for the Microsoft Graph invitation, users, domains, batch and token endpoints",
    after_help = defaults_help()
)]
struct Args {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Serve HTTPS with a generated self-signed certificate, writing its PEM to this path
    #[arg(long, value_name = "CERT_PEM_OUT")]
    https: Option<PathBuf>,
    /// Load state from this JSON file (if it exists) and save it there on exit
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Faults to apply from the start (the Faults JSON of CONTROL_API.md)
    #[arg(long, value_name = "FILE")]
    faults: Option<PathBuf>,
    /// Seed for random faults, latency and drops
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

async fn shutdown_signal() {
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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
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
