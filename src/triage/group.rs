//! Grouping goroutines by where and why they block.
//!
//! A group is keyed by the wait reason, the blocking frame (the first frame
//! outside the runtime) and the site (the first frame in the user's code, or
//! failing that outside the standard library): `sync.(*Mutex).Lock` blocks
//! many callers, and each calling line is its own leak.

use super::parse::{Frame, Goroutine};
use std::collections::HashMap;

/// Distinct groups kept; the goroutines of any further group are counted
/// apart, so that a dump of all-different stacks stays bounded.
pub const MAX_GROUPS: usize = 100_000;
/// Distinct `created by` sites and label sets remembered per group.
const MAX_SAMPLES: usize = 8;

/// Decides which frames are the user's, and which belong to the runtime.
pub trait FrameClass {
    /// Whether the frame is in the user's code (mapped to their source).
    fn is_user(&mut self, frame: &Frame) -> bool;
    /// Whether the frame is in the standard library.
    fn is_std(&mut self, frame: &Frame) -> bool;
}

/// Whether a frame belongs to the Go runtime proper (parking, scheduling,
/// the linknamed `sync.runtime_*` entries).
pub fn is_runtime(frame: &Frame) -> bool {
    let pkg = frame.package();
    pkg == "runtime"
        || pkg.starts_with("runtime/internal/")
        || pkg.starts_with("internal/runtime/")
        || frame
            .func
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with("runtime_"))
}

/// The identity of a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupKey {
    /// The wait reason (`None` in a `debug=1` profile).
    pub wait_reason: Option<String>,
    /// The first frame outside the runtime.
    pub blocking: Option<Frame>,
    /// The first frame of the user's code (or outside the standard library),
    /// when it differs from the blocking frame.
    pub site: Option<Frame>,
}

/// The goroutines of one group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Its identity.
    pub key: GroupKey,
    /// Goroutines.
    pub count: u64,
    /// Of which the runtime marked leaked.
    pub leaked: u64,
    /// The longest wait, in minutes.
    pub longest_wait_minutes: Option<u64>,
    /// The stack of the first goroutine seen.
    pub stack: Vec<Frame>,
    /// Whether that stack was elided.
    pub elided: bool,
    /// `created by` sites, most frequent first once finished.
    pub created_by: Vec<(Frame, u64)>,
    /// Distinct label sets seen (at most a few).
    pub labels: Vec<String>,
    /// A few goroutine ids.
    pub ids: Vec<u64>,
    /// The dump line of the first goroutine.
    pub first_line: u64,
}

/// Accumulates groups as goroutines stream by.
#[derive(Default)]
pub struct Grouper {
    index: HashMap<GroupKey, usize>,
    groups: Vec<Group>,
    /// Goroutines that fell past [`MAX_GROUPS`].
    pub overflow: u64,
}

