//! Feed cards kept from one build to the next: a blog feed of ten thousand posts is ten
//! thousand cards, and an edit of one post changes one of them. `feed_card(template, section,
//! item)` renders `template` for one item of a feed section and keeps the HTML with what it
//! read; `feed_cards(template, section, items)` does the same for a whole list in one call (the
//! loop, the lookups and the concatenation run in Rust under one lock, which is what keeps a feed
//! of ten thousand reused cards cheap).
//!
//! A card is identified by its group (its template and the section, by a 64-bit hash of the
//! section's value) and the item's file. A page that shows a card depends on the card's HTML
//! ([`Dep::Card`], versioned by a hash of that HTML), not on what the card read: at the start
//! of each build, [`CardCache::refresh`] renders again the cards whose inputs changed, so that
//! an edit of a post's body (which no card shows) leaves the feed and every "recent posts"
//! section as they were, while an edit of its title changes the card and so every page that
//! shows it.

use crate::annotate;
use crate::deps::{in_frame, isolated_frame, record, replay, taint, Dep, Versions};
use crate::memo::Purity;
use crate::profile::timed;
use crate::splice::Splices;
use crate::values::{page_path, PageList};
use folio_content::{fingerprint, FastMap, FastSet};
use minijinja::{context, Environment, Error, Value};
use rayon::prelude::*;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// What a card read, with the versions it had.
type Stamped = Arc<[(Dep, Option<u64>)]>;

struct Card {
    html: Value,
    /// A hash of `html`: the version pages record for this card.
    version: u64,
    deps: Stamped,
}

/// The cards of one template in one feed section.
struct Group {
    template: String,
    section: Value,
    cards: FastMap<Arc<str>, Card>,
}

#[derive(Default)]
struct State {
    /// What every card depends on besides its recorded inputs (templates, config, …).
    fingerprint: u64,
    /// Groups by id ([`group_id`]).
    groups: FastMap<u64, Group>,
    /// How many groups the last clean-up kept (see [`CardCache::end_build`]).
    live_groups: usize,
    /// Whether [`CardCache::refresh`] ran since the build began: then every card held is
    /// current, and pages take them without checking their inputs again.
    refreshed: bool,
}

/// The cards of the previous builds. `folio serve` keeps one for its whole run.
#[derive(Default)]
pub struct CardCache {
    state: RwLock<State>,
    purity: Purity,
    disabled: bool,
}

impl std::fmt::Debug for CardCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardCache")
    }
}

/// The id of the cards of `template` in the section whose value hashes to `section`.
fn group_id(template: &str, section: u64) -> u64 {
    fingerprint(&(template, section))
}

