//! The theme's own CSS, compiled from `content/data/style.json` (ThemeStyle, MODEL.md §2.3 and
//! §4): colour schemes, fonts, headings, buttons, links, Markdown and forms. Values missing
//! from style.json fall back to the starter's sample values.

use folio_content::ContentObject;
use include_dir::{include_dir, Dir};

static THEME_CSS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme/css");
use serde_json::Value as Json;
use std::fmt::Write;

/// ThemeStyle with every value present.
#[derive(Debug, Clone)]
pub struct ThemeStyle {
    data: serde_json::Map<String, Json>,
}

/// Tailwind 3's `font-sans`, what the original's pages fall back to without `fontBody`.
const TAILWIND_SANS: &str = "ui-sans-serif,system-ui,sans-serif,\"Apple Color Emoji\",\"Segoe UI Emoji\",\"Segoe UI Symbol\",\"Noto Color Emoji\"";

const PALETTE_DEFAULTS: [(&str, &str); 10] = [
    ("light", "#ffffff"),
    ("onLight", "#050806"),
    ("dark", "#000000"),
    ("onDark", "#FBFFF2"),
    ("primary", "#0804F6"),
    ("onPrimary", "#FBFFF2"),
    ("secondary", "#FE491F"),
    ("onSecondary", "#050806"),
    ("complementary", "#565862"),
    ("onComplementary", "#FBFFF2"),
];

impl ThemeStyle {
    /// Read a ThemeStyle object (or use the sample values when there is none).
    pub fn from_object(object: Option<&ContentObject>) -> Self {
        ThemeStyle {
            data: object.map(|o| o.data.clone()).unwrap_or_default(),
        }
    }

    /// The ten palette colours, `(name, #hex)`.
    pub fn palette(&self) -> Vec<(&'static str, String)> {
        PALETTE_DEFAULTS
            .iter()
            .map(|(name, default)| {
                (
                    *name,
                    self.data
                        .get(*name)
                        .and_then(Json::as_str)
                        .unwrap_or(default)
                        .to_string(),
                )
            })
            .collect()
    }

    fn color(&self, name: &str) -> String {
        self.palette()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    fn part(&self, key: &str, field: &str) -> Option<String> {
        let value = self.data.get(key)?.get(field)?;
        match value {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The body's `font-family`: the 2023 theme's `fontPrimary` (DM Mono) or `fontSecondary`
    /// (Azeret Mono), or the font stack the 2024–25 template writes (`"DM Mono", monospace`).
    /// Both faces are self-hosted, so either stack needs no request.
    ///
    /// A style.json without `fontBody` gives the body no font of its own in the original
    /// (`theme('fontFamily.undefined')`), so its text takes Tailwind's sans-serif stack;
    /// without a style.json at all, folio uses the theme's sample values (DM Mono).
    pub fn body_font_family(&self) -> String {
        let font = self.data.get("fontBody").and_then(Json::as_str);
        if font.is_none() && !self.data.is_empty() {
            return TAILWIND_SANS.into();
        }
        match font {
            Some("fontSecondary") => "\"Azeret Mono\",monospace".into(),
            Some(stack) if stack != "fontPrimary" && is_font_stack(stack) => stack.to_string(),
            _ => "\"DM Mono\",monospace".into(),
        }
    }

    /// `--theme-<name>` for every value of style.json, as the 2024–25 template declares them
    /// (its components and a site's own CSS refer to them).
    fn variables(&self) -> String {
        let mut out = String::new();
        let mut add = |name: &str, value: &str| {
            if is_css_value(value) {
                let _ = write!(out, "--theme-{}:{value};", crate::engine::kebab(name));
            }
        };
        for (name, value) in self.palette() {
            add(name, &value);
        }
        for (key, value) in &self.data {
            let text = match value {
                Json::String(s) => s.clone(),
                Json::Number(n) => n.to_string(),
                _ => continue,
            };
            if key != "type" && !PALETTE_DEFAULTS.iter().any(|(n, _)| n == key) {
                add(key, &text);
            }
        }
        out
    }
}

/// A string or number as text.
fn scalar(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A CSS value that can be written into a declaration as it is.
fn is_css_value(value: &str) -> bool {
    !value.is_empty() && value.len() < 200 && !value.contains([';', '{', '}', '<', '>', '\\', '\n'])
}

/// A `font-family` list: names, quoted or not, separated by commas.
fn is_font_stack(value: &str) -> bool {
    is_css_value(value)
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || " ,\"'-_".contains(c))
}

/// Font-size scale in rem (Tailwind's).
fn font_size(size: &str) -> Option<(&'static str, &'static str)> {
    Some(match size {
        "xs" => ("0.75rem", "1rem"),
        "sm" => ("0.875rem", "1.25rem"),
        "base" => ("1rem", "1.5rem"),
        "lg" => ("1.125rem", "1.75rem"),
        "xl" => ("1.25rem", "1.75rem"),
        "2xl" => ("1.5rem", "2rem"),
        "3xl" => ("1.875rem", "2.25rem"),
        "4xl" => ("2.25rem", "2.5rem"),
        "5xl" => ("3rem", "1"),
        "6xl" => ("3.75rem", "1"),
        "7xl" => ("4.5rem", "1"),
        "8xl" => ("6rem", "1"),
        "9xl" => ("8rem", "1"),
        _ => return None,
    })
}

fn size_rank(size: &str) -> usize {
    [
        "xs", "sm", "base", "lg", "xl", "2xl", "3xl", "4xl", "5xl", "6xl", "7xl", "8xl", "9xl",
    ]
    .iter()
    .position(|s| *s == size)
    .unwrap_or(0)
}

/// A font weight as written in style.json (`medium`, the starter's `bold`, or a number).
fn weight(value: &str) -> &'static str {
    match value {
        "thin" | "100" => "100",
        "extralight" | "200" => "200",
        "light" | "300" => "300",
        "medium" | "500" => "500",
        "semibold" | "600" => "600",
        "bold" | "700" => "700",
        "extrabold" | "800" => "800",
        "black" | "900" => "900",
        _ => "400",
    }
}

fn letter_spacing(value: &str) -> &'static str {
    match value {
        "tighter" => "-0.05em",
        "tight" => "-0.025em",
        "wide" => "0.05em",
        "wider" => "0.1em",
        "widest" => "0.25em",
        _ => "0",
    }
}

fn text_transform(value: &str) -> &'static str {
    match value {
        "lowercase" => "lowercase",
        "capitalize" => "capitalize",
        "uppercase" => "uppercase",
        _ => "none",
    }
}

