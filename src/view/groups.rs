//! Task groups as every view shows them: the tasks of one name (or, for library tasks, one
//! spawn location), the scenario's own groups first, then what libraries spawned. A group
//! of more than [`EXPAND_UP_TO`] tasks, or a library's, is shown collapsed to a row of its
//! tasks by state unless the scenario asks for it open (`[view] expand`).

use std::collections::HashMap;

use crate::trace::Trace;

/// Groups with more tasks than this start collapsed.
pub const EXPAND_UP_TO: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskGroup {
    pub name: String,
    /// Spawned by a library (an unnamed task), not by a step of the scenario.
    pub library: bool,
    /// Indices into the trace's tasks, in task order.
    pub tasks: Vec<u32>,
}

impl TaskGroup {
    /// Shown one row per task when nobody said otherwise.
    pub fn expanded_by_default(&self) -> bool {
        !self.library && self.tasks.len() <= EXPAND_UP_TO
    }
}

/// The run's groups, the scenario's own first. Tasks of tokio's own (`block_on`'s future,
/// which is neither spawned nor polled as a task) are left out.
pub fn task_groups(trace: &Trace) -> Vec<TaskGroup> {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<TaskGroup> = Vec::new();
    for (i, t) in trace.tasks.iter().enumerate() {
        if t.spawn_ns().is_none() && trace.task_polls(i as u32).is_empty() {
            continue;
        }
        let name = trace.label(t);
        let g = *by_name.entry(name.clone()).or_insert_with(|| {
            groups.push(TaskGroup {
                name,
                library: t.name.is_none(),
                tasks: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].tasks.push(i as u32);
    }
    groups.sort_by_key(|g| g.library);
    groups
}
