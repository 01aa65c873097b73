//! A content object's fields served to templates where they are read, instead of converted
//! into template values up front: ten thousand posts hold their fields once (in the site), not
//! twice. A scalar is converted when read; an object or a list is a view that finds its place in
//! the fields again on each read.
//!
//! Views compare, hash, iterate and serialise as the converted maps and lists would (minijinja
//! treats any map-like object so), so templates and component keys see no difference.

use folio_content::ContentObject;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use minijinja::Value;
use serde_json::{Map, Value as Json};
use std::sync::Arc;

/// One step from an object's fields down to a nested value.
#[derive(Debug, Clone)]
enum Step {
    Key(Box<str>),
    Index(usize),
}

/// The fields of `object`, or an object or list inside them (`at`). At the root, the fields
/// have `__path` (the object's file) too, as [`crate::values::object_value`] gives.
#[derive(Debug)]
pub(crate) struct JsonView {
    object: Arc<ContentObject>,
    at: Box<[Step]>,
}

/// What a view stands for.
enum Node<'a> {
    Root(&'a Map<String, Json>),
    Map(&'a Map<String, Json>),
    List(&'a [Json]),
}

impl JsonView {
    /// The fields of `object` with its `__path`.
    pub(crate) fn root(object: Arc<ContentObject>) -> Value {
        Value::from_object(JsonView {
            object,
            at: Box::new([]),
        })
    }

    fn node(&self) -> Option<Node<'_>> {
        let Some((first, rest)) = self.at.split_first() else {
            return Some(Node::Root(&self.object.data));
        };
        let Step::Key(key) = first else {
            return None;
        };
        let mut node = self.object.data.get(&**key)?;
        for step in rest {
            node = match (step, node) {
                (Step::Key(key), Json::Object(map)) => map.get(&**key)?,
                (Step::Index(i), Json::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        match node {
            Json::Object(map) => Some(Node::Map(map)),
            Json::Array(items) => Some(Node::List(items)),
            _ => None,
        }
    }

    /// The template value of `json`, found one `step` below this view.
    fn child(&self, step: Step, json: &Json) -> Value {
        match json {
            Json::Object(_) | Json::Array(_) => {
                let mut at = Vec::with_capacity(self.at.len() + 1);
                at.extend_from_slice(&self.at);
                at.push(step);
                Value::from_object(JsonView {
                    object: Arc::clone(&self.object),
                    at: at.into(),
                })
            }
            scalar => scalar_value(scalar),
        }
    }
}

/// `value` with a view made a plain map or list (converted at once): what is hashed and
/// compared in full, as a component's memo key is, is far cheaper so. Other values are returned
/// as they are.
pub(crate) fn plain(value: Value) -> Value {
    let Some(view) = value.downcast_object_ref::<JsonView>() else {
        return value;
    };
    match view.node() {
        Some(Node::Root(map)) => {
            let mut fields = map.clone();
            if !fields.contains_key("__path") {
                fields.insert("__path".into(), Json::String(view.object.path.clone()));
            }
            Value::from(Serde(fields))
        }
        Some(Node::Map(map)) => Value::from(Serde(map)),
        Some(Node::List(items)) => Value::from(Serde(items)),
        None => value,
    }
}

/// A field of `object` (not `__path`) as a template value: see [`JsonView`].
pub(crate) fn field_value(object: &Arc<ContentObject>, key: &str) -> Option<Value> {
    let json = object.data.get(key)?;
    let root = JsonView {
        object: Arc::clone(object),
        at: Box::new([]),
    };
    Some(root.child(Step::Key(key.into()), json))
}

/// A JSON scalar as the template value converting it (`Serde`) gives.
fn scalar_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(i)) => Value::from(i),
            _ => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Object(_) | Json::Array(_) => Value::UNDEFINED,
    }
}

impl Object for JsonView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.node() {
            Some(Node::List(_)) => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match self.node()? {
            Node::Root(map) => {
                let key = key.as_str()?;
                match map.get(key) {
                    Some(json) => Some(self.child(Step::Key(key.into()), json)),
                    None if key == "__path" => Some(Value::from(self.object.path.as_str())),
                    None => None,
                }
            }
            Node::Map(map) => {
                let key = key.as_str()?;
                let json = map.get(key)?;
                Some(self.child(Step::Key(key.into()), json))
            }
            Node::List(items) => {
                let i = key.as_usize()?;
                Some(self.child(Step::Index(i), items.get(i)?))
            }
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.node() {
            Some(Node::Root(map)) => {
                let mut keys: Vec<Value> = map.keys().map(|k| Value::from(k.as_str())).collect();
                if !map.contains_key("__path") {
                    keys.push(Value::from("__path"));
                }
                Enumerator::Values(keys)
            }
            Some(Node::Map(map)) => {
                Enumerator::Values(map.keys().map(|k| Value::from(k.as_str())).collect())
            }
            Some(Node::List(items)) => Enumerator::Seq(items.len()),
            None => Enumerator::Empty,
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        match self.node()? {
            Node::Root(map) => Some(map.len() + usize::from(!map.contains_key("__path"))),
            Node::Map(map) => Some(map.len()),
            Node::List(items) => Some(items.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(data: Json) -> Arc<ContentObject> {
        let Json::Object(data) = data else {
            panic!("an object");
        };
        Arc::new(ContentObject {
            path: "content/pages/a.md".into(),
            file_kind: folio_content::FileKind::Page,
            model: Some("PageLayout".into()),
            data,
            body: None,
            type_span: folio_diag::Span::new(0, 0),
            legacy: false,
            date: None,
            page_url: "/a/".into(),
        })
    }

    #[test]
    fn a_view_equals_hashes_and_renders_as_the_converted_fields() {
        let data = serde_json::json!({
            "type": "PageLayout",
            "title": "A",
            "count": 3,
            "ratio": 0.5,
            "negative": -2,
            "draft": false,
            "styles": {"self": {"padding": ["pt-4", "pb-4"], "width": "wide"}},
            "sections": [{"type": "HeroSection", "title": "Hi"}, {"type": "TextSection"}]
        });
        let object = object(data);
        let view = JsonView::root(Arc::clone(&object));
        let mut converted = object.data.clone();
        converted.insert("__path".into(), Json::String(object.path.clone()));
        let converted = Value::from(Serde(Json::Object(converted)));
        assert_eq!(view, converted);
        let hash = |v: &Value| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&view), hash(&converted));
        let mut env = minijinja::Environment::new();
        let template = "{{ o.title }} {{ o.count + 1 }} {{ o.ratio }} {{ o.negative }} \
            {{ o.draft }} {{ o.styles.self.padding | join(',') }} {{ o.sections | length }} \
            {{ o.sections[0].title }} {% for k, v in o.styles.self | items %}{{ k }}={{ v }};{% endfor %} \
            {{ o | tojson }} {{ o.missing is undefined }} {{ o.__path }} {{ o | length }}";
        env.add_template("t", template).expect("valid");
        let render = |o: &Value| {
            env.get_template("t")
                .and_then(|t| t.render(minijinja::context! { o => o }))
                .expect("renders")
        };
        assert_eq!(render(&view), render(&converted));
        let rendered = render(&view);
        assert!(
            rendered.starts_with("A 4 0.5 -2 False pt-4,pb-4 2 Hi padding="),
            "{rendered}"
        );
        let title = field_value(&object, "title").expect("a field");
        assert_eq!(title, Value::from("A"));
        assert!(field_value(&object, "nothing").is_none());
        let styles = field_value(&object, "styles").expect("a field");
        assert_eq!(plain(styles.clone()), styles);
        assert!(plain(styles).downcast_object_ref::<JsonView>().is_none());
        assert_eq!(plain(view), converted);
    }
}
