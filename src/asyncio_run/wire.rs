//! What the asyncio runner sends over its socket, read into the trace model: frames of a
//! 16-byte header (`u32` type, `u32` payload length, `u64` thread ident, little-endian)
//! and a payload. Type 0 is the runner's hello (JSON), type 1 a thread's records (int64
//! quadruples: kind, `perf_counter_ns`, two arguments), type 2 new strings (each a `u32`
//! length and UTF-8; ids count from 0 in the order they came). A record that names a text
//! carries its string id. The kinds are the runner's (`python/asyncscope_asyncio.py`).
//!
//! Binary, not lines: the runner appends four integers to an `array` per event and
//! hands over the buffer's bytes, with no formatting on the loop's thread (see the README's
//! Performance section for what that saved).

use std::collections::HashMap;
use std::sync::Arc;

use crate::trace::{Batch, Event, EventKind, StepInfo, Trace, WaitReason};

const HEADER: usize = 16;
const RECORD: usize = 32;
/// A frame larger than this is not the runner's (its buffers are flushed at 64 Ki ints).
const MAX_FRAME: usize = 64 << 20;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WireError {
    #[error("byte {at}: frame type {kind} is not one the runner sends")]
    FrameType { at: u64, kind: u32 },
    #[error("byte {at}: a frame of {len} bytes is larger than the runner sends")]
    FrameSize { at: u64, len: usize },
    #[error("byte {at}: records of {len} bytes are not whole 32-byte records")]
    Records { at: u64, len: usize },
    #[error("byte {at}: record kind {kind} is not one the runner sends")]
    Kind { at: u64, kind: i64 },
    #[error("byte {at}: string {id} was never sent")]
    String { at: u64, id: i64 },
    #[error("byte {at}: {what}")]
    Bad { at: u64, what: String },
    #[error("the runner's records came before its hello")]
    NoHello,
}

/// The runner's hello.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Hello {
    pub t0: u64,
    pub loop_thread: u64,
    pub python: String,
    pub mode: String,
}

/// Reads the runner's bytes as they come (any chunking) into a trace.
#[derive(Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Bytes consumed before `buf` (for error positions).
    offset: u64,
    pub hello: Option<Hello>,
    strings: Vec<Arc<str>>,
    /// Thread idents in order of first appearance (the loop's is 0).
    threads: Vec<u64>,
    /// Suspension and sample sites (string ids) to their step-table index.
    sites: HashMap<usize, u32>,
    /// Per task, the site it is paused at (left when its next step starts) and the line a
    /// long step was seen stuck on (left when that step ends).
    paused: HashMap<u64, u32>,
    stuck: HashMap<u64, u32>,
    /// Run start to the end of the work, ns (the runner's END record).
    pub wall_ns: Option<u64>,
    pub records: u64,
}

impl Decoder {
    /// Takes `bytes`, and ingests every frame they complete into `trace`.
    pub fn feed(&mut self, bytes: &[u8], trace: &mut Trace) -> Result<(), WireError> {
        // Taken out while its frames are read (they borrow it), put back with what is left.
        let mut buf = std::mem::take(&mut self.buf);
        buf.extend_from_slice(bytes);
        let result = self.frames(&buf, trace);
        let used = *result.as_ref().unwrap_or(&0);
        buf.drain(..used);
        self.offset += used as u64;
        self.buf = buf;
        result.map(drop)
    }

    /// Reads the complete frames at the start of `buf`; returns how many bytes they took.
    fn frames(&mut self, buf: &[u8], trace: &mut Trace) -> Result<usize, WireError> {
        let mut pos = 0;
        while buf.len() - pos >= HEADER {
            let h = &buf[pos..pos + HEADER];
            let kind = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
            let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
            let mut ident = [0u8; 8];
            ident.copy_from_slice(&h[8..16]);
            let ident = u64::from_le_bytes(ident);
            let at = self.offset + pos as u64;
            if len > MAX_FRAME {
                return Err(WireError::FrameSize { at, len });
            }
            if buf.len() - pos - HEADER < len {
                break;
            }
            let start = pos + HEADER;
            let payload = &buf[start..start + len];
            let payload_at = at + HEADER as u64;
            match kind {
                0 => {
                    let hello: Hello =
                        serde_json::from_slice(payload).map_err(|e| WireError::Bad {
                            at: payload_at,
                            what: format!("the hello is not the runner's JSON: {e}"),
                        })?;
                    if self.threads.is_empty() {
                        self.threads.push(hello.loop_thread);
                    }
                    self.hello = Some(hello);
                }
                1 => self.records(payload, payload_at, ident, trace)?,
                2 => self.strings(payload, payload_at)?,
                _ => return Err(WireError::FrameType { at, kind }),
            }
            pos = start + len;
        }
        Ok(pos)
    }

