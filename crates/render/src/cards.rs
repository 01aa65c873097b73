//! Feed cards kept from one build to the next: a blog feed of ten thousand posts is ten
//! thousand cards, and an edit of one post changes one of them. `feed_card(template, section,
//! item)` renders `template` for one item of a feed section and keeps the HTML with what it
//! read; the next build reuses it while those inputs keep their versions.
//!
//! A card is identified by its template, the section (by a 64-bit hash of its value, computed
//! once per section rather than per card) and the item's file; the item's content is one of the
//! recorded inputs, so an edited post is never served from an old card.

use crate::deps::{in_frame, replay, taint, Dep, Versions};
use crate::memo::Purity;
use crate::profile::timed;
use crate::values::page_path;
use folio_content::fingerprint;
use minijinja::{Environment, Error, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(PartialEq, Eq, Hash)]
struct CardKey {
    template: String,
    section: u64,
    item: Arc<str>,
}

struct Card {
    html: Value,
    deps: Arc<[(Dep, Option<u64>)]>,
}

#[derive(Default)]
struct State {
    /// What every card depends on besides its recorded inputs (templates, config, …).
    fingerprint: u64,
    cards: HashMap<CardKey, Card>,
}

/// The cards of the previous builds. `folio serve` keeps one for its whole run.
#[derive(Default)]
pub struct CardCache {
    state: Mutex<State>,
    purity: Purity,
    disabled: bool,
}

impl std::fmt::Debug for CardCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardCache")
    }
}

impl CardCache {
    /// A cache that keeps nothing (every card is rendered).
    pub fn disabled() -> Self {
        CardCache {
            disabled: true,
            ..CardCache::default()
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Start a build whose site-wide inputs have `fingerprint`: everything is forgotten when
    /// it differs from the previous build's.
    pub(crate) fn begin_build(&self, fingerprint: u64) {
        let mut state = self.lock();
        if state.fingerprint != fingerprint {
            state.cards.clear();
            self.purity.clear();
            state.fingerprint = fingerprint;
        }
    }

    /// Drop the cards whose inputs changed in the build that just ended (cards the build did
    /// not use stay: they belong to pages it reused).
    pub fn end_build(&self, versions: &Versions) {
        let mut state = self.lock();
        state.cards.retain(|_, card| versions.unchanged(&card.deps));
    }
}

thread_local! {
    /// The last section seen on this thread and its hash: a feed passes the same section
    /// value for each of its cards, so it is hashed once.
    static SECTION: std::cell::RefCell<Option<(Value, u64)>> = const { std::cell::RefCell::new(None) };
}

fn section_hash(section: &Value) -> u64 {
    SECTION.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((value, hash)) = last.as_ref() {
            // The same object (the common case) compares in O(1).
            if value == section {
                return *hash;
            }
        }
        let hash = fingerprint(section);
        *last = Some((section.clone(), hash));
        hash
    })
}

/// What `feed_card` needs from the build.
pub(crate) struct CardContext<'a> {
    pub cache: &'a CardCache,
    pub versions: &'a Versions,
    /// The page whose file is the given path, recorded as read (`None`: not a page).
    pub item_deps: &'a dyn Fn(&str) -> Option<Value>,
}

/// `feed_card(template, section, item)`: the card of `item` in feed `section`.
pub(crate) fn feed_card(
    env: &Environment<'_>,
    context: &CardContext<'_>,
    config: Option<Value>,
    template_name: &str,
    section: Value,
    item: Value,
) -> Result<Value, Error> {
    let template = env.get_template(template_name)?;
    let path: Option<Arc<str>> = page_path(&item);
    let ctx = |item: Value| {
        minijinja::context! {
            obj => section.clone(),
            item => item,
            config => config.clone(),
            editing => false,
        }
    };
    let reusable = path.is_some()
        && !context.cache.disabled
        && !context.cache.purity.reads_route(env, template_name);
    let Some(path) = path.filter(|_| reusable) else {
        taint();
        return timed(template_name, || template.render(ctx(item))).map(Value::from_safe_string);
    };
    let key = CardKey {
        template: template_name.to_string(),
        section: section_hash(&section),
        item: Arc::clone(&path),
    };
    {
        let state = context.cache.lock();
        if let Some(card) = state.cards.get(&key) {
            if context.versions.unchanged(&card.deps) {
                replay(card.deps.iter().map(|(dep, _)| dep));
                let html = card.html.clone();
                drop(state);
                return Ok(timed(template_name, || html));
            }
        }
    }
    let (html, recorded) = in_frame(|| {
        // The item as the site has it now, read inside the frame so that it is recorded.
        let current = (context.item_deps)(&path).unwrap_or(item);
        timed(template_name, || template.render(ctx(current)))
    });
    let html = Value::from_safe_string(html?);
    if !recorded.route_specific {
        let card = Card {
            html: html.clone(),
            deps: context.versions.stamp(recorded.deps).into(),
        };
        context.cache.lock().cards.insert(key, card);
    }
    Ok(html)
}
