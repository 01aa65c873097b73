//! Time spent in each template (`folio build --timings`): self time, i.e. a template's own work
//! without the components it renders, summed over all render threads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Calls and self time of one template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TemplateTime {
    /// How many times it was rendered (memoized reuses included).
    pub calls: u64,
    /// Its own time, without nested components.
    pub self_time: Duration,
}

struct Open {
    started: Instant,
    children: Duration,
}

#[derive(Default)]
struct ThreadProfile {
    open: Vec<Open>,
    times: HashMap<String, TemplateTime>,
}

thread_local! {
    static PROFILE: RefCell<ThreadProfile> = RefCell::new(ThreadProfile::default());
}

/// Time `f` as a render of template `name` (nested calls are subtracted from its self time).
pub(crate) fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    PROFILE.with(|p| {
        p.borrow_mut().open.push(Open {
            started: Instant::now(),
            children: Duration::ZERO,
        })
    });
    let value = f();
    PROFILE.with(|p| {
        let mut p = p.borrow_mut();
        let Some(open) = p.open.pop() else {
            return;
        };
        let total = open.started.elapsed();
        if let Some(parent) = p.open.last_mut() {
            parent.children += total;
        }
        let own = total.saturating_sub(open.children);
        // Looked up by `&str` first: a template's name is allocated once per thread, not per call.
        match p.times.get_mut(name) {
            Some(entry) => {
                entry.calls += 1;
                entry.self_time += own;
            }
            None => {
                p.times.insert(
                    name.to_string(),
                    TemplateTime {
                        calls: 1,
                        self_time: own,
                    },
                );
            }
        }
    });
    value
}

/// Template times of every thread, merged as threads hand theirs in.
#[derive(Debug, Default)]
pub struct TemplateProfile {
    merged: Mutex<HashMap<String, TemplateTime>>,
}

impl TemplateProfile {
    /// Move this thread's figures into the profile.
    pub(crate) fn flush_thread(&self) {
        let times = PROFILE.with(|p| std::mem::take(&mut p.borrow_mut().times));
        let mut merged = match self.merged.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        for (name, time) in times {
            let entry = merged.entry(name).or_default();
            entry.calls += time.calls;
            entry.self_time += time.self_time;
        }
    }

    /// Every template's figures, slowest first.
    pub fn slowest(&self) -> Vec<(String, TemplateTime)> {
        // Cards are drawn on every thread of the pool, and a thread's last ones may come after
        // its last page (which hands its figures in).
        rayon::broadcast(|_| self.flush_thread());
        self.flush_thread();
        let merged = match self.merged.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut list: Vec<_> = merged.into_iter().collect();
        list.sort_by(|a, b| b.1.self_time.cmp(&a.1.self_time).then(a.0.cmp(&b.0)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_time_is_not_counted_twice() {
        let profile = TemplateProfile::default();
        timed("outer.html", || {
            std::thread::sleep(Duration::from_millis(5));
            timed("inner.html", || {
                std::thread::sleep(Duration::from_millis(20))
            });
        });
        profile.flush_thread();
        let list = profile.slowest();
        assert_eq!(list[0].0, "inner.html");
        assert_eq!(list[1].0, "outer.html");
        assert!(list[1].1.self_time < Duration::from_millis(20));
        assert_eq!(list[0].1.calls, 1);
    }
}
