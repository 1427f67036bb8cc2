//! Ordering packages so that a package's in-module imports are summarised
//! before it: a ready queue over the import graph, run by a fixed number of
//! the thread pool's workers that each hold one package at a time.
//!
//! The graph has an edge `p → q` when `p` imports `q`. Imports of non-test
//! files come first; imports of test files (`p_test` importing `q`, where `q`
//! may import `p`) are added after them, each only if it closes no cycle.
//! Edges are added in a fixed order, so which ones are left out (an import
//! cycle is a Go error anyway; through test files it is legal) does not depend
//! on timing, and neither does what a package sees: the facts of the packages
//! it reaches over the kept edges, all finished before it starts. The graph is
//! acyclic by construction, so the queue never waits forever.
//!
//! Among ready packages, the one heading the heaviest chain of dependents
//! goes first (its weight: the package's size), so that long chains start
//! early and no core idles at the end.

use super::{FactSet, PackageFacts};
use std::collections::BinaryHeap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// One package as the scheduler sees it.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The packages (indices) that its non-test files import.
    pub deps: Vec<usize>,
    /// The packages that only its test files import.
    pub test_deps: Vec<usize>,
    /// Its cost, e.g. its number of files.
    pub weight: usize,
}

/// The order packages may run in.
#[derive(Debug, Clone)]
pub struct Plan {
    deps: Vec<Vec<usize>>,
    dependents: Vec<Vec<usize>>,
    priority: Vec<usize>,
    dropped: Vec<(usize, usize)>,
}

impl Plan {
    /// Plans `nodes`; edges to missing nodes (out of range) and to the node
    /// itself are ignored.
    pub fn new(nodes: &[Node]) -> Plan {
        let n = nodes.len();
        let mut plan = Plan {
            deps: vec![Vec::new(); n],
            dependents: vec![Vec::new(); n],
            priority: vec![0; n],
            dropped: Vec::new(),
        };
        let mut seen = Marks::new(n);
        let edges = |test: bool| {
            let mut e: Vec<(usize, usize)> = nodes
                .iter()
                .enumerate()
                .flat_map(|(i, node)| {
                    let d = if test { &node.test_deps } else { &node.deps };
                    d.iter().map(move |&j| (i, j))
                })
                .filter(|&(i, j)| i != j && j < n)
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        };
        let primary = edges(false);
        // A valid module's non-test imports form no cycle: take them at once.
        let acyclic = {
            let mut deps = vec![Vec::new(); n];
            for &(i, j) in &primary {
                deps[i].push(j);
            }
            topological(&deps).len() == n
        };
        for (i, j) in primary {
            if acyclic || !plan.reaches(j, i, &mut seen) {
                plan.add(i, j);
            } else {
                plan.dropped.push((i, j));
            }
        }
        for (i, j) in edges(true) {
            if plan.deps[i].contains(&j) {
                continue;
            }
            if plan.reaches(j, i, &mut seen) {
                plan.dropped.push((i, j));
            } else {
                plan.add(i, j);
            }
        }
        // The weight of the heaviest chain of dependents each package heads.
        let order = topological(&plan.deps);
        for &i in order.iter().rev() {
            let above = plan.dependents[i]
                .iter()
                .map(|&d| plan.priority[d])
                .max()
                .unwrap_or(0);
            plan.priority[i] = nodes[i].weight.max(1) + above;
        }
        plan
    }

    fn add(&mut self, i: usize, j: usize) {
        self.deps[i].push(j);
        self.dependents[j].push(i);
    }

