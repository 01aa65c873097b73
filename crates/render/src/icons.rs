//! The 23 icons of the model (feather-icons, MIT, and simple-icons, CC0: see
//! `theme/icons/LICENSE.md`), inlined as SVG so that no request is made for them.

use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;

static ICONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme/icons");

/// The SVG of icon `name` (`arrowRight`) with `class` on the root element: the site's own
/// (`templates/icons/<name>.svg`, in `site_icons` by that name) first, then the theme's;
/// `None` for an unknown name.
pub fn icon_svg(name: &str, class: &str, site_icons: &BTreeMap<String, String>) -> Option<String> {
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let svg = match site_icons.get(&format!("icons/{name}.svg")) {
        Some(svg) => svg.as_str(),
        None => ICONS.get_file(format!("{name}.svg"))?.contents_utf8()?,
    };
    with_class(svg, class)
}

/// An SVG document with `class` on its root element (an XML prolog or comment before it is
/// dropped).
fn with_class(svg: &str, class: &str) -> Option<String> {
    let start = svg.find("<svg")?;
    let rest = svg[start..].trim_end().strip_prefix("<svg")?;
    Some(format!(
        "<svg class=\"{}\"{rest}",
        crate::escape_html(class)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_the_model_names_is_drawn_and_no_other() {
        let none = BTreeMap::new();
        for name in folio_model::ICONS {
            let svg = icon_svg(name, "h-5 w-5", &none).unwrap_or_else(|| panic!("{name} exists"));
            assert!(svg.starts_with("<svg class=\"h-5 w-5\""), "{svg}");
        }
        let files = ICONS
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "svg"));
        assert_eq!(files.count(), folio_model::ICONS.len());
        assert!(icon_svg("../x", "", &none).is_none() && icon_svg("nope", "", &none).is_none());
    }

    #[test]
    fn a_site_icon_is_drawn_before_the_theme_one() {
        let mut site = BTreeMap::new();
        site.insert(
            "icons/tiktok.svg".to_string(),
            "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 24 24\"><path d=\"M1 1\"/></svg>\n"
                .to_string(),
        );
        let svg = icon_svg("tiktok", "h-5 w-5", &site).expect("the site's icon");
        assert_eq!(
            svg,
            "<svg class=\"h-5 w-5\" viewBox=\"0 0 24 24\"><path d=\"M1 1\"/></svg>"
        );
    }
}
