//! Page URLs from file paths (MODEL.md §1).

/// The URL of the page file `path` (site-relative, under `content/pages/`), with a trailing
/// slash. `legacy` selects the older themes' rule (only the extension is removed, lower-cased);
/// otherwise the current rule applies (cut at the first `.`, case kept).
pub fn url_for_page(path: &str, legacy: bool) -> String {
    let rel = path.strip_prefix("content/pages").unwrap_or(path);
    let rel = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("/{rel}")
    };
    let mut url = if legacy {
        let file_start = rel.rfind('/').map_or(0, |i| i + 1);
        let cut = rel[file_start..]
            .rfind('.')
            .map_or(rel.len(), |i| file_start + i);
        rel[..cut].to_lowercase()
    } else {
        let cut = rel.find('.').unwrap_or(rel.len());
        match locale_suffix(&rel[cut..]) {
            // `info.es.md` is the Spanish `info.md`: `/es/info/`, as sites that translate
            // their pages route them (Next.js i18n with the locale in the file name).
            Some(locale) => format!("/{locale}{}", &rel[..cut]),
            None => rel[..cut].to_string(),
        }
    };
    if url == "/index" {
        url.clear();
    } else if let Some(stripped) = url.strip_suffix("/index") {
        url.truncate(stripped.len());
    }
    url.push('/');
    url
}

/// The locale of a translated data file (`content/data/config.es.json` → `es`): what the
/// pages under `/es/` read instead of `config.json`.
pub fn locale_of_data_file(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let dot = name.find('.')?;
    locale_suffix(&name[dot..])
}

/// The locale of a file name's suffix `.es.md` / `.pt-BR.md` (`es`, `pt-BR`): two lower-case
/// letters, optionally a dash and two upper-case ones, before the extension.
fn locale_suffix(suffix: &str) -> Option<&str> {
    let (locale, extension) = suffix.strip_prefix('.')?.split_once('.')?;
    let (language, region) = locale.split_once('-').unwrap_or((locale, ""));
    let is_language = language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase());
    let is_region =
        region.is_empty() || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase()));
    (is_language && is_region && !extension.contains('.') && language != extension)
        .then_some(locale)
}

/// Output file for a URL: `/blog/a/` → `blog/a/index.html`.
pub fn output_path_for_url(url: &str) -> String {
    let trimmed = url.trim_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else {
        format!("{trimmed}/index.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translated_data_file_names_its_locale() {
        assert_eq!(
            locale_of_data_file("content/data/config.es.json"),
            Some("es")
        );
        assert_eq!(locale_of_data_file("content/data/config.json"), None);
    }

    #[test]
    fn a_locale_in_the_file_name_prefixes_the_url() {
        assert_eq!(url_for_page("content/pages/index.es.md", false), "/es/");
        assert_eq!(url_for_page("content/pages/info.es.md", false), "/es/info/");
        assert_eq!(
            url_for_page("content/pages/blog/a.pt-BR.md", false),
            "/pt-BR/blog/a/"
        );
        // Not locales: a version, three letters, a doubled extension.
        assert_eq!(url_for_page("content/pages/a.v2.md", false), "/a/");
        assert_eq!(url_for_page("content/pages/a.eng.md", false), "/a/");
        assert_eq!(url_for_page("content/pages/a.md.md", false), "/a/");
    }

    #[test]
    fn maps_files_to_urls_with_trailing_slashes() {
        assert_eq!(url_for_page("content/pages/index.md", false), "/");
        assert_eq!(url_for_page("content/pages/info.md", false), "/info/");
        assert_eq!(url_for_page("content/pages/blog/index.md", false), "/blog/");
        assert_eq!(
            url_for_page("content/pages/blog/post-one.md", false),
            "/blog/post-one/"
        );
        assert_eq!(url_for_page("content/pages/a/b/c.md", false), "/a/b/c/");
        assert_eq!(
            url_for_page("content/pages/posts/x/index.md", false),
            "/posts/x/"
        );
        assert_eq!(
            url_for_page("content/pages/Blog/My-Post.md", false),
            "/Blog/My-Post/"
        );
    }

    #[test]
    fn cuts_at_the_first_dot_unless_legacy() {
        assert_eq!(
            url_for_page("content/pages/waweb.ui.registry.md", false),
            "/waweb/"
        );
        assert_eq!(
            url_for_page("content/pages/waweb.ui.registry.md", true),
            "/waweb.ui.registry/"
        );
        assert_eq!(
            url_for_page("content/pages/Blog/My-Post.md", true),
            "/blog/my-post/"
        );
        assert_eq!(url_for_page("content/pages/v1.2/index.md", false), "/v1/");
    }

    #[test]
    fn output_paths_follow_urls() {
        assert_eq!(output_path_for_url("/"), "index.html");
        assert_eq!(output_path_for_url("/blog/a/"), "blog/a/index.html");
    }
}