    /// Whether `to` can be reached from `from` over the kept edges.
    fn reaches(&self, from: usize, to: usize, seen: &mut Marks) -> bool {
        seen.clear();
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if seen.mark(x) {
                stack.extend(&self.deps[x]);
            }
        }
        false
    }

    /// The edges left out to keep the graph acyclic, as (importer, imported).
    pub fn dropped(&self) -> &[(usize, usize)] {
        &self.dropped
    }

    /// The packages that must finish before `i` starts, in index order.
    pub fn before(&self, i: usize) -> Vec<usize> {
        let mut seen = Marks::new(self.deps.len());
        let mut out = Vec::new();
        let mut stack = self.deps[i].clone();
        while let Some(x) = stack.pop() {
            if seen.mark(x) {
                out.push(x);
                stack.extend(&self.deps[x]);
            }
        }
        out.sort_unstable();
        out
    }

    /// Runs `task` once per package on `workers` threads of the current
    /// rayon pool (at most all of them), each package after those it
    /// reaches, with their facts; returns the results in package order. A
    /// task that panics gives its dependents no facts, and the panic is
    /// raised again once every package has run.
    ///
    /// The workers are the pool's own threads, so a task's parallel
    /// iterators run on the thread that started them and on idle workers,
    /// with no hand-off to another thread and back for every package. Each
    /// worker still holds one package at a time: packages are taken from the
    /// queue by a loop on each thread, never spawned as pool jobs that a
    /// worker waiting inside a task could steal.
    pub fn run<R, F>(&self, workers: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize, &FactSet) -> (R, Option<PackageFacts>) + Sync,
    {
        let n = self.deps.len();
        let facts: Vec<OnceLock<Option<Arc<PackageFacts>>>> =
            (0..n).map(|_| OnceLock::new()).collect();
        let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
        let queue = Queue::new(self);
        let panicked = Mutex::new(None);
        let workers = workers.clamp(1, n.max(1));
        rayon::broadcast(|ctx| {
            if ctx.index() >= workers {
                return;
            }
            while let Some(i) = queue.next() {
                let seen = FactSet::new(
                    self.before(i)
                        .into_iter()
                        .filter_map(|j| facts[j].get().cloned().flatten()),
                );
                match panic::catch_unwind(AssertUnwindSafe(|| task(i, &seen))) {
                    Ok((r, f)) => {
                        let _ = facts[i].set(f.map(Arc::new));
                        *lock(&results[i]) = Some(r);
                    }
                    Err(p) => {
                        let _ = facts[i].set(None);
                        lock(&panicked).get_or_insert(p);
                    }
                }
                queue.finish(self, i);
            }
        });
        if let Some(p) = lock(&panicked).take() {
            panic::resume_unwind(p);
        }
        results
            .into_iter()
            .map(|r| {
                r.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .expect("every package ran")
            })
            .collect()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Kahn's order of `deps` (dependencies first); shorter than the graph when
/// it has a cycle.
fn topological(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            dependents[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut out = Vec::with_capacity(n);
    while let Some(i) = ready.pop() {
        out.push(i);
        for &d in &dependents[i] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.push(d);
            }
        }
    }
    out
}

/// A visited set cleared in O(1).
struct Marks {
    stamp: Vec<u32>,
    now: u32,
}

impl Marks {
    fn new(n: usize) -> Marks {
        Marks {
            stamp: vec![0; n],
            now: 1,
        }
    }

    fn clear(&mut self) {
        self.now += 1;
    }

    /// Marks `i`; false when it already was.
    fn mark(&mut self, i: usize) -> bool {
        if self.stamp[i] == self.now {
            return false;
        }
        self.stamp[i] = self.now;
        true
    }
}

/// How long an idle worker sleeps before it looks for pool jobs again.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_micros(200);

/// The ready queue shared by the workers.
struct Queue {
    state: Mutex<QueueState>,
    wake: Condvar,
}

struct QueueState {
    ready: BinaryHeap<(usize, std::cmp::Reverse<usize>)>,
    waiting: Vec<usize>,
    started: usize,
}

impl QueueState {
    /// `Some(next)` when a package is ready or none is left to start.
    fn take(&mut self) -> Option<Option<usize>> {
        if let Some((_, std::cmp::Reverse(i))) = self.ready.pop() {
            self.started += 1;
            return Some(Some(i));
        }
        (self.started == self.waiting.len()).then_some(None)
    }
}

impl Queue {
    fn new(plan: &Plan) -> Queue {
        let waiting: Vec<usize> = plan.deps.iter().map(Vec::len).collect();
        let ready = (0..waiting.len())
            .filter(|&i| waiting[i] == 0)
            .map(|i| (plan.priority[i], std::cmp::Reverse(i)))
            .collect();
        Queue {
            state: Mutex::new(QueueState {
                ready,
                waiting,
                started: 0,
            }),
            wake: Condvar::new(),
        }
    }

    /// The next package to run, waiting for one to become ready; `None`
    /// once every package has started. While it waits, the thread runs the
    /// pool's pending jobs (the files of packages other workers hold).
    fn next(&self) -> Option<usize> {
        loop {
            if let Some(i) = lock(&self.state).take() {
                return i;
            }
            if let Some(rayon::Yield::Executed) = rayon::yield_now() {
                continue;
            }
            let mut s = lock(&self.state);
            if let Some(i) = s.take() {
                return i;
            }
            // Woken by `finish`; the timeout looks for pool jobs again.
            let _ = self.wake.wait_timeout(s, IDLE_POLL);
        }
    }

