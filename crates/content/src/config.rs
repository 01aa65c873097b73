//! `folio.toml`: folio's own settings at the site root (optional), deserialized into a
//! [`SiteConfig`], and the site's base URL ([`resolve_base_url`]: `--base-url` > `URL` in the
//! environment > `folio.toml`).
//!
//! ```toml
//! base_url = "https://example.org"   # absolute http(s) URL; feeds, sitemap, canonical, og:*
//! output_dir = "out"                 # where `folio build` writes (default `out`)
//! search = true                      # the search index and the header's search box
//! precompress = false                # `.br` and `.gz` copies beside the output's text files
//! strict = false                     # warnings count as errors (`--strict`)
//!
//! [pagination]
//! posts_per_page = 10     # PostFeedLayout pages without `numOfPostsPerPage`
//! projects_per_page = 6   # ProjectFeedLayout pages without `numOfProjectsPerPage`
//! ```
//! A feed page's own front-matter field wins over `[pagination]` for that page; `0` means one
//! page. Invalid TOML and values of the wrong type are errors, unknown keys are warnings (with
//! a "did you mean"), each at its line and column in `folio.toml`.

use crate::site_fs::SiteRoot;
use crate::source::decode_text;
use folio_diag::{Diagnostic, Severity, Span};
use folio_model::closest_match;
use serde::Deserialize;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// The settings file's name, at the site root.
pub const CONFIG_FILE: &str = "folio.toml";

/// `folio.toml`, as written by the user (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
pub struct SiteConfig {
    /// The site's public URL, normalised (absolute http(s), no trailing slash) when valid.
    pub base_url: Option<String>,
    /// Where `folio build` writes, relative to the site (`-o` wins).
    pub output_dir: Option<String>,
    /// Whether the site has search (the search index and the header's search box); on
    /// unless `false`. Large sites may turn it off: indexing is most of their build time.
    pub search: Option<bool>,
    /// Write a `.br` and a `.gz` copy beside every text file of the output, for servers that
    /// send precompressed files (off unless `true`).
    pub precompress: Option<bool>,
    /// Default feed pagination.
    #[serde(default)]
    pub pagination: PaginationConfig,
    /// Count warnings as errors in `folio check` and `folio build` (`--strict`).
    pub strict: Option<bool>,
}

impl SiteConfig {
    /// Whether the site has search (`search` is not `false`).
    pub fn search_enabled(&self) -> bool {
        self.search != Some(false)
    }
}

/// `[pagination]` of `folio.toml`: items per feed page (`0` or absent: one page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
pub struct PaginationConfig {
    /// Posts per page of a PostFeedLayout page that has no `numOfPostsPerPage`.
    pub posts_per_page: Option<u32>,
    /// Projects per page of a ProjectFeedLayout page that has no `numOfProjectsPerPage`.
    pub projects_per_page: Option<u32>,
}

/// The keys `folio.toml` knows, by table (`""` is the top level).
const KNOWN_KEYS: [(&str, &[&str]); 2] = [
    (
        "",
        &[
            "base_url",
            "output_dir",
            "search",
            "precompress",
            "pagination",
            "strict",
        ],
    ),
    ("pagination", &["posts_per_page", "projects_per_page"]),
];

/// `folio.toml` read from a site, with the problems found in it.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The settings (defaults where the file is absent or invalid).
    pub config: SiteConfig,
    /// Its text, for diagnostics' snippets (`None` without a file).
    pub text: Option<String>,
    /// Syntax and type errors, unknown keys.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read `folio.toml` at the root of `root`, if there is one.
pub fn load_site_config(root: &SiteRoot) -> LoadedConfig {
    let Some(file) = root.find(CONFIG_FILE) else {
        return LoadedConfig::default();
    };
    let text = match root.read(&file) {
        Ok(bytes) => {
            match decode_text(CONFIG_FILE, bytes, Severity::Error, "config/invalid-utf8") {
                (text, None) => text,
                (text, Some(d)) => {
                    return LoadedConfig {
                        text: Some(text),
                        diagnostics: vec![d],
                        ..LoadedConfig::default()
                    }
                }
            }
        }
        Err(d) => {
            return LoadedConfig {
                diagnostics: vec![d],
                ..LoadedConfig::default()
            }
        }
    };
    let (config, diagnostics) = parse_site_config(&text);
    LoadedConfig {
        config,
        text: Some(text),
        diagnostics,
    }
}

