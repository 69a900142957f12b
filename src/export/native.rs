//! The native trace file: a run saved to reopen later (`asyncscope open FILE`).
//!
//! Layout: magic `ASCOPETR` (8 bytes), format version (u32 LE), body length (u64 LE),
//! CRC-32 of the body (u32 LE), then the body: the trace's plain form
//! ([`crate::trace::data::TraceData`]) in postcard (variable-length integers, with times
//! delta-encoded per lane), followed (from version 2) by the [`Extension`] in postcard: what
//! was added since version 1, which this build still reads. Loading checks all of it and
//! says which check failed.

use std::io::{self, Write as _};
use std::path::Path;

use crate::trace::Trace;
use crate::trace::data::{DataError, TraceData};

const MAGIC: &[u8; 8] = b"ASCOPETR";
pub const VERSION: u32 = 7;

/// Version-2 additions, after the version-1 body.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Extension {
    /// Recording stopped at the memory cap.
    truncated: bool,
}

/// Version-3 additions: version 2's, then the workers' sleeps.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ExtensionV3 {
    truncated: bool,
    /// Per lane, `(start delta, duration)` ns (see `TraceData::parks`).
    parks: Vec<Vec<(u64, u64)>>,
    /// CPUs of the machine that ran it.
    cpus: u32,
}

/// Version-4 additions: version 3's, then the step table and each task's step marks.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ExtensionV4 {
    truncated: bool,
    parks: Vec<Vec<(u64, u64)>>,
    cpus: u32,
    steps: Vec<crate::trace::StepInfo>,
    /// Per task, `(ts delta, step, entered)` (see `TraceData::step_marks`).
    step_marks: Vec<Vec<(u64, u32, bool)>>,
    resources: Vec<crate::trace::ResourceInfo>,
    channel_ops: Vec<crate::trace::ChannelOp>,
}

/// Version-5 additions: version 4's, then the `print` lines. (postcard writes a struct's
/// fields one after the other, with no framing: a nested struct is the same bytes as its
/// fields written in its place.)
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ExtensionV5 {
    v4: ExtensionV4,
    /// `(ts_ns, task id, text)` (see `TraceData::prints`).
    prints: Vec<(u64, Option<u64>, String)>,
    /// The tasks that are CPU-pool jobs (see `TraceData::cpu_jobs`).
    cpu_jobs: Vec<u64>,
}

/// Version-6 additions: version 5's, then the runtime the run was on.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ExtensionV6 {
    v5: ExtensionV5,
    runtime: crate::trace::Runtime,
    notes: Vec<String>,
}

/// Version-7 additions: version 6's, then the figures the audience was asked to predict
/// and their guesses.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ExtensionV7 {
    v6: ExtensionV6,
    predict: Vec<crate::trace::Figure>,
    guesses: Vec<crate::trace::Guess>,
}

impl From<ExtensionV6> for ExtensionV7 {
    fn from(v6: ExtensionV6) -> Self {
        ExtensionV7 {
            v6,
            ..Default::default()
        }
    }
}

impl From<ExtensionV4> for ExtensionV5 {
    fn from(v4: ExtensionV4) -> Self {
        ExtensionV5 {
            v4,
            ..Default::default()
        }
    }
}

impl From<ExtensionV5> for ExtensionV6 {
    fn from(v5: ExtensionV5) -> Self {
        ExtensionV6 {
            v5,
            ..Default::default()
        }
    }
}

const HEADER_LEN: usize = 8 + 4 + 8 + 4;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("not an asyncscope trace file (it does not start with `ASCOPETR`)")]
    NotATrace,
    #[error("trace file format version {found}; this build reads versions 1 to {VERSION}")]
    Version { found: u32 },
    #[error(
        "the file is truncated: the header announces {expected} bytes of data, {found} are there"
    )]
    Truncated { expected: u64, found: u64 },
    #[error("the file is corrupted: its checksum does not match its contents")]
    Checksum,
    #[error("the file is corrupted: {0}")]
    Decode(String),
    #[error("the file is corrupted: {0}")]
    Data(#[from] DataError),
}

/// The file's bytes for a finished trace.
pub fn to_bytes(trace: &Trace) -> Vec<u8> {
    // postcard cannot fail on these types (no maps with non-string keys, no unsized data).
    let mut data = trace.to_data();
    let parks = std::mem::take(&mut data.parks);
    let steps = std::mem::take(&mut data.steps);
    let step_marks = std::mem::take(&mut data.step_marks);
    let resources = std::mem::take(&mut data.resources);
    let channel_ops = std::mem::take(&mut data.channel_ops);
    let prints = std::mem::take(&mut data.prints);
    let cpu_jobs = std::mem::take(&mut data.cpu_jobs);
    let mut body = postcard::to_allocvec(&data).unwrap_or_default();
    let ext = ExtensionV6 {
        v5: ExtensionV5 {
            v4: ExtensionV4 {
                truncated: trace.truncated,
                parks,
                cpus: trace.cpus,
                steps,
                step_marks,
                resources,
                channel_ops,
            },
            prints,
            cpu_jobs,
        },
        runtime: trace.runtime,
        notes: std::mem::take(&mut data.notes),
    };
    let ext = ExtensionV7 {
        v6: ext,
        predict: trace.predict.clone(),
        guesses: trace.guesses.clone(),
    };
    body.extend(postcard::to_allocvec(&ext).unwrap_or_default());
    framed(VERSION, &body)
}

