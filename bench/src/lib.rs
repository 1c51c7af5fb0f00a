//! Shared pieces of the benchmarks: run the emulator as its own process and watch its memory.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A `graph-emulator` process (so its memory is measured apart from the client's).
pub struct EmulatorProcess {
    child: Child,
    pub url: String,
}

impl EmulatorProcess {
    /// Starts the binary next to the running one (same target dir and profile).
    pub fn start(extra: &[&str]) -> EmulatorProcess {
        let exe = std::env::current_exe().expect("own path");
        let bin: PathBuf = exe.with_file_name("graph-emulator");
        let mut child = Command::new(&bin)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e} (cargo build --release -p entra-invite-emulator)",
                    bin.display()
                )
            });
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("first line");
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .expect("listening line")
            .to_string();
        EmulatorProcess { child, url }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory (VmHWM) in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        peak_rss_mib(self.pid())
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// VmHWM of a process in MiB (0 when unknown).
pub fn peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The default app's settings against `url`.
pub fn settings(url: &str) -> entra_invite::Settings {
    entra_invite::Settings {
        tenant: Some("contoso.onmicrosoft.com".into()),
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        client_secret: Some("emulator-secret-value".into()),
        graph_url: Some(url.into()),
        ..Default::default()
    }
}

/// The select list entra-invite sends for users; the floors ask for the same fields.
pub const USER_SELECT: &str = "id,displayName,mail,userPrincipalName,userType,creationType,externalUserState,externalUserStateChangeDateTime,accountEnabled,otherMails,proxyAddresses,createdDateTime";

/// The invitation redirect every client sends.
pub const REDIRECT: &str = "https://myapps.microsoft.com/";

/// Command line of the client bench processes (`client-bench`, `reqwest-floor`):
/// `--workload W --n N [--concurrency C] [--warmup W] --url URL --token T [--tag T]
///  [--fixtures FILE] [--paced]`.
///
/// Workloads: `first` (one invitation, then exit: cold start), `seq-invite`, `conc-invite`,
/// `seq-lookup`, `seq-status` (lookups and status calls go to the users of `--fixtures`, lines of
/// `email id`), and `seed` (N invitations whose `email id` lines go to `--fixtures`).
#[derive(Debug, Clone)]
pub struct ClientArgs {
    pub workload: String,
    pub n: usize,
    pub concurrency: usize,
    pub warmup: usize,
    pub url: String,
    pub token: String,
    pub tag: String,
    pub fixtures: Option<PathBuf>,
    pub paced: bool,
}

impl ClientArgs {
    pub fn from_env() -> ClientArgs {
        let mut a = ClientArgs {
            workload: "seq-invite".into(),
            n: 500,
            concurrency: 32,
            warmup: 20,
            url: String::new(),
            token: String::new(),
            tag: format!("p{}", std::process::id()),
            fixtures: None,
            paced: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            if flag == "--paced" {
                a.paced = true;
                continue;
            }
            let v = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
            match flag.as_str() {
                "--workload" => a.workload = v,
                "--n" => a.n = v.parse().expect("--n"),
                "--concurrency" => a.concurrency = v.parse().expect("--concurrency"),
                "--warmup" => a.warmup = v.parse().expect("--warmup"),
                "--url" => a.url = v.trim_end_matches('/').to_string(),
                "--token" => a.token = v,
                "--tag" => a.tag = v,
                "--fixtures" => a.fixtures = Some(PathBuf::from(v)),
                other => panic!("unknown flag {other}"),
            }
        }
        assert!(!a.url.is_empty(), "--url is required");
        a
    }

    fn email(&self, what: &str, i: usize) -> String {
        format!("{}-{what}{i}@fabrikam.com", self.tag)
    }

    fn fixtures(&self) -> Vec<(String, String)> {
        let path = self.fixtures.as_ref().expect("--fixtures FILE");
        std::fs::read_to_string(path)
            .expect("fixtures file")
            .lines()
            .filter_map(|l| {
                let mut p = l.split_whitespace();
                Some((p.next()?.to_string(), p.next()?.to_string()))
            })
            .collect()
    }
}