impl Grouper {
    /// Adds one goroutine (or `debug=1` record).
    pub fn add(&mut self, g: Goroutine, class: &mut impl FrameClass) {
        let key = key_of(&g, class);
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None if self.groups.len() >= MAX_GROUPS => {
                self.overflow = self.overflow.saturating_add(g.count);
                return;
            }
            None => {
                self.groups.push(Group {
                    key: key.clone(),
                    count: 0,
                    leaked: 0,
                    longest_wait_minutes: None,
                    stack: g.frames.clone(),
                    elided: g.elided,
                    created_by: Vec::new(),
                    labels: Vec::new(),
                    ids: Vec::new(),
                    first_line: g.line,
                });
                self.index.insert(key, self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[i];
        group.count = group.count.saturating_add(g.count);
        if g.leaked {
            group.leaked = group.leaked.saturating_add(g.count);
        }
        if let Some(m) = g.wait_minutes {
            group.longest_wait_minutes = Some(group.longest_wait_minutes.map_or(m, |x| x.max(m)));
        }
        if let Some(c) = g.created_by {
            let room = group.created_by.len() < MAX_SAMPLES;
            match group.created_by.iter_mut().find(|(f, _)| *f == c.frame) {
                Some((_, n)) => *n = n.saturating_add(g.count),
                None if room => group.created_by.push((c.frame, g.count)),
                None => {}
            }
        }
        if let Some(l) = g.labels {
            if group.labels.len() < MAX_SAMPLES && !group.labels.contains(&l) {
                group.labels.push(l);
            }
        }
        if let Some(id) = g.id {
            if group.ids.len() < MAX_SAMPLES {
                group.ids.push(id);
            }
        }
    }

    /// The groups, ranked: leaked first, then by count, then by longest wait,
    /// then in dump order.
    pub fn finish(self) -> Vec<Group> {
        let mut groups = self.groups;
        for g in &mut groups {
            g.created_by
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        groups.sort_by(|a, b| {
            (b.leaked > 0)
                .cmp(&(a.leaked > 0))
                .then(b.count.cmp(&a.count))
                .then(b.longest_wait_minutes.cmp(&a.longest_wait_minutes))
                .then(a.first_line.cmp(&b.first_line))
        });
        groups
    }
}

fn key_of(g: &Goroutine, class: &mut impl FrameClass) -> GroupKey {
    let blocking = g.frames.iter().position(|f| !is_runtime(f));
    let site = g.frames.iter().position(|f| class.is_user(f)).or_else(|| {
        g.frames
            .iter()
            .position(|f| !class.is_std(f) && !is_runtime(f))
    });
    GroupKey {
        wait_reason: g.wait_reason.clone(),
        blocking: blocking
            .or(if g.frames.is_empty() { None } else { Some(0) })
            .map(|i| g.frames[i].clone()),
        site: site
            .filter(|&s| Some(s) != blocking)
            .map(|i| g.frames[i].clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::parse::Shape;

    struct ByName;
    impl FrameClass for ByName {
        fn is_user(&mut self, f: &Frame) -> bool {
            f.func.starts_with("m/")
        }
        fn is_std(&mut self, f: &Frame) -> bool {
            !f.package().contains('.') && f.package() != "main"
        }
    }

    fn frame(func: &str, line: u32) -> Frame {
        Frame {
            func: func.into(),
            file: format!("/x/{line}.go"),
            line,
        }
    }

    fn g(reason: &str, frames: Vec<Frame>, minutes: u64) -> Goroutine {
        Goroutine {
            count: 1,
            id: Some(1),
            wait_reason: Some(reason.into()),
            wait_minutes: Some(minutes),
            leaked: false,
            locked_to_thread: false,
            labels: None,
            frames,
            elided: false,
            created_by: None,
            shape: Shape::PerGoroutine,
            line: 1,
        }
    }

    #[test]
    fn groups_by_reason_blocking_frame_and_site() {
        let lock = |site| {
            vec![
                frame("runtime.gopark", 1),
                frame("sync.runtime_SemacquireMutex", 2),
                frame("sync.(*Mutex).Lock", 3),
                frame(site, 10),
            ]
        };
        let mut gr = Grouper::default();
        gr.add(g("sync.Mutex.Lock", lock("m/a.F"), 3), &mut ByName);
        gr.add(g("sync.Mutex.Lock", lock("m/a.F"), 9), &mut ByName);
        gr.add(g("sync.Mutex.Lock", lock("m/b.G"), 1), &mut ByName);
        gr.add(g("chan send", vec![frame("m/a.F", 10)], 1), &mut ByName);
        let groups = gr.finish();
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].count, 2);
        assert_eq!(groups[0].longest_wait_minutes, Some(9));
        assert_eq!(
            groups[0].key.blocking.as_ref().unwrap().func,
            "sync.(*Mutex).Lock"
        );
        assert_eq!(groups[0].key.site.as_ref().unwrap().func, "m/a.F");
        assert_eq!(groups[2].key.site, None);
    }
}