/// The header (magic, version, length, checksum) followed by `body`.
fn framed(version: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// A trace from the file's bytes, after checking magic, version, length and checksum.
pub fn from_bytes(bytes: &[u8]) -> Result<Trace, LoadError> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(LoadError::NotATrace);
    }
    if bytes.len() < HEADER_LEN {
        return Err(LoadError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    }
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let version = u32_at(8);
    if !(1..=VERSION).contains(&version) {
        return Err(LoadError::Version { found: version });
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[12..20]);
    let len = u64::from_le_bytes(len);
    let body = &bytes[HEADER_LEN..];
    if body.len() as u64 != len {
        return Err(LoadError::Truncated {
            expected: len,
            found: body.len() as u64,
        });
    }
    if crc32fast::hash(body) != u32_at(20) {
        return Err(LoadError::Checksum);
    }
    let (mut data, rest): (TraceData, &[u8]) =
        postcard::take_from_bytes(body).map_err(|e| LoadError::Decode(e.to_string()))?;
    // Version 1 ends with the data; later versions add their extension after it.
    let decode = |e: postcard::Error| LoadError::Decode(e.to_string());
    let (ext, rest): (ExtensionV7, &[u8]) = match version {
        1 => (ExtensionV7::default(), rest),
        2 => {
            let (v2, rest): (Extension, &[u8]) = postcard::take_from_bytes(rest).map_err(decode)?;
            let v4 = ExtensionV4 {
                truncated: v2.truncated,
                ..ExtensionV4::default()
            };
            (ExtensionV6::from(ExtensionV5::from(v4)).into(), rest)
        }
        3 => {
            let (v3, rest): (ExtensionV3, &[u8]) =
                postcard::take_from_bytes(rest).map_err(decode)?;
            let v4 = ExtensionV4 {
                truncated: v3.truncated,
                parks: v3.parks,
                cpus: v3.cpus,
                ..ExtensionV4::default()
            };
            (ExtensionV6::from(ExtensionV5::from(v4)).into(), rest)
        }
        4 => {
            let (v4, rest): (ExtensionV4, &[u8]) =
                postcard::take_from_bytes(rest).map_err(decode)?;
            (ExtensionV6::from(ExtensionV5::from(v4)).into(), rest)
        }
        5 => {
            let (v5, rest): (ExtensionV5, &[u8]) =
                postcard::take_from_bytes(rest).map_err(decode)?;
            (ExtensionV6::from(v5).into(), rest)
        }
        6 => {
            let (v6, rest): (ExtensionV6, &[u8]) =
                postcard::take_from_bytes(rest).map_err(decode)?;
            (v6.into(), rest)
        }
        _ => postcard::take_from_bytes(rest).map_err(decode)?,
    };
    if !rest.is_empty() {
        return Err(LoadError::Decode(format!(
            "{} bytes after the end of the data",
            rest.len()
        )));
    }
    let (predict, guesses) = (ext.predict, ext.guesses);
    let ext = ext.v6;
    data.runtime = ext.runtime;
    data.notes = ext.notes;
    let ext = ext.v5;
    let (v4, prints) = (ext.v4, ext.prints);
    data.cpu_jobs = ext.cpu_jobs;
    data.truncated = v4.truncated;
    data.parks = v4.parks;
    data.cpus = v4.cpus;
    data.steps = v4.steps;
    data.step_marks = v4.step_marks;
    data.resources = v4.resources;
    data.channel_ops = v4.channel_ops;
    data.prints = prints;
    let mut trace = Trace::from_data(data)?;
    trace.predict = predict;
    trace.guesses = guesses;
    Ok(trace)
}

/// Saves a finished trace to `path` atomically.
pub fn save(trace: &Trace, path: &Path) -> io::Result<()> {
    let bytes = to_bytes(trace);
    super::write_atomic(path, |w| w.write_all(&bytes))
}

