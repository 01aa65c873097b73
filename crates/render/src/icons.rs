//! The 23 icons of the model (feather-icons, MIT, and simple-icons, CC0: see
//! `theme/icons/LICENSE.md`), inlined as SVG so that no request is made for them.

use include_dir::{include_dir, Dir};

static ICONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme/icons");

/// The SVG of icon `name` (`arrowRight`) with `class` on the root element, or `None` for an
/// unknown name.
pub fn icon_svg(name: &str, class: &str) -> Option<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let svg = ICONS
        .get_file(format!("{name}.svg"))?
        .contents_utf8()?
        .trim();
    let rest = svg.strip_prefix("<svg")?;
    Some(format!(
        "<svg class=\"{}\"{rest}",
        crate::escape_html(class)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_23_icons_of_the_model_exist() {
        let names = "apple arrowLeft arrowLeftCircle arrowRight arrowRightCircle arrowUpLeft arrowUpRight cart chevronLeft chevronRight facebook github googlePlay instagram linkedin mail play playCircle reddit send twitter vimeo youtube";
        for name in names.split(' ') {
            let svg = icon_svg(name, "h-5 w-5").unwrap_or_else(|| panic!("{name} exists"));
            assert!(svg.starts_with("<svg class=\"h-5 w-5\""), "{svg}");
        }
        assert!(icon_svg("../x", "").is_none() && icon_svg("nope", "").is_none());
    }
}
