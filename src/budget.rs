//! What one file may cost: analysis time and findings shown. A file past its
//! time budget is named with a clear message and the run goes on, so no input
//! stalls a CI job or an editor; findings past the per-file cap are
//! summarised in one line instead of flooding the report.
//!
//! File size is bounded where files are read ([`crate::source::MAX_SOURCE_BYTES`]).

use std::time::{Duration, Instant};

/// Limits for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Time to analyse one file (after parsing). Real files take milliseconds:
    /// the default only stops pathological input.
    pub time_per_file: Duration,
    /// Findings reported for one file; the rest are counted.
    pub findings_per_file: usize,
}

/// The default time per file.
pub const DEFAULT_TIME_PER_FILE: Duration = Duration::from_secs(20);

/// The default findings per file.
pub const DEFAULT_FINDINGS_PER_FILE: usize = 500;

impl Default for Budget {
    fn default() -> Self {
        Budget {
            time_per_file: DEFAULT_TIME_PER_FILE,
            findings_per_file: DEFAULT_FINDINGS_PER_FILE,
        }
    }
}

/// A running clock against [`Budget::time_per_file`].
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    started: Instant,
    limit: Duration,
}

impl Deadline {
    /// Starts the clock for one file.
    pub fn start(budget: &Budget) -> Deadline {
        Deadline {
            started: Instant::now(),
            limit: budget.time_per_file,
        }
    }

    /// Whether the time is up.
    pub fn passed(&self) -> bool {
        self.started.elapsed() >= self.limit
    }

    /// The message for a file stopped at its deadline.
    pub fn message(&self) -> String {
        format!(
            "{DEADLINE_MESSAGE_START}the file exceeded the time budget of {:.1}s per file; \
             findings from here on are not reported",
            self.limit.as_secs_f64()
        )
    }
}

/// How [`Deadline::message`] starts.
const DEADLINE_MESSAGE_START: &str = "analysis stopped: ";

/// Whether a file error's message is [`Deadline::message`]: the outcome
/// depends on the machine's speed and load, not only on the input.
pub fn is_deadline_message(message: &str) -> bool {
    message.starts_with(DEADLINE_MESSAGE_START)
}

/// The message for `hidden` findings past the cap.
pub fn findings_cap_message(hidden: usize, cap: usize) -> String {
    format!("{hidden} more finding(s) not shown: at most {cap} are reported per file")
}
