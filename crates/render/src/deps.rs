//! What a render read from the site, recorded while it runs, so that an incremental build can
//! tell which pages an edit affects: a page is rendered again only when something it read
//! changed (see `folio_build`'s render cache).
//!
//! Everything a template can reach that varies with the content goes through the functions of
//! [`crate::engine`] or a page value of [`crate::values`], and each records here. What is
//! the same for every page (config, theme style, templates, image sizes, options) is not
//! recorded: the render cache compares it as a whole.

use crate::cards::CardCache;
use folio_content::{fingerprint, Site};
use std::cell::RefCell;
use std::sync::Arc;

/// One input of a render.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dep {
    /// The content of one file (a page or a data file), by path; recorded whether or not the
    /// file exists, so that creating it counts as a change.
    Object(Arc<str>),
    /// Which posts exist and their order (recent lists, feeds, pagination), and which of them
    /// each category page lists.
    Posts,
    /// Which projects exist and their order (feeds, previous/next project).
    Projects,
    /// Which pages exist (a generic feed of the site's own page model lists them).
    Pages,
    /// A feed card kept between builds (see [`crate::cards`]): its group and item file;
    /// versioned by a hash of its HTML, not by what it read.
    Card(u64, Arc<str>),
}

/// The version each input has in one site: what a recorded render is checked against.
pub struct Versions {
    site: Arc<Site>,
    posts: u64,
    projects: u64,
    pages: u64,
    cards: Option<Arc<CardCache>>,
}

impl Versions {
    /// The versions of `site`'s inputs (the lists' are computed once here).
    pub fn of(site: Arc<Site>) -> Self {
        let list = |indexes: &[usize]| {
            let paths: Vec<&str> = indexes
                .iter()
                .map(|&i| site.pages[i].object.path.as_str())
                .collect();
            fingerprint(&paths)
        };
        // Which posts each category page lists is part of the posts' shape too.
        let mut categories: Vec<(&str, u64)> = site
            .category_posts
            .iter()
            .map(|(&page, posts)| (site.pages[page].object.path.as_str(), list(posts)))
            .collect();
        categories.sort_unstable();
        let posts = fingerprint(&(list(&site.posts), categories));
        let projects = list(&site.projects);
        let pages = fingerprint(
            &site
                .pages
                .iter()
                .map(|p| p.object.path.as_str())
                .collect::<Vec<_>>(),
        );
        Versions {
            site,
            posts,
            projects,
            pages,
            cards: None,
        }
    }

    /// These versions, with those of the feed cards kept in `cards`.
    pub(crate) fn with_cards(self, cards: Arc<CardCache>) -> Self {
        Versions {
            cards: Some(cards),
            ..self
        }
    }

    /// The version of one input now (`None`: a file that does not exist).
    pub fn get(&self, dep: &Dep) -> Option<u64> {
        match dep {
            Dep::Object(path) => self.site.version(path),
            Dep::Posts => Some(self.posts),
            Dep::Projects => Some(self.projects),
            Dep::Pages => Some(self.pages),
            Dep::Card(group, item) => self.cards.as_ref()?.version(*group, item),
        }
    }

    /// Pair each dependency with its version now.
    pub fn stamp(&self, deps: Vec<Dep>) -> Vec<(Dep, Option<u64>)> {
        deps.into_iter()
            .map(|dep| {
                let version = self.get(&dep);
                (dep, version)
            })
            .collect()
    }

    /// Whether every input still has the version it had.
    pub fn unchanged(&self, stamped: &[(Dep, Option<u64>)]) -> bool {
        stamped
            .iter()
            .all(|(dep, version)| self.get(dep) == *version)
    }
}

impl Dep {
    /// Which variant, and for a file the address of its path (with a card's group).
    fn identity(&self) -> (u8, u64, usize) {
        let address = |path: &Arc<str>| Arc::as_ptr(path) as *const u8 as usize;
        match self {
            Dep::Object(path) => (0, 0, address(path)),
            Dep::Posts => (1, 0, 0),
            Dep::Projects => (2, 0, 0),
            Dep::Pages => (4, 0, 0),
            Dep::Card(group, item) => (3, *group, address(item)),
        }
    }
}

