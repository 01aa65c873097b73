//! Components rendered once per build and reused: the header and footer on every page, the
//! same "recent posts" section at the bottom of ten thousand posts. A component's output is
//! reused only when it cannot differ between pages:
//!
//! - statically, its template (with every template it imports or includes) reads nothing but
//!   the page or route being rendered ([`ROUTE_NAMES`]);
//! - dynamically, nothing it rendered was route-specific (a nested component that is not
//!   reusable, or a route function, taints it: see [`crate::deps::taint`]).
//!
//! The key is the template name with the object and arguments themselves (compared by value,
//! not by hash), and a reuse replays the dependencies the first render recorded.

use crate::deps::Dep;
use crate::json_view::plain;
use crate::values::page_path;
use minijinja::{Environment, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, RwLock};

/// The names of a component's context that differ from page to page. The context holds only
/// these, `config`, `editing`, the caller's keyword arguments and `obj` (see
/// `engine::component`); everything else a template can name is a function, which records or
/// taints for itself (see [`crate::deps`]).
pub(crate) const ROUTE_NAMES: &[&str] = &["page", "route_page", "route_number"];

/// Which templates can be reused, decided once per template name.
#[derive(Default)]
pub(crate) struct Purity {
    /// Template name → the names it reads from its context (imports and includes followed).
    reads: RwLock<HashMap<String, Arc<BTreeSet<String>>>>,
}

impl Purity {
    /// Whether `name` (or a template it imports or includes) reads the route being rendered.
    pub(crate) fn reads_route(&self, env: &Environment<'_>, name: &str) -> bool {
        let reads = self.reads(env, name);
        ROUTE_NAMES.iter().any(|n| reads.contains(*n))
    }

    /// Forget every decision (the templates changed).
    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.reads.write() {
            map.clear();
        }
    }

    fn reads(&self, env: &Environment<'_>, name: &str) -> Arc<BTreeSet<String>> {
        if let Some(found) = read_lock(&self.reads).get(name) {
            return Arc::clone(found);
        }
        let mut names = BTreeSet::new();
        let mut seen = BTreeSet::new();
        collect_reads(env, name, &mut names, &mut seen);
        let names = Arc::new(names);
        if let Ok(mut map) = self.reads.write() {
            map.insert(name.to_string(), Arc::clone(&names));
        }
        names
    }
}

/// The context names `name` reads, with those of the templates it imports or includes.
fn collect_reads(
    env: &Environment<'_>,
    name: &str,
    names: &mut BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) {
    if !seen.insert(name.to_string()) {
        return;
    }
    let Ok(template) = env.get_template(name) else {
        // Unknown: treat as reading the route, so that nothing built on it is reused.
        names.insert("page".into());
        return;
    };
    names.extend(template.undeclared_variables(false));
    for referenced in referenced_templates(template.source()) {
        collect_reads(env, &referenced, names, seen);
    }
}

/// The names in `{% import "x" %}`, `{% from "x" import … %}`, `{% include "x" %}` and
/// `{% extends "x" %}` tags. A template referenced by an expression instead of a literal
/// cannot be followed, so it makes the template read "everything".
fn referenced_templates(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.trim_start_matches(['-', '+']).trim_start();
        let Some(rest) = ["import", "from", "include", "extends"]
            .iter()
            .find_map(|kw| tag.strip_prefix(kw))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let quoted = rest
            .strip_prefix('"')
            .and_then(|r| r.split_once('"'))
            .or_else(|| rest.strip_prefix('\'').and_then(|r| r.split_once('\'')));
        match quoted {
            Some((name, _)) => found.push(name.to_string()),
            None => found.push(String::from("\u{0}dynamic")),
        }
    }
    found
}

/// A reused component: its HTML and what its first render read.
#[derive(Clone)]
pub(crate) struct Memoized {
    pub html: Value,
    pub deps: Arc<[Dep]>,
}

#[derive(PartialEq, Eq, Hash)]
struct Key {
    template: String,
    obj: Value,
    kwargs: Vec<(String, Value)>,
}

/// The per-build store of reusable component output.
#[derive(Default)]
pub(crate) struct ComponentMemo {
    disabled: bool,
    purity: Purity,
    outputs: Mutex<HashMap<Key, Memoized>>,
}

/// A lookup ticket: what to store under once the component is rendered.
pub(crate) struct Ticket(Key);

