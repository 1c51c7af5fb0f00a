//! Starting and stopping: our own accept loop over hyper-util so that a fault can close a
//! connection without answering, plus optional TLS and state persistence.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use rand::RngCore;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::config::Config;
use crate::counters::Counters;
use crate::error::Error;
use crate::fault_layer::DropConnection;
use crate::faults::FaultState;
use crate::state::{AppState, Data, Shared};
use crate::sync::lock;
use crate::throttle::Throttler;

/// A running emulator. Stops when `stop` is awaited or when dropped.
pub struct Emulator {
    base_url: String,
    ca_pem: Option<String>,
    shared: AppState,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    state_file: Option<PathBuf>,
    stopped: bool,
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

fn load_state(path: &PathBuf) -> Result<Data, Error> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let mut data: Data = serde_json::from_slice(&bytes).map_err(|e| Error::State {
                path: path.clone(),
                message: e.to_string(),
            })?;
            data.reindex();
            Ok(data)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Data::defaults()),
        Err(e) => Err(Error::State {
            path: path.clone(),
            message: e.to_string(),
        }),
    }
}

impl Emulator {
    pub async fn start(config: Config) -> Result<Emulator, Error> {
        config.faults.validate().map_err(Error::faults)?;
        let data = match &config.state_file {
            Some(p) => load_state(p)?,
            None => Data::defaults(),
        };
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| Error::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: config.listen,
            source,
        })?;
        let (tls, ca_pem) = match &config.https {
            Some(path) => {
                let (acceptor, pem) = crate::tls::self_signed()?;
                std::fs::write(path, &pem).map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
                (Some(acceptor), Some(pem))
            }
            None => (None, None),
        };
        let host = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            std::net::IpAddr::V4(ip) => ip.to_string(),
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{host}:{}", addr.port());

        let mut oidc_key = [0u8; 32];
        rand::rng().fill_bytes(&mut oidc_key);
        let shared = Arc::new(Shared {
            data: Mutex::new(data),
            counters: Mutex::new(Counters::default()),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            throttler: Mutex::new(Throttler::default()),
            start_faults: config.faults.clone(),
            seed: config.seed,
            https: tls.is_some(),
            base_url: OnceLock::new(),
            router: Mutex::new(None),
            oidc_key,
        });
        let _ = shared.base_url.set(base_url.clone());
        let router = crate::routes::router(shared.clone());
        *lock(&shared.router) = Some(router.clone());

        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, router, tls, rx));
        tracing::info!(%base_url, "graph emulator started");
        Ok(Emulator {
            base_url,
            ca_pem,
            shared,
            shutdown: tx,
            task: Some(task),
            state_file: config.state_file,
            stopped: false,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash); Graph lives under `/v1.0` and `/beta`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token authority: `{authority}/{tenant}/oauth2/v2.0/token`.
    pub fn authority_url(&self) -> &str {
        &self.base_url
    }

    /// The self-signed certificate's PEM when serving HTTPS.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s), saves state.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.finish();
    }

    fn finish(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        // Break the router ↔ state cycle so everything is freed.
        lock(&self.shared.router).take();
        if let Some(path) = &self.state_file {
            let bytes = serde_json::to_vec_pretty(&*lock(&self.shared.data)).unwrap_or_default();
            if let Err(e) = std::fs::write(path, bytes) {
                tracing::error!(path = %path.display(), error = %e, "cannot save state");
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.finish();
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: axum::Router,
    tls: Option<TlsAcceptor>,
    mut rx: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let router = router.clone();
                    let tls = tls.clone();
                    let rx = rx.clone();
                    conns.spawn(async move {
                        match tls {
                            Some(acceptor) => {
                                if let Ok(Ok(s)) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await {
                                    serve(TokioIo::new(s), router, rx).await;
                                }
                            }
                            None => serve(TokioIo::new(stream), router, rx).await,
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            _ = rx.changed() => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while conns.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        conns.abort_all();
    }
}

async fn serve<I>(io: TokioIo<I>, router: axum::Router, mut rx: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let router = router.clone();
        async move {
            let Ok(resp) = router.oneshot(req.map(Body::new)).await;
            if resp.extensions().get::<DropConnection>().is_some() {
                Err(Dropped)
            } else {
                Ok::<_, Dropped>(resp)
            }
        }
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // A client that never finishes its request head must not hold a connection forever.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30));
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    if *rx.borrow() {
        conn.as_mut().graceful_shutdown();
    }
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = rx.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.as_mut()).await;
        }
    }
}

#[allow(dead_code)]
fn _assert_infallible(e: Infallible) -> ! {
    match e {}
}
