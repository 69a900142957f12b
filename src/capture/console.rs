//! Serving a run to tokio-console (console-subscriber) while capture goes on.
//!
//! console-subscriber is a `tracing-subscriber` layer, and the process's global subscriber
//! is capture's own (see `subscriber.rs`). So a run with the console on gives the threads
//! of its runtime a subscriber of their own for the run: a registry with the console layer
//! and [`CaptureLayer`], which records what `ScopeSubscriber` records (wakes, blocking
//! tasks, names) through the registry's span ids. The console's gRPC server and its
//! aggregator run on a thread and runtime of their own, outside the runtime under study,
//! and keep serving after the run ends, until the [`Console`] is dropped (the next run, or
//! the app's exit), so tokio-console can still look at the finished run.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing::Dispatch;
use tracing::span;
use tracing::subscriber::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use super::buffer::{flush, record};
use super::subscriber::{is_blocking, spawn_span, wanted, woken_span};
use crate::trace::EventKind;

/// The port tokio-console connects to by default.
pub const DEFAULT_PORT: u16 = 6669;

/// A task's span, as [`CaptureLayer`] keeps it in the registry.
#[derive(Clone, Copy)]
struct TaskSpan {
    task: u64,
    blocking: bool,
}

/// Capture's part of the console-mode subscriber.
pub struct CaptureLayer;

impl<S> Layer<S> for CaptureLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let meta = attrs.metadata();
        if !(meta.is_span() && wanted(meta)) {
            return;
        }
        let blocking = is_blocking(meta);
        if let (Some(task), Some(span)) = (spawn_span(attrs, blocking), ctx.span(id)) {
            span.extensions_mut().insert(TaskSpan { task, blocking });
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let meta = event.metadata();
        if !(meta.is_event() && wanted(meta)) {
            return;
        }
        let Some(span_id) = woken_span(event).filter(|&id| id != 0) else {
            return;
        };
        let task = ctx
            .span(&span::Id::from_u64(span_id))
            .and_then(|s| s.extensions().get::<TaskSpan>().copied());
        if let Some(t) = task {
            record(EventKind::Wake { task: t.task });
        }
    }

    fn on_enter(&self, id: &span::Id, ctx: Context<'_, S>) {
        match task_span(id, &ctx) {
            Some(TaskSpan {
                task,
                blocking: false,
            }) => record(EventKind::PollStart { task }),
            Some(TaskSpan {
                task,
                blocking: true,
            }) => record(EventKind::BlockingStart { task }),
            None => {}
        }
    }

    fn on_exit(&self, id: &span::Id, ctx: Context<'_, S>) {
        match task_span(id, &ctx) {
            Some(TaskSpan {
                task,
                blocking: false,
            }) => record(EventKind::PollEnd { task }),
            Some(TaskSpan {
                task,
                blocking: true,
            }) => {
                record(EventKind::BlockingEnd { task });
                flush();
            }
            None => {}
        }
    }
}

/// The task of a span that is one (see `subscriber::ScopeSubscriber::enter` for why polls
/// are timed by it).
fn task_span<S>(id: &span::Id, ctx: &Context<'_, S>) -> Option<TaskSpan>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    ctx.span(id)?.extensions().get::<TaskSpan>().copied()
}

/// A console server for runs: the subscriber their runtime threads use, and the server
/// thread. Dropping it stops the server and frees the port.
pub struct Console {
    dispatch: Dispatch,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Console {
    /// Starts serving on 127.0.0.1:`port`. The error says why not (the port is taken).
    pub fn start(port: u16) -> Result<Self, String> {
        Self::start_with(port, true)
    }

    /// console-subscriber alone, with nothing of capture in its subscriber: what a user of
    /// tokio-console runs without asyncscope (the benchmarks' reference point).
    pub fn start_alone(port: u16) -> Result<Self, String> {
        Self::start_with(port, false)
    }

    fn start_with(port: u16, with_capture: bool) -> Result<Self, String> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        // Bound here, so a taken port is an error now, not on the server's thread later.
        let listener = TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| format!("tokio-console: cannot listen on {addr}: {e}"))?;
        let (layer, server) = console_subscriber::ConsoleLayer::builder()
            .server_addr(addr)
            .publish_interval(Duration::from_millis(200))
            .build();
        let registry = tracing_subscriber::registry().with(layer);
        let dispatch = if with_capture {
            Dispatch::new(registry.with(CaptureLayer))
        } else {
            Dispatch::new(registry)
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("asyncscope-console".into())
            .spawn(move || serve(listener, server, stop_rx))
            .map_err(|e| format!("tokio-console: {e}"))?;
        Ok(Console {
            dispatch,
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Where tokio-console connects: `tokio-console http://127.0.0.1:6669`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The subscriber a run's threads use.
    pub fn dispatch(&self) -> &Dispatch {
        &self.dispatch
    }
}

/// The console's gRPC server and aggregator, on this thread, until `stop`.
fn serve(
    listener: TcpListener,
    server: console_subscriber::Server,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    rt.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        let parts = server.into_parts();
        let aggregate = tokio::spawn(parts.aggregator.run());
        let _ = tonic::transport::Server::builder()
            .add_service(parts.instrument_server)
            .serve_with_incoming_shutdown(
                tokio_stream::wrappers::TcpListenerStream::new(listener),
                async {
                    let _ = stop.await;
                },
            )
            .await;
        aggregate.abort();
    });
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

thread_local! {
    /// This thread's console-mode subscriber, for as long as it runs in the run.
    static GUARD: std::cell::RefCell<Option<tracing::dispatcher::DefaultGuard>> =
        const { std::cell::RefCell::new(None) };
}

/// Makes `dispatch` this thread's subscriber until [`leave`].
pub fn enter(dispatch: &Dispatch) {
    let guard = tracing::dispatcher::set_default(dispatch);
    GUARD.with(|g| {
        if let Ok(mut g) = g.try_borrow_mut() {
            *g = Some(guard);
        }
    });
}

/// Back to the global subscriber on this thread.
pub fn leave() {
    let guard = GUARD.with(|g| g.try_borrow_mut().ok().and_then(|mut g| g.take()));
    drop(guard);
}