    fn finish(&self, plan: &Plan, i: usize) {
        let mut s = lock(&self.state);
        for &d in &plan.dependents[i] {
            s.waiting[d] -= 1;
            if s.waiting[d] == 0 {
                s.ready.push((plan.priority[d], std::cmp::Reverse(d)));
            }
        }
        drop(s);
        // Waiters may now have work, or (all started) nothing left to wait for.
        self.wake.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn node(deps: &[usize], test_deps: &[usize]) -> Node {
        Node {
            deps: deps.to_vec(),
            test_deps: test_deps.to_vec(),
            weight: 1,
        }
    }

    fn facts(i: usize) -> PackageFacts {
        PackageFacts {
            path: format!("m/p{i}"),
            name: format!("p{i}"),
            ..PackageFacts::default()
        }
    }

    /// Runs the plan, returning what each package saw and the finish order.
    fn run(plan: &Plan, workers: usize) -> (Vec<Vec<String>>, Vec<usize>) {
        let order = Mutex::new(Vec::new());
        let seen = plan.run(workers, |i, set| {
            std::thread::sleep(std::time::Duration::from_millis((i % 3) as u64));
            order.lock().unwrap().push(i);
            let paths = set.packages().iter().map(|f| f.path.clone()).collect();
            (paths, Some(facts(i)))
        });
        (seen, order.into_inner().unwrap())
    }

    #[test]
    fn imports_finish_first_and_are_seen() {
        // 0 imports 1 and 2; 1 imports 3; 2 imports 3; 4 stands alone; 9 is missing.
        let nodes = [
            node(&[1, 2], &[]),
            node(&[3], &[]),
            node(&[3, 9], &[]),
            node(&[], &[]),
            node(&[], &[]),
        ];
        let plan = Plan::new(&nodes);
        for workers in [1, 2, 8] {
            let (seen, order) = run(&plan, workers);
            let pos = |i: usize| order.iter().position(|&x| x == i).unwrap();
            assert!(pos(3) < pos(1) && pos(3) < pos(2) && pos(1) < pos(0) && pos(2) < pos(0));
            assert_eq!(seen[0], ["m/p1", "m/p2", "m/p3"]);
            assert_eq!(seen[1], ["m/p3"]);
            assert!(seen[3].is_empty() && seen[4].is_empty());
        }
        assert!(plan.dropped().is_empty());
    }

    #[test]
    fn cycles_are_broken_the_same_way_every_time() {
        // 0 ↔ 1 through non-test imports; 2's tests import 3, which imports 2.
        let nodes = [
            node(&[1], &[]),
            node(&[0], &[]),
            node(&[], &[3]),
            node(&[2], &[]),
            node(&[4], &[4]),
        ];
        let plan = Plan::new(&nodes);
        assert_eq!(plan.dropped(), [(1, 0), (2, 3)]);
        let first = run(&plan, 1).0;
        assert_eq!(first[0], ["m/p1"]);
        assert!(first[1].is_empty());
        assert_eq!(first[3], ["m/p2"]);
        for workers in [2, 3, 8] {
            assert_eq!(run(&plan, workers).0, first);
        }
    }

    #[test]
    fn test_imports_wait_when_they_close_no_cycle() {
        // 1's tests import 0, which does not import 1.
        let plan = Plan::new(&[node(&[], &[]), node(&[], &[0])]);
        assert!(plan.dropped().is_empty());
        assert_eq!(run(&plan, 2).0[1], ["m/p0"]);
    }

    #[test]
    fn a_panic_is_raised_after_every_package_ran() {
        let plan = Plan::new(&[node(&[], &[]), node(&[0], &[]), node(&[], &[])]);
        let ran = AtomicUsize::new(0);
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            plan.run(2, |i, set| {
                ran.fetch_add(1, Ordering::SeqCst);
                if i == 0 {
                    panic!("boom");
                }
                assert!(set.is_empty());
                ((), None)
            })
        }));
        assert!(r.is_err());
        assert_eq!(ran.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_worker_never_holds_two_packages() {
        use rayon::prelude::*;
        thread_local!(static HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
        let nodes: Vec<Node> = (0..40)
            .map(|i| node(if i % 4 == 0 { &[] } else { &[0] }, &[]))
            .collect();
        let nested = AtomicUsize::new(0);
        Plan::new(&nodes).run(rayon::current_num_threads(), |i, _| {
            if HELD.with(|h| h.replace(h.get() + 1)) > 0 {
                nested.fetch_add(1, Ordering::SeqCst);
            }
            // Parallel work inside a task, as the files of a package are.
            let sum: usize = (0..2000usize).into_par_iter().map(|x| x % (i + 1)).sum();
            HELD.with(|h| h.set(h.get() - 1));
            (sum, None)
        });
        assert_eq!(nested.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn heavy_chains_start_first() {
        // 0 heads a chain (0 ← 1 ← 2); 3 is a heavier loner, but lighter than the chain.
        let mut nodes = vec![
            node(&[], &[]),
            node(&[0], &[]),
            node(&[1], &[]),
            node(&[], &[]),
        ];
        nodes[3].weight = 2;
        let plan = Plan::new(&nodes);
        assert_eq!(run(&plan, 1).1, [0, 1, 3, 2]);
        assert!(Plan::new(&[]).run(4, |_, _| ((), None)).is_empty());
    }
}
