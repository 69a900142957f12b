//! The embedded lab HTTP server: 127.0.0.1 only, ephemeral port, its own thread and its own
//! tokio runtime (so nothing of it appears in the runtime under study). Answers any path
//! after `latency_ms ± jitter_ms` (`?ms=N` overrides it) and, above `rate_limit_per_s`
//! accepted requests in the last second, answers 429 at once.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::scenario::ServerConfig;

/// What the server saw, for tests and the summary.
#[derive(Debug, Default)]
pub struct LabStats {
    pub requests: AtomicU64,
    pub rejected: AtomicU64,
    in_flight: AtomicU64,
    pub max_in_flight: AtomicU64,
}

struct State {
    config: ServerConfig,
    accepted: Mutex<VecDeque<Instant>>,
    rng: AtomicU64,
    stats: Arc<LabStats>,
}

impl State {
    /// splitmix64 over an atomic counter: enough randomness for jitter.
    fn random(&self) -> u64 {
        let mut z = self
            .rng
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn latency_ms(&self, query: Option<&str>) -> u64 {
        let explicit = query.and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("ms="))
                .and_then(|v| v.parse::<u64>().ok())
        });
        if let Some(ms) = explicit {
            return ms.min(crate::scenario::Limits::LATENCY_MS);
        }
        let ServerConfig {
            latency_ms,
            jitter_ms,
            ..
        } = self.config;
        if jitter_ms == 0 {
            return latency_ms;
        }
        let offset = self.random() % (2 * jitter_ms + 1);
        (latency_ms + offset).saturating_sub(jitter_ms)
    }

    /// Sliding one-second window over accepted requests.
    fn admit(&self) -> bool {
        let limit = self.config.rate_limit_per_s;
        if limit == 0 {
            return true;
        }
        let now = Instant::now();
        let Ok(mut window) = self.accepted.lock() else {
            return true;
        };
        while window
            .front()
            .is_some_and(|&t| now.duration_since(t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() as u64 >= limit {
            return false;
        }
        window.push_back(now);
        true
    }
}

pub struct LabServer {
    addr: SocketAddr,
    stats: Arc<LabStats>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LabServer {
    pub fn start(config: ServerConfig) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stats = Arc::new(LabStats::default());
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        let state = Arc::new(State {
            config,
            accepted: Mutex::new(VecDeque::new()),
            rng: AtomicU64::new(seed),
            stats: stats.clone(),
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("asyncscope-lab".into())
            .spawn(move || {
                crate::run::yield_to_the_runtime();
                rt.block_on(serve(listener, state, rx))
            })?;
        Ok(LabServer {
            addr,
            stats,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> &LabStats {
        &self.stats
    }
}

impl Drop for LabServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(listener: TcpListener, state: Arc<State>, mut shutdown: oneshot::Receiver<()>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(req, state.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

async fn handle(
    req: Request<hyper::body::Incoming>,
    state: Arc<State>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let stats = &state.stats;
    stats.requests.fetch_add(1, Ordering::Relaxed);
    if !state.admit() {
        stats.rejected.fetch_add(1, Ordering::Relaxed);
        return Ok(response(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{{\"error\":\"rate limit: more than {} requests/s\"}}",
                state.config.rate_limit_per_s
            ),
        ));
    }
    let now = stats.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::Relaxed);
    let ms = state.latency_ms(req.uri().query());
    tokio::time::sleep(Duration::from_millis(ms)).await;
    stats.in_flight.fetch_sub(1, Ordering::Relaxed);
    let body = format!("{{\"path\":{:?},\"ms\":{ms}}}", req.uri().path());
    Ok(response(StatusCode::OK, body))
}

fn response(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    if let Ok(v) = "application/json".parse() {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    if status == StatusCode::TOO_MANY_REQUESTS
        && let Ok(v) = "1".parse()
    {
        resp.headers_mut().insert(hyper::header::RETRY_AFTER, v);
    }
    resp
}