/// Parse the text of `folio.toml`: the settings (defaults for what is invalid) and the problems.
pub fn parse_site_config(text: &str) -> (SiteConfig, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(e) => {
            diagnostics.push(toml_error(
                "config/invalid-toml",
                &e,
                "invalid TOML",
                "fix the syntax",
            ));
            return (SiteConfig::default(), diagnostics);
        }
    };
    check_keys(table.get_ref(), "", &mut diagnostics);
    let mut config = match toml::from_str::<SiteConfig>(text) {
        Ok(config) => config,
        Err(e) => {
            diagnostics.push(toml_error(
                "config/invalid-value",
                &e,
                "not a valid setting",
                "`base_url` and `output_dir` are strings, `search`, `precompress` and `strict` are true or false; `[pagination]` values are whole numbers of 0 or more",
            ));
            SiteConfig::default()
        }
    };
    if let Some(raw) = config.base_url.take() {
        match normalize_base_url(&raw) {
            Ok(url) => config.base_url = Some(url),
            Err(problem) => {
                let span = table
                    .get_ref()
                    .get("base_url")
                    .map(|v| span_of(v.span()))
                    .unwrap_or_default();
                diagnostics.push(
                    invalid_base_url(&raw, &problem)
                        .in_file(CONFIG_FILE)
                        .at(span)
                        .with_label(problem),
                );
            }
        }
    }
    (config, diagnostics)
}

fn span_of(range: Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

fn toml_error(code: &'static str, error: &toml::de::Error, label: &str, help: &str) -> Diagnostic {
    let message = error.message().trim().trim_end_matches('.');
    let mut d = Diagnostic::error(
        code,
        format!("`{CONFIG_FILE}`: {}", lowercase_first(message)),
    )
    .in_file(CONFIG_FILE)
    .with_help(help);
    if let Some(range) = error.span() {
        d = d.at(span_of(range)).with_label(label);
    }
    d
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Warn about keys of `table` (the table named `name`) that folio does not know, and walk
/// into the known tables.
fn check_keys(table: &DeTable<'_>, name: &str, diagnostics: &mut Vec<Diagnostic>) {
    let known = KNOWN_KEYS
        .iter()
        .find(|(table, _)| *table == name)
        .map(|(_, keys)| *keys)
        .unwrap_or_default();
    for (key, value) in table {
        let key_name: &str = key.get_ref();
        if !known.contains(&key_name) {
            let shown = if name.is_empty() {
                key_name.to_string()
            } else {
                format!("{name}.{key_name}")
            };
            let mut d = Diagnostic::warning(
                "config/unknown-key",
                format!("`{CONFIG_FILE}` has an unknown setting `{shown}`"),
            )
            .in_file(CONFIG_FILE)
            .at(span_of(key.span()))
            .with_label("folio ignores this");
            d = match closest_match(key_name, known.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("known settings here: {}", backticked(known))),
            };
            diagnostics.push(d);
            continue;
        }
        if let DeValue::Table(inner) = value.get_ref() {
            if name.is_empty() {
                check_keys(inner, key_name, diagnostics);
            }
        }
    }
}

fn backticked(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn invalid_base_url(raw: &str, problem: &str) -> Diagnostic {
    Diagnostic::error(
        "config/invalid-base-url",
        format!("the base URL `{raw}` is not valid: {problem}"),
    )
    .with_help("the base URL is the site's public address, such as `https://example.org`")
}

/// Check that `raw` is an absolute http(s) URL without query or fragment, and normalise it
/// (lower-case scheme and host, no trailing slash): `https://Example.org/` → `https://example.org`.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            "it is not absolute (it needs `https://` and a host)".to_string()
        }
        e => e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "its scheme is `{}`, not `http` or `https`",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it has a query or fragment".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Where a base URL came from, for the precedence `--base-url` > `URL` > `folio.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlSource {
    /// `--base-url` on the command line.
    Flag,
    /// The `URL` environment variable (as Netlify sets it).
    Environment,
    /// `base_url` in `folio.toml`.
    File,
}

