//! Running the CLI as a user does: a real process against a real emulator.
#![allow(dead_code)]

use std::process::{Command, Output};

use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::Value;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_entra-invite"));
    for k in [
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_CLIENT_CERTIFICATE_PATH",
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_AUTHORITY_HOST",
        "ENTRA_INVITE_GRAPH_URL",
        "ENTRA_INVITE_TOKEN",
    ] {
        c.env_remove(k);
    }
    c
}

pub fn against(emu: &Emulator) -> Command {
    let mut c = bin();
    c.env("ENTRA_INVITE_GRAPH_URL", emu.base_url())
        .env("AZURE_TENANT_ID", DEFAULT_TENANT)
        .env("AZURE_CLIENT_ID", DEFAULT_CLIENT_ID)
        .env("AZURE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET);
    c
}

pub async fn run(mut c: Command, args: &[&str]) -> Output {
    c.args(args);
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// Where invited guests land.
pub const REDIRECT: &str = "https://myapps.microsoft.com/";

/// An emulator with the default tenant and app.
pub async fn emulator() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

/// `entra-invite GLOBAL... invite EMAIL --redirect REDIRECT MORE...`
pub async fn invite(c: Command, global: &[&str], email: &str, more: &[&str]) -> Output {
    let mut args = global.to_vec();
    args.extend(["invite", email, "--redirect", REDIRECT]);
    args.extend(more);
    run(c, &args).await
}
