//! Plain data for one run: events as capture delivers them, the model built from them
//! (lanes, tasks, wakes), range queries and derived statistics. No tokio, no egui.

pub mod compare;
pub mod data;
pub mod event;
pub mod findings;
pub mod model;
mod per_task;
pub mod predict;
pub mod resources;
pub mod stats;
pub mod steps;

pub use compare::Comparison;
pub use event::{Batch, Event, EventKind, SpawnLocation, TaskId};
pub use findings::{Finding, FindingKind, Severity};
pub use model::{CPU_JOB_IDS, HTTP_CANCELLED, Runtime};
pub use model::{
    GroupMetrics, HttpRequest, Lane, LaneKind, LivePoll, Outcome, ParkSpan, PollOutcome, PollRef,
    PollSpan, PrintLine, RuntimeSample, StateSpan, Task, TaskKind, TaskState, Trace, Wake,
    WakeSource,
};
pub use predict::{Figure, Guess, Reveal};
pub use resources::{ChannelOp, Counter, ResourceInfo};
pub use stats::Summary;
pub use steps::{StepInfo, StepMark, StepSpan, WaitReason};