impl ComponentMemo {
    /// A memo that never reuses anything (to prove reuse changes no output).
    pub fn disabled() -> Self {
        ComponentMemo {
            disabled: true,
            ..ComponentMemo::default()
        }
    }

    /// Whether `template` called with these keyword arguments can be reused; if so, the stored
    /// output (when there is one) or a ticket to store it under.
    pub fn lookup(
        &self,
        env: &Environment<'_>,
        template: &str,
        obj: &Value,
        kwargs: Vec<(String, Value)>,
    ) -> Option<Result<Memoized, Ticket>> {
        // A page's own layout is drawn once per route: there is nothing to reuse, and keying
        // on the page would hash all of it and keep its HTML until the build ends.
        if self.disabled || page_path(obj).is_some() || self.purity.reads_route(env, template) {
            return None;
        }
        let key = Key {
            template: template.to_string(),
            // Hashed and compared in full: a plain map does that far faster than a view.
            obj: plain(obj.clone()),
            kwargs,
        };
        let outputs = match self.outputs.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        Some(match outputs.get(&key) {
            Some(found) => Ok(found.clone()),
            None => Err(Ticket(key)),
        })
    }

    /// Store the output of a reusable component.
    pub fn store(&self, ticket: Ticket, memoized: Memoized) {
        let mut outputs = match self.outputs.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        outputs.insert(ticket.0, memoized);
    }
}

fn read_lock<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    match lock.read() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_imports_includes_and_dynamic_references() {
        let source = r#"{%- import "_section.html" as s -%}{% from '_a.html' import x %}
{% include "404.html" %}{% include name %}{% if x %}{% endif %}"#;
        assert_eq!(
            referenced_templates(source),
            ["_section.html", "_a.html", "404.html", "\u{0}dynamic"]
        );
    }

    fn env(templates: &[(&'static str, &'static str)]) -> Environment<'static> {
        let mut env = Environment::new();
        for (name, source) in templates {
            env.add_template(name, source).expect("valid template");
        }
        env
    }

    #[test]
    fn templates_reading_the_page_are_not_reused() {
        let env = env(&[
            ("Pure.html", "{{ obj.title }}{{ icon('x') }}{{ class }}"),
            ("Page.html", "{{ obj.title }}{{ page.title }}"),
            ("Imports.html", "{% import '_m.html' as m %}{{ m.f(obj) }}"),
            (
                "_m.html",
                "{% macro f(o) %}{{ route_number }}{% endmacro %}",
            ),
        ]);
        let memo = ComponentMemo::default();
        let obj = Value::from("o");
        let class = vec![("class".to_string(), Value::from("w-full"))];
        assert!(memo
            .lookup(&env, "Pure.html", &obj, class.clone())
            .is_some());
        assert!(memo.lookup(&env, "Page.html", &obj, Vec::new()).is_none());
        assert!(
            memo.lookup(&env, "Imports.html", &obj, Vec::new())
                .is_none(),
            "what an imported macro reads counts"
        );
        assert!(ComponentMemo::disabled()
            .lookup(&env, "Pure.html", &obj, class)
            .is_none());
    }

    #[test]
    fn stored_output_is_found_by_value() {
        let env = env(&[("Pure.html", "{{ obj.title }}")]);
        let memo = ComponentMemo::default();
        let obj = Value::from(minijinja::value::Serde(serde_json::json!({"title": "A"})));
        let Some(Err(ticket)) = memo.lookup(&env, "Pure.html", &obj, Vec::new()) else {
            panic!("a first lookup gives a ticket");
        };
        memo.store(
            ticket,
            Memoized {
                html: Value::from_safe_string("A".into()),
                deps: Arc::from(vec![Dep::Posts]),
            },
        );
        let same = Value::from(minijinja::value::Serde(serde_json::json!({"title": "A"})));
        let Some(Ok(found)) = memo.lookup(&env, "Pure.html", &same, Vec::new()) else {
            panic!("an equal object finds the stored output");
        };
        assert_eq!(found.html.to_string(), "A");
        let other = Value::from(minijinja::value::Serde(serde_json::json!({"title": "B"})));
        assert!(matches!(
            memo.lookup(&env, "Pure.html", &other, Vec::new()),
            Some(Err(_))
        ));
    }
}
