//! Wall time per pipeline stage (`folio build --timings`, `cargo xtask bench`): each stage is
//! timed where it runs, in the order it runs, so the figures add up to the build's wall time.

use std::time::{Duration, Instant};

/// Stage names and their wall times, in pipeline order; a stage timed twice accumulates.
#[derive(Debug, Default, Clone)]
pub struct StageTimes {
    stages: Vec<(&'static str, Duration)>,
}

impl StageTimes {
    /// Add `elapsed` to stage `name` (appended the first time it is seen).
    pub fn record(&mut self, name: &'static str, elapsed: Duration) {
        match self.stages.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += elapsed,
            None => self.stages.push((name, elapsed)),
        }
    }

    /// Run `f` as (part of) stage `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = f();
        self.record(name, started.elapsed());
        value
    }

    /// Append every stage of `other`.
    pub fn extend(&mut self, other: &StageTimes) {
        for &(name, elapsed) in &other.stages {
            self.record(name, elapsed);
        }
    }

    /// The stages in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Duration)> + '_ {
        self.stages.iter().copied()
    }

    /// The time of one stage, if it ran.
    pub fn get(&self, name: &str) -> Option<Duration> {
        self.stages.iter().find(|(n, _)| *n == name).map(|s| s.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_keep_their_order_and_accumulate() {
        let mut t = StageTimes::default();
        t.record("read", Duration::from_millis(2));
        t.record("parse", Duration::from_millis(3));
        t.record("read", Duration::from_millis(1));
        let names: Vec<_> = t.iter().map(|s| s.0).collect();
        assert_eq!(names, ["read", "parse"]);
        assert_eq!(t.get("read"), Some(Duration::from_millis(3)));
        assert_eq!(t.get("write"), None);
    }
}