/// One render in progress (a route, or a component inside it).
#[derive(Default)]
struct Frame {
    deps: Vec<Dep>,
    /// Whether the render read something specific to the route (see [`taint`]).
    route_specific: bool,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Record that the render in progress read `dep` (no-op outside a frame).
pub(crate) fn record(dep: Dep) {
    FRAMES.with(|f| {
        if let Some(frame) = f.borrow_mut().last_mut() {
            frame.deps.push(dep);
        }
    });
}

/// Record several dependencies at once (a memoized component's, or a page value's inputs).
pub(crate) fn replay(deps: &[Dep]) {
    FRAMES.with(|f| {
        if let Some(frame) = f.borrow_mut().last_mut() {
            // A page value read field by field replays the same inputs for every field: when
            // they are what was recorded last, once is enough.
            let recorded = &frame.deps;
            let repeat = recorded.len() >= deps.len()
                && recorded[recorded.len() - deps.len()..]
                    .iter()
                    .zip(deps)
                    .all(|(a, b)| a.identity() == b.identity());
            if !repeat {
                frame.deps.extend_from_slice(deps);
            }
        }
    });
}

/// Mark the render in progress as depending on the route being rendered (its page, URL or
/// feed page number), which makes its output unfit for sharing between pages.
pub(crate) fn taint() {
    FRAMES.with(|f| {
        if let Some(frame) = f.borrow_mut().last_mut() {
            frame.route_specific = true;
        }
    });
}

/// What a finished frame read.
pub(crate) struct Recorded {
    /// Its dependencies, mostly without repeats (in no meaningful order).
    pub deps: Vec<Dep>,
    /// Whether it read something specific to the route.
    pub route_specific: bool,
}

/// Run `f` in a frame of its own. What it reads is returned and also added to the enclosing
/// frame, since the enclosing render's output contains this one's.
pub(crate) fn in_frame<T>(f: impl FnOnce() -> T) -> (T, Recorded) {
    let (value, recorded) = isolated_frame(f);
    FRAMES.with(|frames| {
        if let Some(parent) = frames.borrow_mut().last_mut() {
            parent.deps.extend_from_slice(&recorded.deps);
            parent.route_specific |= recorded.route_specific;
        }
    });
    (value, recorded)
}

/// Run `f` in a frame of its own, and return what it read without adding it to the enclosing
/// frame (the caller records something else in its place, such as a [`Dep::Card`]).
pub(crate) fn isolated_frame<T>(f: impl FnOnce() -> T) -> (T, Recorded) {
    FRAMES.with(|frames| frames.borrow_mut().push(Frame::default()));
    let value = f();
    let frame = FRAMES
        .with(|frames| frames.borrow_mut().pop())
        .unwrap_or_default();
    let mut deps = frame.deps;
    // Most repeats are clones of one `Arc` (a page read by many cards): dropping those by
    // address is cheap, where comparing paths that share long prefixes is not. Repeats left
    // (equal paths in different allocations) only cost a second check.
    deps.sort_unstable_by_key(Dep::identity);
    deps.dedup_by_key(|d| d.identity());
    (
        value,
        Recorded {
            deps,
            route_specific: frame.route_specific,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_collect_and_pass_dependencies_up() {
        let (((), inner), outer) = in_frame(|| {
            record(Dep::Posts);
            in_frame(|| {
                record(Dep::Object("b".into()));
                record(Dep::Object("a".into()));
                record(Dep::Object("b".into()));
                taint();
            })
        });
        let sorted = |mut deps: Vec<Dep>| {
            deps.sort();
            deps.dedup();
            deps
        };
        assert_eq!(
            sorted(inner.deps),
            [Dep::Object("a".into()), Dep::Object("b".into())]
        );
        assert!(inner.route_specific);
        assert_eq!(
            sorted(outer.deps),
            [Dep::Object("a".into()), Dep::Object("b".into()), Dep::Posts]
        );
        assert!(outer.route_specific, "taint reaches the enclosing frame");
    }

    #[test]
    fn recording_outside_a_frame_is_harmless() {
        record(Dep::Posts);
        taint();
        let ((), recorded) = in_frame(|| ());
        assert!(recorded.deps.is_empty());
        assert!(!recorded.route_specific);
    }
}