    /// Bytes of a frame not yet complete (a stream that ends with some is cut short).
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    fn strings(&mut self, payload: &[u8], at: u64) -> Result<(), WireError> {
        let mut i = 0;
        while i < payload.len() {
            let bad = |what: &str| WireError::Bad {
                at: at + i as u64,
                what: what.into(),
            };
            let len = payload
                .get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .ok_or_else(|| bad("a string's length is cut short"))?;
            let text = payload
                .get(i + 4..i + 4 + len)
                .ok_or_else(|| bad("a string is cut short"))?;
            let text = std::str::from_utf8(text).map_err(|_| bad("a string is not UTF-8"))?;
            self.strings.push(Arc::from(text));
            i += 4 + len;
        }
        Ok(())
    }

    fn string(&self, id: i64, at: u64) -> Result<Arc<str>, WireError> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.strings.get(i))
            .cloned()
            .ok_or(WireError::String { at, id })
    }

    /// The step-table index of a site (its string is the runner's JSON for it).
    fn site(&mut self, id: i64, at: u64, trace: &mut Trace) -> Result<u32, WireError> {
        let key = usize::try_from(id).map_err(|_| WireError::String { at, id })?;
        if let Some(&step) = self.sites.get(&key) {
            return Ok(step);
        }
        let text = self.string(id, at)?;
        let info: SiteJson = serde_json::from_str(&text).map_err(|e| WireError::Bad {
            at,
            what: format!("site {id} is not the runner's JSON: {e}"),
        })?;
        let step = trace.steps.len() as u32;
        trace.steps.push(info.step_info());
        self.sites.insert(key, step);
        Ok(step)
    }

    fn records(
        &mut self,
        payload: &[u8],
        at: u64,
        ident: u64,
        trace: &mut Trace,
    ) -> Result<(), WireError> {
        let Some(t0) = self.hello.as_ref().map(|h| h.t0) else {
            return Err(WireError::NoHello);
        };
        if !payload.len().is_multiple_of(RECORD) {
            return Err(WireError::Records {
                at,
                len: payload.len(),
            });
        }
        let thread = match self.threads.iter().position(|&t| t == ident) {
            Some(i) => i as u32,
            None => {
                self.threads.push(ident);
                self.threads.len() as u32 - 1
            }
        };
        let mut events = Vec::with_capacity(payload.len() / RECORD + 8);
        for (n, r) in payload.chunks_exact(RECORD).enumerate() {
            let int = |i: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&r[i * 8..i * 8 + 8]);
                i64::from_le_bytes(b)
            };
            let (kind, raw, a, b) = (int(0), int(1), int(2), int(3));
            let at = at + (n * RECORD) as u64;
            let ts_ns = u64::try_from(raw).unwrap_or(0).saturating_sub(t0);
            let id = a as u64;
            let mut push = |kind| events.push(Event { ts_ns, kind });
            match kind {
                1 => push(EventKind::SpawnAt {
                    task: id,
                    location: self.string(b, at)?,
                }),
                2 => push(EventKind::Name {
                    task: id,
                    name: self.string(b, at)?,
                }),
                3 => {
                    push(EventKind::PollStart { task: id });
                    if let Some(step) = self.paused.remove(&id) {
                        push(EventKind::StepExit { step });
                    }
                }
                4 | 5 => {
                    if let Some(step) = self.stuck.remove(&id) {
                        push(EventKind::StepExit { step });
                    }
                    // A pending step's end carries where it paused (string id + 1).
                    if kind == 4 && b > 0 {
                        let step = self.site(b - 1, at, trace)?;
                        self.paused.insert(id, step);
                        events.push(Event {
                            ts_ns,
                            kind: EventKind::StepEnter { step },
                        });
                    }
                    let mut push = |kind| events.push(Event { ts_ns, kind });
                    if kind == 5 {
                        push(EventKind::Terminate { task: id });
                    }
                    push(EventKind::PollEnd { task: id });
                }
                6 => push(EventKind::Wake { task: id }),
                7 => {
                    let name = self.string(b, at)?;
                    push(EventKind::SpawnBlocking {
                        task: id,
                        location: name.clone(),
                    });
                    push(EventKind::Name { task: id, name });
                }
                8 => push(EventKind::BlockingStart { task: id }),
                9 => {
                    push(EventKind::BlockingEnd { task: id });
                    push(EventKind::Terminate { task: id });
                }
                10 => push(EventKind::HttpStart {
                    req: id,
                    url: self.string(b, at)?,
                }),
                11 => push(EventKind::HttpEnd {
                    req: id,
                    status: u16::try_from(b).map_err(|_| WireError::Bad {
                        at,
                        what: format!("HTTP status {b}"),
                    })?,
                }),
                12 | 13 => {
                    let step = u32::try_from(a).map_err(|_| WireError::Bad {
                        at,
                        what: format!("step {a}"),
                    })?;
                    push(if kind == 12 {
                        EventKind::StepEnter { step }
                    } else {
                        EventKind::StepExit { step }
                    });
                }
                14 => push(EventKind::Heartbeat { late_ns: id }),
                15 => push(EventKind::Print {
                    text: self.string(a, at)?,
                }),
                16 => push(EventKind::Abort { task: id }),
                17 => push(EventKind::ChannelOp {
                    channel: u32::try_from(a).map_err(|_| WireError::Bad {
                        at,
                        what: format!("channel {a}"),
                    })?,
                    sent: b == 1,
                }),
                18 => push(EventKind::CpuJobQueued { job: id }),
                19 => push(EventKind::CpuJobStart { job: id }),
                20 => push(EventKind::CpuJobEnd { job: id }),
                21 => push(EventKind::Panic {
                    message: self.string(a, at)?,
                }),
                22 => push(EventKind::Park),
                23 => push(EventKind::Unpark),
                25 => {
                    let step = self.site(b, at, trace)?;
                    self.stuck.insert(id, step);
                    events.push(Event {
                        ts_ns,
                        kind: EventKind::StepEnter { step },
                    });
                }
                26 => self.wall_ns = Some(u64::try_from(a).unwrap_or(0).saturating_sub(t0)),
                _ => return Err(WireError::Kind { at, kind }),
            }
            self.records += 1;
        }
        if !events.is_empty() {
            trace.ingest(Batch { thread, events });
        }
        Ok(())
    }
}

