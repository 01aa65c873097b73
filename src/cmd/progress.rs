//! The progress bar of a long build on a terminal (indicatif): the stage, the items done out of
//! the stage's total, and the time since the build began. It appears only once the build has
//! run for about a second (counted from each build's start: `folio serve` builds many times),
//! never when stderr is not a terminal, and is cleared before the build's warnings and summary
//! are printed.

use folio_build::{Progress, ProgressSink};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a build runs before its bar appears: a fast build prints no bar at all.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The bar of this process's build (one build per process), to clear it from anywhere.
static BAR: OnceLock<ProgressBar> = OnceLock::new();

/// A progress sink that draws on stderr when it is a terminal; none otherwise.
pub fn on_terminal() -> ProgressSink {
    if !std::io::stderr().is_terminal() {
        return ProgressSink::default();
    }
    let bar = BAR.get_or_init(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()));
    ProgressSink::to(Arc::new(TerminalBar {
        bar: bar.clone(),
        started: Mutex::new(Instant::now()),
        shown: Mutex::new(false),
    }))
}

/// Remove the bar from the terminal, if one was drawn.
pub fn clear() {
    if let Some(bar) = BAR.get() {
        bar.finish_and_clear();
    }
}

struct TerminalBar {
    bar: ProgressBar,
    /// When the current build started.
    started: Mutex<Instant>,
    shown: Mutex<bool>,
}

impl TerminalBar {
    /// Draw on stderr from now on, once the build has run long enough to deserve a bar.
    fn show_if_slow(&self) {
        let started = *self.started.lock().unwrap_or_else(|p| p.into_inner());
        if started.elapsed() < SHOW_AFTER {
            return;
        }
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if !*shown {
            *shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }
}

impl Progress for TerminalBar {
    fn begin(&self, stage: &'static str, total: usize) {
        // A stage that cannot count its items shows a spinner and the time only.
        let template = if total == 0 {
            "{spinner} {msg:<20} {elapsed}"
        } else {
            "{spinner} {msg:<20} {pos:>6}/{len:<6} {elapsed}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.bar.set_message(stage);
        self.show_if_slow();
    }

    fn advance(&self, done: usize) {
        self.bar.inc(done as u64);
        self.show_if_slow();
    }

    fn start(&self) {
        *self.started.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        self.bar.reset_elapsed();
    }

    /// Cleared, and hidden until a next build runs long enough (`folio serve`'s rebuilds,
    /// nearly always under a second, draw nothing).
    fn finish(&self) {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if *shown {
            *shown = false;
            self.bar.disable_steady_tick();
            self.bar.finish_and_clear();
            self.bar.set_draw_target(ProgressDrawTarget::hidden());
            self.bar.reset();
        }
    }
}