/// Loads a trace file.
pub fn load(path: &Path) -> Result<Trace, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    from_bytes(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::event::{Batch, Event, EventKind, named_spawn};
    use crate::trace::{Summary, stats::Histograms};

    fn sample() -> Trace {
        let mut t = Trace::new("saved");
        t.steps = vec![crate::trace::StepInfo {
            kind: "http_get".into(),
            label: "GET /x".into(),
            line: 7,
            depth: 0,
            wait: Some(crate::trace::WaitReason::Http),
            on: "GET /x".into(),
        }];
        let ev = |ts_ns, kind| Event { ts_ns, kind };
        let mut a = named_spawn(0, 1, "fetch").to_vec();
        a.extend([
            ev(10, EventKind::PollStart { task: 1 }),
            ev(12, EventKind::StepEnter { step: 0 }),
            ev(20, EventKind::PollEnd { task: 1 }),
            ev(
                25,
                EventKind::HttpStart {
                    req: 0,
                    url: "/x".into(),
                },
            ),
            ev(30, EventKind::Wake { task: 1 }),
            ev(40, EventKind::PollStart { task: 1 }),
            ev(
                41,
                EventKind::HttpEnd {
                    req: 0,
                    status: 200,
                },
            ),
            ev(44, EventKind::StepExit { step: 0 }),
            ev(45, EventKind::Terminate { task: 1 }),
            ev(50, EventKind::PollEnd { task: 1 }),
            ev(52, EventKind::Park),
            ev(58, EventKind::Unpark),
            ev(60, EventKind::Heartbeat { late_ns: 7 }),
            ev(61, EventKind::Park),
        ]);
        t.ingest(Batch {
            thread: 0,
            events: a,
        });
        t.wall_ns = 60;
        t.finish();
        t
    }

    #[test]
    fn a_saved_trace_reads_back_the_same() {
        let t = sample();
        let back = from_bytes(&to_bytes(&t)).expect("loads");
        assert_eq!(back.to_data(), t.to_data());
        assert_eq!(back.lanes[0].parks, t.lanes[0].parks);
        assert_eq!(
            t.lanes[0].parks.len(),
            2,
            "the sleep still going at the end is closed"
        );
        assert_eq!(Summary::from_trace(&back), Summary::from_trace(&t));
        assert_eq!(Histograms::from_trace(&back), Histograms::from_trace(&t));
        assert_eq!(back.task_states(0), t.task_states(0));
        assert_eq!(back.task_by_id(1).map(|t| back.polls_of(t).len()), Some(2));
        // Where it waited, and in which step of which line.
        assert_eq!(back.steps, t.steps);
        assert_eq!(back.task_step_marks(0).len(), 2);
        let waiting = back.task_states(0)[2];
        assert_eq!(
            (waiting.state, waiting.wait, waiting.step),
            (
                crate::trace::TaskState::Waiting,
                Some(crate::trace::WaitReason::Http),
                Some(0)
            )
        );
    }

    /// A version-4 extension of `data`'s parts (taken out of it), as older builds wrote.
    fn v4_of(data: &mut TraceData) -> ExtensionV4 {
        ExtensionV4 {
            truncated: false,
            parks: std::mem::take(&mut data.parks),
            cpus: 2,
            steps: std::mem::take(&mut data.steps),
            step_marks: std::mem::take(&mut data.step_marks),
            resources: std::mem::take(&mut data.resources),
            channel_ops: std::mem::take(&mut data.channel_ops),
        }
    }

    #[test]
    fn the_guesses_are_kept_and_version_6_files_have_none() {
        use crate::trace::{Figure, Guess};
        let mut t = sample();
        t.predict = vec![Figure::WallMs, Figure::PeakInFlight];
        t.guesses = vec![Guess {
            figure: Figure::WallMs,
            value: 250.5,
        }];
        let back = from_bytes(&to_bytes(&t)).expect("loads");
        assert_eq!(back.predict, t.predict);
        assert_eq!(back.guesses, t.guesses);
        let mut data = t.to_data();
        let ext = ExtensionV6 {
            v5: ExtensionV5 {
                v4: v4_of(&mut data),
                prints: std::mem::take(&mut data.prints),
                cpu_jobs: std::mem::take(&mut data.cpu_jobs),
            },
            runtime: t.runtime,
            notes: Vec::new(),
        };
        let mut body = postcard::to_allocvec(&data).expect("encodes");
        body.extend(postcard::to_allocvec(&ext).expect("encodes"));
        let back = from_bytes(&framed(6, &body)).expect("a version-6 file loads");
        assert!(back.predict.is_empty() && back.guesses.is_empty());
        assert_eq!(back.lanes.len(), t.lanes.len());
    }

    #[test]
    fn the_runtime_is_kept_and_version_5_files_are_tokio() {
        let mut t = sample();
        t.runtime = crate::trace::Runtime::Asyncio;
        let back = from_bytes(&to_bytes(&t)).expect("loads");
        assert_eq!(back.runtime, crate::trace::Runtime::Asyncio);
        let mut data = t.to_data();
        let ext = ExtensionV5 {
            v4: v4_of(&mut data),
            prints: std::mem::take(&mut data.prints),
            cpu_jobs: std::mem::take(&mut data.cpu_jobs),
        };
        let mut body = postcard::to_allocvec(&data).expect("encodes");
        body.extend(postcard::to_allocvec(&ext).expect("encodes"));
        let back = from_bytes(&framed(5, &body)).expect("a version-5 file loads");
        assert_eq!(back.runtime, crate::trace::Runtime::Tokio);
        assert_eq!(back.lanes.len(), t.lanes.len());
    }

    #[test]
    fn version_4_files_still_load_without_prints() {
        let mut t = sample();
        t.prints.push(crate::trace::PrintLine {
            ts_ns: 5,
            task: Some(t.tasks[0].id),
            text: "hello".into(),
        });
        assert_eq!(from_bytes(&to_bytes(&t)).expect("loads").prints, t.prints);
        let mut data = t.to_data();
        let ext = v4_of(&mut data);
        data.prints.clear();
        let mut body = postcard::to_allocvec(&data).expect("encodes");
        body.extend(postcard::to_allocvec(&ext).expect("encodes"));
        let back = from_bytes(&framed(4, &body)).expect("a version-4 file loads");
        assert_eq!(back.steps, t.steps, "with its steps");
        assert!(back.prints.is_empty(), "and no print lines");
    }

    #[test]
    fn version_3_files_still_load_without_steps() {
        let t = sample();
        let mut data = t.to_data();
        let parks = std::mem::take(&mut data.parks);
        let mut body = postcard::to_allocvec(&data).expect("encodes");
        let v3 = ExtensionV3 {
            truncated: false,
            parks,
            cpus: 2,
        };
        body.extend(postcard::to_allocvec(&v3).expect("encodes"));
        let back = from_bytes(&framed(3, &body)).expect("a version-3 file loads");
        assert_eq!(back.cpus, 2);
        assert_eq!(back.lanes[0].parks, t.lanes[0].parks);
        assert!(back.steps.is_empty() && back.task_step_marks(0).is_empty());
        let waiting = back.task_states(0)[2];
        assert_eq!(
            waiting.wait,
            Some(crate::trace::WaitReason::Other),
            "no steps: no reason known"
        );
    }

    #[test]
    fn version_1_files_still_load_and_truncation_is_kept() {
        let t = sample();
        let v1 = framed(1, &postcard::to_allocvec(&t.to_data()).expect("encodes"));
        let back = from_bytes(&v1).expect("a version-1 file loads");
        // Everything but the sleeps, which version 1 did not have.
        let mut expected = t.to_data();
        expected.parks.iter_mut().for_each(Vec::clear);
        expected.steps.clear();
        expected.step_marks.iter_mut().for_each(Vec::clear);
        assert_eq!(back.to_data(), expected);
        assert!(!back.truncated);
        // Version 2: the truncation flag, no sleeps.
        let mut body = postcard::to_allocvec(&t.to_data()).expect("encodes");
        body.extend(postcard::to_allocvec(&Extension { truncated: true }).expect("encodes"));
        let v2 = from_bytes(&framed(2, &body)).expect("a version-2 file loads");
        assert!(v2.truncated);
        assert!(v2.lanes.iter().all(|l| l.parks.is_empty()));
        let mut cut = sample();
        cut.truncated = true;
        assert!(from_bytes(&to_bytes(&cut)).expect("loads").truncated);
        // Garbage after the data is corruption, not an extension.
        let mut body = postcard::to_allocvec(&t.to_data()).expect("encodes");
        body.extend([0, 0, 7]);
        let err = from_bytes(&framed(2, &body)).expect_err("refused");
        assert!(err.to_string().contains("bytes after the end"), "{err}");
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let good = to_bytes(&sample());
        assert!(matches!(
            from_bytes(b"{\"traceEvents\": []}"),
            Err(LoadError::NotATrace)
        ));
        let mut v9 = good.clone();
        v9[8] = 9;
        assert!(matches!(
            from_bytes(&v9),
            Err(LoadError::Version { found: 9 })
        ));
        assert!(matches!(
            from_bytes(&good[..good.len() - 3]),
            Err(LoadError::Truncated { .. })
        ));
        assert!(matches!(
            from_bytes(&good[..10]),
            Err(LoadError::Truncated { .. })
        ));
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(matches!(from_bytes(&flipped), Err(LoadError::Checksum)));
        // A body that checks out but says something impossible: a poll of task 9 of 1.
        let mut data = sample().to_data();
        data.lanes[0].polls[0].task = 9;
        let forged = framed(1, &postcard::to_allocvec(&data).expect("encodes"));
        let err = from_bytes(&forged).expect_err("refused");
        assert!(err.to_string().contains("task 9 of 1"), "{err}");
    }
}