/// A site as the runner describes it.
#[derive(serde::Deserialize)]
struct SiteJson {
    /// `await` (where a pending step paused) or `code` (where a long step was stuck).
    kind: String,
    /// `fetch.py:14`
    at: String,
    line: u32,
    code: String,
    wait: Option<String>,
}

impl SiteJson {
    fn step_info(self) -> StepInfo {
        let label = if self.code.is_empty() {
            self.at.clone()
        } else {
            format!("{} (`{}`)", self.at, self.code)
        };
        StepInfo {
            kind: self.kind,
            label,
            line: self.line,
            depth: 0,
            wait: self
                .wait
                .as_deref()
                .map(|w| WaitReason::from_name(w).unwrap_or(WaitReason::Other)),
            on: self.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: u32, thread: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&thread.to_le_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn records(rs: &[[i64; 4]]) -> Vec<u8> {
        rs.iter()
            .flat_map(|r| r.iter().flat_map(|i| i.to_le_bytes()))
            .collect()
    }

    fn strings(ss: &[&str]) -> Vec<u8> {
        ss.iter()
            .flat_map(|s| {
                let mut b = (s.len() as u32).to_le_bytes().to_vec();
                b.extend_from_slice(s.as_bytes());
                b
            })
            .collect()
    }

    fn hello() -> Vec<u8> {
        frame(
            0,
            0,
            br#"{"t0": 1000, "loop_thread": 7, "python": "3.11.7", "mode": "script"}"#,
        )
    }

    #[test]
    fn a_paused_task_waits_at_its_line_and_a_long_step_names_where_it_was_stuck() {
        let site = r#"{"kind":"await","at":"fetch.py:14","line":14,"code":"await asyncio.sleep(0.1)","wait":"timer"}"#;
        let stuck =
            r#"{"kind":"code","at":"fetch.py:9","line":9,"code":"time.sleep(1)","wait":null}"#;
        let mut bytes = hello();
        bytes.extend(frame(2, 0, &strings(&["fetch.py:12", "main", site, stuck])));
        bytes.extend(frame(
            1,
            7,
            &records(&[
                [1, 1010, 1, 0], // spawned at string 0
                [2, 1010, 1, 1], // named "main"
                [6, 1011, 1, 0], // woken
                [3, 1020, 1, 0], // step
                [4, 1030, 1, 3], // paused at fetch.py:14 (string 2, + 1)
                [6, 1100, 1, 0],
                [3, 1110, 1, 0],
                [25, 1120, 1, 3],
                [5, 2110, 1, 0], // a long last step, stuck at fetch.py:9
                [26, 2200, 2200, 0],
            ]),
        ));
        let mut t = Trace::new("x");
        let mut d = Decoder::default();
        // Any chunking: byte by byte here.
        for b in &bytes {
            d.feed(std::slice::from_ref(b), &mut t).expect("decodes");
        }
        assert_eq!(d.pending(), 0);
        assert_eq!(d.wall_ns, Some(1200));
        t.finish();
        assert_eq!(t.tasks.len(), 1);
        assert_eq!(t.label(&t.tasks[0]), "main");
        assert_eq!(t.steps.len(), 2);
        assert_eq!(t.steps[0].label, "fetch.py:14 (`await asyncio.sleep(0.1)`)");
        assert_eq!(t.steps[0].on, "fetch.py:14");
        assert_eq!(t.steps[0].wait, Some(WaitReason::Timer));
        assert_eq!(t.steps[1].wait, None);
        let spans = t.task_step_spans(0);
        let got: Vec<_> = spans
            .iter()
            .map(|s| (s.step, s.start_ns, s.end_ns))
            .collect();
        assert_eq!(got, [(0, 30, 110), (1, 120, 1110)]);
        assert_eq!(t.lanes[0].polls.len(), 2);
    }

    #[test]
    fn bad_bytes_are_refused_with_where() {
        let mut t = Trace::new("x");
        let err = Decoder::default()
            .feed(&frame(1, 7, &records(&[[3, 1, 1, 0]])), &mut t)
            .expect_err("no hello");
        assert_eq!(err, WireError::NoHello);
        let mut bytes = hello();
        bytes.extend(frame(1, 7, &records(&[[3, 1020, 1, 0], [99, 1030, 1, 0]])));
        let err = Decoder::default()
            .feed(&bytes, &mut t)
            .expect_err("unknown kind");
        assert_eq!(
            err.to_string(),
            format!(
                "byte {}: record kind 99 is not one the runner sends",
                hello().len() + 16 + 32
            )
        );
        let mut bytes = hello();
        bytes.extend(frame(1, 7, &records(&[[15, 1020, 5, 0]])));
        let err = Decoder::default()
            .feed(&bytes, &mut t)
            .expect_err("no string 5");
        assert!(matches!(err, WireError::String { id: 5, .. }), "{err}");
        let mut bytes = hello();
        bytes.extend(frame(1, 7, &[0u8; 31]));
        assert!(matches!(
            Decoder::default().feed(&bytes, &mut t),
            Err(WireError::Records { len: 31, .. })
        ));
        assert!(matches!(
            Decoder::default().feed(&frame(9, 0, b""), &mut t),
            Err(WireError::FrameType { kind: 9, .. })
        ));
    }
}
