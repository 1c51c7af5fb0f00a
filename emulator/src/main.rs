//! `graph-emulator`: the emulator as a process.

use clap::Parser;
use entra_invite_emulator::cli::{defaults_help, serve, EmulatorArgs};

#[derive(Parser, Debug)]
#[command(
    name = "graph-emulator",
    version,
    about = "A local, stateful stand-in for the Microsoft Graph invitation, users, domains, batch and token endpoints",
    after_help = defaults_help()
)]
struct Cli {
    #[command(flatten)]
    args: EmulatorArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    serve(cli.args).await
}
