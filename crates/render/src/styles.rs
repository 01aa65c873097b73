//! The `styles` object → CSS classes (MODEL.md §3.3), exactly as the original mapper does:
//! known properties map their values through a table (unknown values give nothing), other
//! properties pass their value through as a class, lists are joined, key order is kept.

use serde_json::Value as Json;

/// Classes for one part object of `styles` (e.g. `styles.title`).
pub fn map_styles(part: &Json) -> String {
    let Some(map) = part.as_object() else {
        return String::new();
    };
    let mut classes: Vec<String> = Vec::new();
    for (property, value) in map {
        if let Some(class) = map_property(property, value) {
            if !class.is_empty() {
                classes.push(class);
            }
        }
    }
    classes.join(" ")
}

fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The class for one `property: value` pair, `None` when it maps to nothing.
pub fn map_property(property: &str, value: &Json) -> Option<String> {
    if matches!(property, "margin" | "padding") {
        return value
            .as_array()
            .map(|items| items.iter().filter_map(text).collect::<Vec<_>>().join(" "));
    }
    let v = text(value)?;
    let mapped = match property {
        "alignItems" => match v.as_str() {
            "flex-start" => "items-start",
            "flex-end" => "items-end",
            "center" => "items-center",
            _ => return None,
        },
        "justifyContent" => match v.as_str() {
            "flex-start" => "justify-start",
            "flex-end" => "justify-end",
            "center" => "justify-center",
            _ => return None,
        },
        "flexDirection" => match v.as_str() {
            "row" => "flex-row",
            "row-reverse" => "flex-row-reverse",
            "col" => "flex-col",
            "col-reverse" => "flex-col-reverse",
            _ => return None,
        },
        "height" => match v.as_str() {
            "auto" => "min-h-0",
            "screen" => "min-h-screen",
            _ => return None,
        },
        "width" => match v.as_str() {
            "narrow" => "max-w-5xl",
            "wide" => "max-w-7xl",
            "full" => "max-w-full",
            _ => return None,
        },
        "borderRadius" => match v.as_str() {
            "none" => "rounded-none",
            "xx-small" => "rounded-sm",
            "x-small" => "rounded",
            "small" => "rounded-md",
            "medium" => "rounded-lg",
            "large" => "rounded-xl",
            "x-large" => "rounded-2xl",
            "xx-large" => "rounded-3xl",
            "full" => "rounded-full",
            _ => return None,
        },
        "borderStyle" => match v.as_str() {
            "none" | "solid" | "dashed" | "dotted" | "double" => {
                return Some(format!("border-{v}"))
            }
            _ => return None,
        },
        "fontStyle" => match v.as_str() {
            "italic" => "italic",
            "normal" => "not-italic",
            _ => return None,
        },
        // Every CSS weight, as Tailwind names them (the 2024–25 template and owners' models
        // use 600 and 700; the older themes 400 and 500).
        "fontWeight" => match v.as_str() {
            "100" => "font-thin",
            "200" => "font-extralight",
            "300" => "font-light",
            "400" | "normal" => "font-normal",
            "500" => "font-medium",
            "600" => "font-semibold",
            "700" | "bold" => "font-bold",
            "800" => "font-extrabold",
            "900" => "font-black",
            _ => return None,
        },
        "textAlign" => match v.as_str() {
            "left" | "center" | "right" | "justify" => return Some(format!("text-{v}")),
            _ => return None,
        },
        "textDecoration" => match v.as_str() {
            "underline" => "underline",
            "line-through" => "line-through",
            _ => return None,
        },
        "backgroundSize" => match v.as_str() {
            "auto" | "cover" | "contain" => return Some(format!("bg-{v}")),
            _ => return None,
        },
        "backgroundPosition" => match v.as_str() {
            "bottom" | "center" | "left" | "left-bottom" | "left-top" | "right"
            | "right-bottom" | "right-top" | "top" => return Some(format!("bg-{v}")),
            _ => return None,
        },
        "backgroundRepeat" => match v.as_str() {
            "repeat" | "repeat-x" | "repeat-y" | "no-repeat" => return Some(format!("bg-{v}")),
            _ => return None,
        },
        // Not in the table: the value is the class (how `borderColor: border-dark` works).
        _ => return Some(v),
    };
    Some(mapped.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_the_seed_sections_self_styles_in_key_order() {
        let styles = json!({
            "height": "auto", "width": "wide",
            "margin": ["mt-0", "mb-0"], "padding": ["pt-12", "pb-56"],
            "justifyContent": "center", "borderColor": "border-dark", "borderRadius": "large"
        });
        assert_eq!(
            map_styles(&styles),
            "min-h-0 max-w-7xl mt-0 mb-0 pt-12 pb-56 justify-center border-dark rounded-xl"
        );
    }

    #[test]
    fn unknown_values_of_known_properties_map_to_nothing() {
        assert_eq!(
            map_styles(&json!({"fontStyle": "oblique", "fontWeight": 650, "textAlign": "left"})),
            "text-left"
        );
        assert_eq!(
            map_styles(&json!({"fontStyle": "normal", "fontWeight": 700})),
            "not-italic font-bold"
        );
        assert_eq!(map_styles(&json!({"fontWeight": 500})), "font-medium");
        assert_eq!(map_styles(&json!({"margin": "mt-4"})), "");
    }
}