impl CardCache {
    /// A cache that keeps nothing (every card is rendered).
    pub fn disabled() -> Self {
        CardCache {
            disabled: true,
            ..CardCache::default()
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        match self.state.read() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        match self.state.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Start a build whose site-wide inputs have `fingerprint`: everything is forgotten when
    /// it differs from the previous build's.
    pub(crate) fn begin_build(&self, fingerprint: u64) {
        let mut state = self.write();
        state.refreshed = false;
        if state.fingerprint != fingerprint {
            state.groups.clear();
            state.live_groups = 0;
            self.purity.clear();
            state.fingerprint = fingerprint;
        }
    }

    /// The version of a card ([`Dep::Card`]): a hash of its HTML, `None` when there is none.
    pub(crate) fn version(&self, group: u64, item: &str) -> Option<u64> {
        let state = self.read();
        Some(state.groups.get(&group)?.cards.get(item)?.version)
    }

    /// Render again every card whose inputs changed since it was rendered, with the item as
    /// the site has it now (a card whose item is gone, or that turns out route-specific, is
    /// dropped). Runs before any page is checked, so that [`Dep::Card`] versions are current.
    pub(crate) fn refresh(&self, env: &Environment<'_>, context: &CardContext<'_>, config: &Value) {
        let stale: Vec<(u64, String, Value, Arc<str>)> = {
            let state = self.read();
            // Every card is checked: in parallel, as a long feed holds one per post.
            let cards: Vec<(u64, &Group, &Arc<str>, &Card)> = state
                .groups
                .iter()
                .flat_map(|(&id, group)| {
                    group
                        .cards
                        .iter()
                        .map(move |(item, card)| (id, group, item, card))
                })
                .collect();
            cards
                .into_par_iter()
                .filter(|(_, _, _, card)| !context.versions.unchanged(&card.deps))
                .map(|(id, group, item, _)| {
                    (
                        id,
                        group.template.clone(),
                        group.section.clone(),
                        Arc::clone(item),
                    )
                })
                .collect()
        };
        if !stale.is_empty() {
            let renders: Vec<_> = stale
                .into_par_iter()
                .map(|(id, template, section, item)| {
                    let card = render_card(env, context, config, &template, &section, &item);
                    (id, item, card.ok().flatten())
                })
                .collect();
            let mut state = self.write();
            for (id, item, card) in renders {
                let Some(group) = state.groups.get_mut(&id) else {
                    continue;
                };
                match card {
                    Some(card) => group.cards.insert(item, card),
                    None => group.cards.remove(&item),
                };
            }
        }
        self.write().refreshed = true;
    }

    /// Forget the groups that no page uses any more (a feed section edited in `folio serve`
    /// leaves its old cards behind): `live` lists the groups the pages of the build just ended
    /// depend on. Only runs when there are more groups than at the last clean-up.
    pub fn end_build<'a>(&self, live: impl FnOnce() -> Vec<&'a Dep>) {
        let mut state = self.write();
        if state.groups.len() <= state.live_groups {
            return;
        }
        let keep: FastSet<u64> = live()
            .into_iter()
            .filter_map(|dep| match dep {
                Dep::Card(group, _) => Some(*group),
                _ => None,
            })
            .collect();
        state.groups.retain(|id, _| keep.contains(id));
        state.live_groups = state.groups.len();
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
    pub item_deps: &'a (dyn Fn(&str) -> Option<Value> + Sync),
    /// Where a long list of cards is held until the page is done (see [`crate::splice`]).
    pub splices: &'a Splices,
    /// Whether this is an edit-mode render (cards are annotated).
    pub editing: bool,
}

/// Render the card of the page at `item` (as the site has it now) in its own frame: `None`
/// when the item is no page or the card read something route-specific (it cannot be kept).
fn render_card(
    env: &Environment<'_>,
    context: &CardContext<'_>,
    config: &Value,
    template_name: &str,
    section: &Value,
    item: &str,
) -> Result<Option<Card>, Error> {
    let template = env.get_template(template_name)?;
    let (html, recorded) = isolated_frame(|| -> Result<Option<String>, Error> {
        let Some(current) = (context.item_deps)(item) else {
            return Ok(None);
        };
        let ctx = context! { obj => section, item => current, config => config, editing => context.editing };
        timed(template_name, || template.render(ctx))
            .map(|html| Some(annotate_card(context, item, html)))
    });
    let Some(html) = html? else {
        return Ok(None);
    };
    // A card outlives the build, whose held fragments it must not point to.
    let html = context.splices.expand(html);
    // A card that shows other cards (a site's own card template may) is not kept: its
    // refresh would depend on theirs.
    let nested = recorded.deps.iter().any(|d| matches!(d, Dep::Card(..)));
    if recorded.route_specific || nested {
        return Ok(None);
    }
    Ok(Some(Card {
        version: fingerprint(&html),
        html: Value::from_safe_string(html),
        deps: context.versions.stamp(recorded.deps).into(),
    }))
}

/// The file of a card's item, in an edit-mode render (empty otherwise).
fn card_file(context: &CardContext<'_>, item: &Value) -> String {
    if !context.editing {
        return String::new();
    }
    annotate::object_of(item)
        .map(|(file, _)| file)
        .unwrap_or_default()
}

/// In an edit-mode render, a card's first element names its item's file.
fn annotate_card(context: &CardContext<'_>, file: &str, html: String) -> String {
    if context.editing && !file.is_empty() {
        annotate::annotate_root(&html, file, "")
    } else {
        html
    }
}

/// Whether cards of `template_name` may be kept.
fn reusable(env: &Environment<'_>, cache: &CardCache, template_name: &str) -> bool {
    !cache.disabled && !cache.purity.reads_route(env, template_name)
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
    let path = page_path(&item).filter(|_| reusable(env, context.cache, template_name));
    let Some(path) = path else {
        // Not kept: rendered here, in the page's frame, which records what it reads.
        let template = env.get_template(template_name)?;
        let file = card_file(context, &item);
        let ctx =
            context! { obj => section, item => item, config => config, editing => context.editing };
        taint();
        return timed(template_name, || template.render(ctx))
            .map(|html| Value::from_safe_string(annotate_card(context, &file, html)));
    };
    let group = group_id(template_name, section_hash(&section));
    let cached = {
        let state = context.cache.read();
        let card = state.groups.get(&group).and_then(|g| g.cards.get(&path));
        card.map(|card| (card.html.clone(), Arc::clone(&card.deps)))
    };
    if let Some((html, deps)) = cached {
        if context.versions.unchanged(&deps) {
            record(Dep::Card(group, path));
            return Ok(html);
        }
    }
    let config = config.unwrap_or_default();
    match render_card(env, context, &config, template_name, &section, &path)? {
        Some(card) => {
            let html = card.html.clone();
            let mut state = context.cache.write();
            let entry = state.groups.entry(group).or_insert_with(|| Group {
                template: template_name.to_string(),
                section: section.clone(),
                cards: FastMap::default(),
            });
            entry.cards.insert(Arc::clone(&path), card);
            drop(state);
            record(Dep::Card(group, path));
            Ok(html)
        }
        None => {
            // Route-specific after all: render it in the page's frame.
            let template = env.get_template(template_name)?;
            let file = card_file(context, &item);
            let ctx = context! { obj => section, item => item, config => config, editing => context.editing };
            let (html, _) = in_frame(|| timed(template_name, || template.render(ctx)));
            Ok(Value::from_safe_string(annotate_card(
                context, &file, html?,
            )))
        }
    }
}

/// From how many cards to render a feed draws them on every core.
const PARALLEL_CARDS: usize = 64;

/// `feed_cards(template, section, items)`: the cards of every item, concatenated. Cards still
/// valid are taken from the cache in one pass; the others are rendered by [`feed_card`].
pub(crate) fn feed_cards(
    env: &Environment<'_>,
    context: &CardContext<'_>,
    config: Option<Value>,
    template_name: &str,
    section: Value,
    items: Value,
) -> Result<Value, Error> {
    // A feed's own list converts a page only where its card must be rendered.
    let listed = items.downcast_object_ref::<PageList>();
    let values: Vec<Value> = match (listed, items.try_iter()) {
        (Some(_), _) => Vec::new(),
        (None, Ok(iter)) => iter.collect(),
        // `none` or undefined: no cards, as an empty loop would give.
        (None, Err(_)) if items.is_none() || items.is_undefined() => Vec::new(),
        (None, Err(e)) => return Err(e),
    };
    let count = listed.map_or(values.len(), PageList::len);
    let item_at = |i: usize| match listed {
        Some(list) => list.value(i),
        None => values[i].clone(),
    };
    let group = group_id(template_name, section_hash(&section));
    let mut html = String::new();
    let mut current = false;
    // Each kept card: its HTML, its inputs, and its file (the cache's own key).
    let mut found: Vec<Option<(Value, Stamped, Arc<str>)>> = vec![None; count];
    if reusable(env, context.cache, template_name) {
        let state = context.cache.read();
        current = state.refreshed;
        if let Some(group) = state.groups.get(&group) {
            for (i, slot) in found.iter_mut().enumerate() {
                let path = match listed {
                    Some(list) => list.path(i).map(|p| group.cards.get_key_value(p)),
                    None => page_path(&values[i]).map(|p| group.cards.get_key_value(&p)),
                };
                if let Some((key, card)) = path.flatten() {
                    *slot = Some((card.html.clone(), Arc::clone(&card.deps), Arc::clone(key)));
                }
            }
        }
    }
    // The kept cards, recorded as read; `None` where a card must be rendered.
    let mut cards: Vec<Option<Value>> = found
        .into_iter()
        .map(|slot| match slot {
            Some((card, deps, path)) if current || context.versions.unchanged(&deps) => {
                record(Dep::Card(group, path));
                Some(card)
            }
            _ => None,
        })
        .collect();
    let missing: Vec<usize> = (0..count).filter(|&i| cards[i].is_none()).collect();
    let render = |i: usize| {
        let (config, section) = (config.clone(), section.clone());
        feed_card(env, context, config, template_name, section, item_at(i))
    };
    if missing.len() >= PARALLEL_CARDS {
        // A long feed drawn for the first time (a cold build of a blog of thousands of posts)
        // is one page but thousands of renders: they are spread over every core. Each card
        // records what it read in a frame of its own, then hands it to this page's frame.
        let drawn: Vec<_> = missing
            .par_iter()
            .map(|&i| isolated_frame(|| render(i)))
            .collect();
        for (&i, (card, recorded)) in missing.iter().zip(drawn) {
            replay(&recorded.deps);
            if recorded.route_specific {
                taint();
            }
            cards[i] = Some(card?);
        }
    } else {
        for &i in &missing {
            cards[i] = Some(render(i)?);
        }
    }
    // One allocation for the whole feed (a long feed's HTML runs to megabytes).
    let cards: Vec<Value> = cards.into_iter().flatten().collect();
    html.reserve(cards.iter().map(|c| c.as_str().map_or(0, str::len)).sum());
    for card in &cards {
        html.push_str(card.as_str().unwrap_or_default());
    }
    Ok(context.splices.hold(html))
}