fn decoration(value: &str) -> &'static str {
    match value {
        "underline" => "underline",
        "line-through" => "line-through",
        _ => "none",
    }
}

/// Sample heading values of the starter's style.json.
fn heading_default(level: usize) -> (&'static str, &'static str) {
    match level {
        1 => ("6xl", "medium"),
        2 => ("5xl", "normal"),
        3 => ("4xl", "normal"),
        4 => ("3xl", "medium"),
        5 => ("xl", "medium"),
        _ => ("lg", "medium"),
    }
}

/// The component rules of the theme.
pub fn theme_css(theme: &ThemeStyle) -> String {
    let mut css = String::with_capacity(16 * 1024);
    let c = |name: &str| theme.color(name);
    // Fonts: self-hosted, so no request leaves the site.
    for (family, file) in [("DM Mono", "dm-mono"), ("Azeret Mono", "azeret-mono")] {
        for (w, style) in [
            ("400", "normal"),
            ("400", "italic"),
            ("500", "normal"),
            ("500", "italic"),
        ] {
            let url = crate::asset_names::font_url(&format!("{file}-latin-{w}-{style}.woff2"));
            let _ = writeln!(
                css,
                "@font-face{{font-family:\"{family}\";font-style:{style};font-weight:{w};font-display:swap;src:url({url}) format(\"woff2\");unicode-range:U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD}}"
            );
        }
    }
    let body_font = theme.body_font_family();
    let _ = writeln!(
        css,
        ":root{{{}{}}}",
        theme
            .palette()
            .iter()
            .map(|(n, v)| format!("--color-{n}:{v};"))
            .collect::<String>(),
        theme.variables()
    );
    let _ = writeln!(
        css,
        "body{{font-family:{body_font};-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale;display:flex;flex-direction:column;min-height:100vh}}\n.font-primary{{font-family:\"DM Mono\",monospace}}\n.font-secondary{{font-family:\"Azeret Mono\",monospace}}\n.sb-page{{flex-grow:1;display:flex;flex-direction:column}}\n.sb-base{{flex-grow:1;display:flex;flex-direction:column}}\n.sb-layout{{flex-grow:1}}"
    );
    // Colour schemes (MODEL.md §4.1).
    for (class, bg, fg) in [
        ("colors-a", "dark", "onDark"),
        ("colors-b", "light", "onLight"),
        ("colors-c", "primary", "onPrimary"),
        ("colors-d", "secondary", "onSecondary"),
        ("colors-e", "complementary", "onComplementary"),
    ] {
        let (bg, fg) = (c(bg), c(fg));
        let _ = writeln!(
            css,
            ".{class}{{background-color:{bg};color:{fg}}}\n.{class} .sb-input,.{class} .sb-select,.{class} .sb-textarea{{color:{fg}}}\n.{class} .sb-input::placeholder,.{class} .sb-textarea::placeholder{{color:{fg};opacity:.75}}\n.{class} .sb-header-link:hover,.{class} .sb-header-link:focus-visible{{color:{bg}}}\n.{class} .sb-header-link::before{{background-color:{fg}}}\n.{class} .sb-header-overlay{{background-color:{bg}}}"
        );
    }
    let _ = writeln!(css, ".colors-f{{background-color:transparent}}");
    for name in ["primary", "secondary", "dark", "complementary"] {
        let _ = writeln!(css, ".border-{name}{{border-color:{}}}", c(name));
    }
    // Headings.
    let _ = writeln!(
        css,
        "h1,h2,h3,h4,h5,h6,.h1,.h2,.h3,.h4,.h5,.h6{{line-height:1.15;overflow-wrap:break-word}}"
    );
    for level in 1..=6 {
        let key = format!("h{level}");
        let (default_size, default_weight) = heading_default(level);
        let size = theme
            .part(&key, "size")
            .unwrap_or_else(|| default_size.into());
        let (fs, _) = font_size(&size).unwrap_or(("1rem", "1.5rem"));
        // `.hN` gives an element the look of `hN` where the outline needs another level.
        let selector = format!("{key},.{key}");
        let _ = writeln!(
            css,
            "{selector}{{font-size:{fs};font-weight:{};letter-spacing:{};text-decoration:{};text-transform:{}}}",
            weight(&theme.part(&key, "weight").unwrap_or_else(|| default_weight.into())),
            letter_spacing(&theme.part(&key, "letterSpacing").unwrap_or_default()),
            decoration(&theme.part(&key, "decoration").unwrap_or_default()),
            text_transform(&theme.part(&key, "case").unwrap_or_else(|| "uppercase".into())),
        );
        // Below 640px the three largest heading levels shrink (MODEL.md §4.2).
        let small = match level {
            1 if size_rank(&size) >= size_rank("6xl") => Some("5xl"),
            2 if size_rank(&size) >= size_rank("5xl") => Some("4xl"),
            3 if size_rank(&size) >= size_rank("4xl") => Some("3xl"),
            _ => None,
        };
        if let Some((small_fs, _)) = small.and_then(font_size) {
            let _ = writeln!(
                css,
                "@media (max-width:639.98px){{{selector}{{font-size:{small_fs}}}}}"
            );
        }
    }
    // The 2024–25 template's heading settings, for every level at once.
    let all_headings = "h1,h2,h3,h4,h5,h6,.h1,.h2,.h3,.h4,.h5,.h6";
    if let Some(w) = theme.data.get("headingWeight").and_then(scalar) {
        let _ = writeln!(css, "{all_headings}{{font-weight:{}}}", weight(&w));
    }
    if let Some(case) = theme.data.get("headingCase").and_then(scalar) {
        let _ = writeln!(
            css,
            "{all_headings}{{text-transform:{}}}",
            text_transform(&case)
        );
    }
    // Buttons.
    // The theme's static rules, one file per area (`theme/css/*.css`), in name order.
    let mut files: Vec<_> = THEME_CSS.files().collect();
    files.sort_by_key(|f| f.path());
    for file in files {
        css.push_str(file.contents_utf8().unwrap_or_default());
        css.push('\n');
    }
    for (class, key, pill) in [
        ("primary", "buttonPrimary", false),
        ("secondary", "buttonSecondary", true),
    ] {
        let v = theme
            .part(key, "verticalPadding")
            .unwrap_or_else(|| "15".into());
        let h = theme
            .part(key, "horizontalPadding")
            .unwrap_or_else(|| "20".into());
        let _ = writeln!(
            css,
            ".sb-component-button-{class}{{font-weight:{};letter-spacing:{};text-transform:{};padding:{v}px {h}px{}}}\n.sb-component-button-{class}.sb-component-button-icon{{padding:{v}px}}",
            weight(&theme.part(key, "weight").unwrap_or_default()),
            letter_spacing(&theme.part(key, "letterSpacing").unwrap_or_default()),
            text_transform(&theme.part(key, "case").unwrap_or_default()),
            if pill { ";border-radius:9999px" } else { "" },
        );
    }
    let _ = writeln!(
        css,
        ".sb-component-link{{font-weight:{};letter-spacing:{};text-transform:{}}}",
        weight(&theme.part("link", "weight").unwrap_or_default()),
        letter_spacing(&theme.part("link", "letterSpacing").unwrap_or_default()),
        text_transform(
            &theme
                .part("link", "case")
                .unwrap_or_else(|| "uppercase".into())
        ),
    );
    css
}
