//! The `styles` field: which parts and properties a model allows, and which values each takes
//! (MODEL.md §3.1–§3.2).

use crate::Field;
use serde_json::Value;

/// Tailwind's spacing scale as the starter's safelist allows it (MODEL.md §3.2).
pub const SPACING_SCALE: &[&str] = &[
    "0", "px", "1", "1.5", "2", "2.5", "3", "3.5", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    "14", "16", "20", "24", "28", "32", "36", "40", "44", "48", "52", "56", "60", "64", "72", "80",
    "96",
];

/// Values a `"*"` domain stands for, for the properties that have a closed set.
fn star_values(property: &str) -> Option<&'static [&'static str]> {
    match property {
        "borderRadius" => Some(&[
            "none", "xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large",
            "full",
        ]),
        "borderStyle" => Some(&["none", "solid", "dashed", "dotted", "double"]),
        _ => None,
    }
}

/// The values one style property accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum StyleDomain {
    /// Any value.
    Any,
    /// One of these strings (numbers are compared by their decimal text).
    OneOf(Vec<String>),
    /// A list of Tailwind spacing classes with these prefixes and a step up to `max`.
    Spacing {
        /// `m` for margin, `p` for padding.
        prefix: char,
        /// The largest allowed step of the scale.
        max: f64,
    },
    /// A whole number of pixels in a range.
    Pixels {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
}

impl StyleDomain {
    /// The domain of `part.property` in a `style` field, or `None` when the model does not
    /// allow that part or property.
    pub fn of(field: &Field, part: &str, property: &str) -> Option<StyleDomain> {
        let spec = field.styles.as_ref()?.get(part)?.get(property)?;
        Some(Self::parse(property, spec))
    }

    fn parse(property: &str, spec: &Value) -> StyleDomain {
        let star = || match star_values(property) {
            Some(values) => StyleDomain::OneOf(values.iter().map(|s| s.to_string()).collect()),
            None => StyleDomain::Any,
        };
        let Value::Array(items) = spec else {
            return star();
        };
        let first = items.first().and_then(Value::as_str).unwrap_or_default();
        if let Some(max) = first.strip_prefix("tw0:").and_then(|m| m.parse().ok()) {
            let prefix = if property == "margin" { 'm' } else { 'p' };
            return StyleDomain::Spacing { prefix, max };
        }
        if items.len() == 1 {
            if let Some((min, max)) = first.split_once(':') {
                if let (Ok(min), Ok(max)) = (min.parse(), max.parse()) {
                    return StyleDomain::Pixels { min, max };
                }
            }
        }
        StyleDomain::OneOf(items.iter().map(value_text).collect())
    }

    /// Whether a single (non-list) value is allowed.
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            StyleDomain::Any => true,
            StyleDomain::OneOf(values) => values.iter().any(|v| v == value),
            StyleDomain::Spacing { prefix, max } => is_spacing_class(value, *prefix, *max),
            StyleDomain::Pixels { min, max } => value
                .parse::<i64>()
                .is_ok_and(|n| (*min..=*max).contains(&n)),
        }
    }

    /// Whether the property takes a list of classes rather than one value.
    pub fn is_list(&self) -> bool {
        matches!(self, StyleDomain::Spacing { .. })
    }

    /// A short description of what is allowed, for messages.
    pub fn describe(&self) -> String {
        match self {
            StyleDomain::Any => "any value".into(),
            StyleDomain::OneOf(values) => values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
            StyleDomain::Spacing { prefix, max } => format!(
                "a list of `{prefix}t-N`, `{prefix}b-N`, `{prefix}l-N`, `{prefix}r-N` with N on the spacing scale up to {max}"
            ),
            StyleDomain::Pixels { min, max } => format!("a whole number from {min} to {max}"),
        }
    }

    /// The allowed single values, when the set is closed (for "did you mean").
    pub fn values(&self) -> &[String] {
        match self {
            StyleDomain::OneOf(values) => values,
            _ => &[],
        }
    }
}

/// The text of a JSON scalar as it would appear in a class name.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `pt-12`, `mx-4`, `p-px`…: a spacing class with the given prefix (`m`/`p`), one of the
/// sides `t b l r x y` or none, and a step of the scale not above `max`.
pub fn is_spacing_class(class: &str, prefix: char, max: f64) -> bool {
    let Some(rest) = class.strip_prefix(prefix) else {
        return false;
    };
    let rest = rest.trim_start_matches(['t', 'b', 'l', 'r', 'x', 'y']);
    let Some(step) = rest.strip_prefix('-') else {
        return false;
    };
    SPACING_SCALE.contains(&step) && (step == "px" || step.parse::<f64>().is_ok_and(|n| n <= max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;

    fn hero_styles() -> Field {
        Registry::builtin()
            .get("HeroSection")
            .and_then(|m| m.field("styles"))
            .cloned()
            .expect("HeroSection has styles")
    }

    #[test]
    fn reads_domains_from_the_registry() {
        let field = hero_styles();
        let padding = StyleDomain::of(&field, "self", "padding").expect("allowed");
        assert!(padding.is_list());
        assert!(padding.accepts("pt-12") && padding.accepts("pl-px"));
        assert!(
            !padding.accepts("mt-12") && !padding.accepts("pt-13") && !padding.accepts("pt-100")
        );
        let radius = StyleDomain::of(&field, "self", "borderRadius").expect("allowed");
        assert!(radius.accepts("xx-large") && !radius.accepts("huge"));
        let width = StyleDomain::of(&field, "self", "borderWidth").expect("allowed");
        assert!(width.accepts("8") && !width.accepts("9"));
        let weight = StyleDomain::of(&field, "title", "fontWeight").expect("allowed");
        assert!(weight.accepts("400") && weight.accepts("600") && !weight.accepts("650"));
        assert!(StyleDomain::of(&field, "quote", "textAlign").is_none());
    }
}
