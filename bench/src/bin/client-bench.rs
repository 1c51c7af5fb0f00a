//! entra-invite's Rust client under the workloads of `bench/run.sh` (one process per workload):
//! prints one JSON line of figures (see `entra_invite_bench::run_workload`).
//!
//!   client-bench --workload seq-invite --n 500 --url URL --token TOKEN [--paced]
//!
//! Pacing (150 invitations per 5 s per tenant, burst 30) is off unless `--paced`, because the
//! clients it is compared with do not pace.

use std::time::Instant;

use entra_invite::{Client, InvitationRequest};
use entra_invite_bench::{run_workload, ClientArgs, Ops, REDIRECT};

struct Core(Client);

impl Ops for Core {
    async fn invite(&self, email: String) -> Result<String, String> {
        let req = InvitationRequest::new(email, REDIRECT).display_name("Guest User");
        let inv = self.0.invite(&req).await.map_err(|e| e.to_string())?;
        if inv.status.as_deref() != Some("PendingAcceptance") {
            return Err(format!("status {:?}", inv.status));
        }
        inv.invited_user_id()
            .map(str::to_string)
            .ok_or_else(|| "no invited user id".to_string())
    }

    async fn lookup(&self, email: String) -> Result<(), String> {
        match self.0.lookup(&email).await.map_err(|e| e.to_string())? {
            l if l.exists => Ok(()),
            other => Err(format!("lookup: {other:?}")),
        }
    }

    async fn status(&self, id: String) -> Result<(), String> {
        self.0
            .status(&id)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

fn main() {
    let started = Instant::now();
    let args = ClientArgs::from_env();
    let s0 = Instant::now();
    let client = entra_invite::Settings {
        tenant: Some("contoso.onmicrosoft.com".into()),
        token: Some(args.token.clone()),
        graph_url: Some(args.url.clone()),
        // Set by bench/run.py for the HTTPS emulator (the row Node's clients are compared with).
        ca_cert: std::env::var_os("BENCH_CA").map(std::path::PathBuf::from),
        invitations_per_5s: if args.paced { None } else { Some(0) },
        ..Default::default()
    }
    .build()
    .expect("client");
    let setup_ms = s0.elapsed().as_secs_f64() * 1e3;
    let name = match (args.paced, args.url.starts_with("https:")) {
        (true, _) => "entra-invite (paced)",
        (false, true) => "entra-invite (https)",
        (false, false) => "entra-invite",
    };
    // The harness runs on entra-invite's own runtime (its blocking entry point), which wants a
    // 'static future: the client and the arguments live for the whole process anyway.
    let ops: &'static Core = Box::leak(Box::new(Core(client)));
    let args: &'static ClientArgs = Box::leak(Box::new(args));
    let out = entra_invite::block_on(run_workload(name, ops, args, started, setup_ms));
    println!("{out}");
}