/// The base URL to use: `given` (from `--base-url` or `URL`, already chosen by the caller, with
/// where it came from) before `folio.toml`'s. A `given` URL that is not valid is an error.
pub fn resolve_base_url(
    given: Option<(&str, BaseUrlSource)>,
    config: &SiteConfig,
) -> Result<Option<String>, Diagnostic> {
    match given {
        Some((raw, source)) => normalize_base_url(raw).map(Some).map_err(|problem| {
            let from = match source {
                BaseUrlSource::Flag => "`--base-url`",
                BaseUrlSource::Environment => "the `URL` environment variable",
                BaseUrlSource::File => CONFIG_FILE,
            };
            let mut d = invalid_base_url(raw, &problem);
            d.message = format!("{} (from {from})", d.message);
            d
        }),
        None => Ok(config.base_url.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting() {
        let (config, diagnostics) = parse_site_config(
            "base_url = \"https://Example.org/\"\noutput_dir = \"public_html\"\nsearch = false\n\
             precompress = true\n[pagination]\nposts_per_page = 10\nprojects_per_page = 6\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.base_url.as_deref(), Some("https://example.org"));
        assert_eq!(config.output_dir.as_deref(), Some("public_html"));
        assert!(!config.search_enabled());
        assert!(SiteConfig::default().search_enabled());
        assert_eq!(config.precompress, Some(true));
        assert_eq!(config.pagination.posts_per_page, Some(10));
        assert_eq!(config.pagination.projects_per_page, Some(6));
    }

    #[test]
    fn unknown_keys_are_warnings_with_a_suggestion() {
        let text = "base_ur = \"https://x.org\"\n[pagination]\npost_per_page = 3\n";
        let (config, diagnostics) = parse_site_config(text);
        assert_eq!(config, SiteConfig::default());
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            found,
            [
                ("config/unknown-key", "did you mean `base_url`?".to_string()),
                (
                    "config/unknown-key",
                    "did you mean `posts_per_page`?".to_string()
                ),
            ]
        );
        assert!(diagnostics.iter().all(|d| !d.is_error()));
        let first = diagnostics[0].span.expect("a span");
        assert_eq!(&text[first.start..first.end], "base_ur");
    }

    #[test]
    fn wrong_types_and_bad_syntax_are_errors_at_their_place() {
        let text = "[pagination]\nposts_per_page = \"ten\"\n";
        let (_, diagnostics) = parse_site_config(text);
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].is_error());
        let span = diagnostics[0].span.expect("a span");
        assert_eq!(&text[span.start..span.end], "\"ten\"");
        let (_, diagnostics) = parse_site_config("base_url = \n");
        assert_eq!(diagnostics[0].code, "config/invalid-toml");
    }

    #[test]
    fn base_urls_must_be_absolute_http() {
        assert_eq!(
            normalize_base_url("https://example.org/docs/").as_deref(),
            Ok("https://example.org/docs")
        );
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("/blog").is_err());
        assert!(normalize_base_url("ftp://example.org").is_err());
        assert!(normalize_base_url("https://example.org/?a=1").is_err());
        let (config, diagnostics) = parse_site_config("base_url = \"example.org\"\n");
        assert_eq!(config.base_url, None);
        assert_eq!(diagnostics[0].code, "config/invalid-base-url");
    }

    #[test]
    fn the_flag_and_the_environment_win_over_the_file() {
        let config = SiteConfig {
            base_url: Some("https://file.example".into()),
            ..SiteConfig::default()
        };
        assert_eq!(
            resolve_base_url(
                Some(("https://flag.example/", BaseUrlSource::Flag)),
                &config
            ),
            Ok(Some("https://flag.example".into()))
        );
        assert_eq!(
            resolve_base_url(None, &config),
            Ok(Some("https://file.example".into()))
        );
        let err = resolve_base_url(Some(("nope", BaseUrlSource::Environment)), &config)
            .expect_err("invalid");
        assert!(
            err.message.contains("`URL` environment variable"),
            "{err:?}"
        );
    }
}