/// User+sys CPU seconds of this process, all threads (getrusage).
pub fn cpu_secs() -> f64 {
    // SAFETY: getrusage only writes the struct we hand it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// One client under test: an invitation (answering the invited user's id), a lookup by email,
/// a status call by object id.
pub trait Ops: Sync {
    fn invite(
        &self,
        email: String,
    ) -> impl std::future::Future<Output = Result<String, String>> + Send;
    fn lookup(&self, email: String)
        -> impl std::future::Future<Output = Result<(), String>> + Send;
    fn status(&self, id: String) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

/// Runs `args.workload` against `ops` and answers the one JSON line of figures: client CPU and
/// wall time per request over the timed section (after one first request and `warmup` more),
/// throughput, peak RSS, first-request and process-start-to-first-request times.
pub async fn run_workload<O: Ops>(
    client: &str,
    ops: &O,
    args: &ClientArgs,
    started: std::time::Instant,
    setup_ms: f64,
) -> serde_json::Value {
    use futures_util::StreamExt;
    use std::time::Instant;

    let f0 = Instant::now();
    let first_id = ops
        .invite(args.email("first", 0))
        .await
        .expect("first invitation");
    let first_req_ms = f0.elapsed().as_secs_f64() * 1e3;
    let start_to_first_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut out = serde_json::json!({
        "client": client,
        "workload": args.workload,
        "first_req_ms": first_req_ms,
        "start_to_first_ms": start_to_first_ms,
        "setup_ms": setup_ms,
    });
    if args.workload == "first" {
        out["peak_rss_mib"] = peak_rss_mib(std::process::id()).into();
        return out;
    }
    if args.workload == "seed" {
        let mut lines = format!("{} {first_id}\n", args.email("first", 0));
        for i in 0..args.n {
            let email = args.email("seed", i);
            let id = ops.invite(email.clone()).await.expect("seed invitation");
            lines.push_str(&format!("{email} {id}\n"));
        }
        std::fs::write(args.fixtures.as_ref().expect("--fixtures"), lines).expect("write fixtures");
        out["n"] = args.n.into();
        return out;
    }
    let fixtures = if args.workload.ends_with("lookup") || args.workload.ends_with("status") {
        args.fixtures()
    } else {
        Vec::new()
    };
    let one = |i: usize| {
        let fx = fixtures.get(i % fixtures.len().max(1)).cloned();
        async move {
            match args.workload.as_str() {
                "seq-invite" | "conc-invite" => ops.invite(args.email("", i)).await.map(drop),
                "seq-lookup" => ops.lookup(fx.expect("fixtures").0).await,
                "seq-status" => ops.status(fx.expect("fixtures").1).await,
                other => panic!("unknown workload {other}"),
            }
        }
    };
    for i in 0..args.warmup {
        let r = match args.workload.as_str() {
            "seq-invite" | "conc-invite" => ops.invite(args.email("warm", i)).await.map(drop),
            _ => one(i).await,
        };
        r.expect("warm-up request");
    }
    let concurrency = if args.workload.starts_with("conc") {
        args.concurrency
    } else {
        1
    };
    let c0 = cpu_secs();
    let w0 = Instant::now();
    let errors = if concurrency == 1 {
        let mut errors = 0usize;
        for i in 0..args.n {
            if one(i).await.is_err() {
                errors += 1;
            }
        }
        errors
    } else {
        futures_util::stream::iter(0..args.n)
            .map(one)
            .buffer_unordered(concurrency)
            .filter(|r| std::future::ready(r.is_err()))
            .count()
            .await
    };
    let wall = w0.elapsed().as_secs_f64();
    let cpu = cpu_secs() - c0;
    let n = args.n as f64;
    out["n"] = args.n.into();
    out["concurrency"] = concurrency.into();
    out["errors"] = errors.into();
    out["cpu_us_per_req"] = (cpu / n * 1e6).into();
    out["wall_us_per_req"] = (wall / n * 1e6).into();
    out["req_per_s"] = (n / wall).into();
    out["peak_rss_mib"] = peak_rss_mib(std::process::id()).into();
    out
}
