//! Progress of a build while it works: which stage it is in and how many of that stage's items
//! (images, pages) are done, for a front end to show (the CLI's progress bar). The build only
//! reports; it never draws, and by default nobody listens.

use std::fmt;
use std::sync::Arc;

/// Where a build's progress goes. Called from the threads that do the work.
pub trait Progress: Send + Sync {
    /// A stage begins, with `total` items to do (0 when it cannot count them).
    fn begin(&self, stage: &'static str, total: usize);
    /// `done` more items of the current stage are finished.
    fn advance(&self, done: usize);
    /// A build starts (a server builds many times: each build is timed from its own start).
    fn start(&self) {}
    /// The build is over: nothing more to show for it.
    fn finish(&self) {}
}

/// A build's [`Progress`], or none: what [`crate::BuildOptions`] and the builder carry.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<dyn Progress>>);

impl ProgressSink {
    /// Progress reported to `progress`.
    pub fn to(progress: Arc<dyn Progress>) -> ProgressSink {
        ProgressSink(Some(progress))
    }

    /// See [`Progress::begin`].
    pub fn begin(&self, stage: &'static str, total: usize) {
        if let Some(p) = &self.0 {
            p.begin(stage, total);
        }
    }

    /// See [`Progress::start`].
    pub fn start(&self) {
        if let Some(p) = &self.0 {
            p.start();
        }
    }

    /// See [`Progress::finish`].
    pub fn finish(&self) {
        if let Some(p) = &self.0 {
            p.finish();
        }
    }

    /// See [`Progress::advance`].
    pub fn advance(&self, done: usize) {
        if let Some(p) = &self.0 {
            p.advance(done);
        }
    }
}

impl fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressSink(reported)"
        } else {
            "ProgressSink(none)"
        })
    }
}
