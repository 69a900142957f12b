//! One short list per task (its polls, its wakes), stored for the model's memory budget.

/// A list per task, by task index. While a run is live each task's list grows on its own;
/// a finished trace keeps all the lists in one array with an offset per task: 4 bytes per
/// task instead of a 24-byte `Vec` plus an allocation.
#[derive(Clone, Debug)]
pub(crate) enum PerTask<T> {
    Growing(Vec<Vec<T>>),
    Flat {
        /// `starts[i]..starts[i + 1]` is task i's list; one more entry than tasks.
        starts: Vec<u32>,
        items: Vec<T>,
    },
}

impl<T> Default for PerTask<T> {
    fn default() -> Self {
        PerTask::Growing(Vec::new())
    }
}

impl<T: Copy + Default> PerTask<T> {
    /// Task `task`'s list (empty for a task that has none yet).
    pub fn get(&self, task: usize) -> &[T] {
        match self {
            PerTask::Growing(lists) => lists.get(task).map_or(&[], Vec::as_slice),
            PerTask::Flat { starts, items } => match (starts.get(task), starts.get(task + 1)) {
                (Some(&a), Some(&b)) => &items[a as usize..b as usize],
                _ => &[],
            },
        }
    }

    /// Appends to task `task`'s list (a flat store turns back into growing lists first).
    pub fn push(&mut self, task: usize, item: T) {
        let lists = self.growing();
        if lists.len() <= task {
            lists.resize_with(task + 1, Vec::new);
        }
        lists[task].push(item);
    }

    /// Removes the last occurrence of `item` from task `task`'s list.
    pub fn remove(&mut self, task: usize, item: &T)
    where
        T: PartialEq,
    {
        if let Some(list) = self.growing().get_mut(task)
            && let Some(i) = list.iter().rposition(|x| x == item)
        {
            list.remove(i);
        }
    }

    fn growing(&mut self) -> &mut Vec<Vec<T>> {
        if let PerTask::Flat { starts, .. } = self {
            let tasks = starts.len().saturating_sub(1);
            let lists = (0..tasks).map(|i| self.get(i).to_vec()).collect();
            *self = PerTask::Growing(lists);
        }
        match self {
            PerTask::Growing(lists) => lists,
            PerTask::Flat { .. } => unreachable!("converted above"),
        }
    }

    /// Flat lists for `tasks` tasks from `(task, item)` pairs, each task's items in the
    /// order given (a counting sort: one pass to count, one to place).
    pub fn flat_from<I>(tasks: usize, pairs: impl Fn() -> I) -> Self
    where
        I: Iterator<Item = (u32, T)>,
    {
        let mut starts = vec![0u32; tasks + 1];
        for (t, _) in pairs() {
            starts[t as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut items = vec![T::default(); starts[tasks] as usize];
        for (t, item) in pairs() {
            let slot = &mut next[t as usize];
            items[*slot as usize] = item;
            *slot += 1;
        }
        PerTask::Flat { starts, items }
    }

    /// Sorts each task's list by `key`.
    pub fn sort_each_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        match self {
            PerTask::Growing(lists) => {
                for l in lists {
                    l.sort_by_key(&mut key);
                }
            }
            PerTask::Flat { starts, items } => {
                for w in starts.windows(2) {
                    items[w[0] as usize..w[1] as usize].sort_by_key(&mut key);
                }
            }
        }
    }

    /// Drops every list (for `tasks` tasks that have none).
    pub fn clear(&mut self) {
        *self = PerTask::Growing(Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_lists_keep_each_tasks_items_in_order() {
        let pairs = [(2u32, 10u32), (0, 11), (2, 12), (0, 13), (2, 14)];
        let lists = PerTask::flat_from(4, || pairs.iter().copied());
        assert_eq!(lists.get(0), [11, 13]);
        assert_eq!(lists.get(1), [] as [u32; 0]);
        assert_eq!(lists.get(2), [10, 12, 14]);
        assert_eq!(lists.get(3), [] as [u32; 0]);
        assert_eq!(lists.get(4), [] as [u32; 0], "past the last task");
    }

    #[test]
    fn pushing_onto_a_flat_store_keeps_what_was_there() {
        let mut lists = PerTask::flat_from(2, || [(1u32, 5u32), (0, 6)].into_iter());
        lists.push(1, 7);
        lists.push(3, 8);
        assert!(matches!(lists, PerTask::Growing(_)));
        assert_eq!(lists.get(0), [6]);
        assert_eq!(lists.get(1), [5, 7]);
        assert_eq!(lists.get(2), [] as [u32; 0]);
        assert_eq!(lists.get(3), [8]);
    }

    #[test]
    fn sorting_stays_within_each_list() {
        let mut lists =
            PerTask::flat_from(2, || [(0u32, 3u32), (1, 1), (0, 2), (1, 0)].into_iter());
        lists.sort_each_by_key(|&x| x);
        assert_eq!(lists.get(0), [2, 3]);
        assert_eq!(lists.get(1), [0, 1]);
    }
}
