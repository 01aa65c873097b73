//! New content files with valid front matter (`folio new`, the editor's "New post"): the file
//! name from the title, the folder where the site keeps files of that model, and the front
//! matter each page model needs.

use crate::site::{ContentObject, Site};
use std::collections::BTreeMap;

/// A content file to create: where, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContent {
    /// Site-relative path (`content/pages/blog/my-post.md`).
    pub file: String,
    /// The whole file: front matter and a placeholder body.
    pub text: String,
}

/// Why a file cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewContentError {
    /// Only posts, pages and projects are made this way.
    UnsupportedModel,
    /// The title has no letter or digit to name the file with.
    EmptyTitle,
}

/// `My First Post!` → `my-first-post`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// A new `model` (`PostLayout`, `PageLayout` or `ProjectLayout`) titled `title`, dated `date`
/// (`YYYY-MM-DD`, posts and projects), placed in the folder that holds most of the site's
/// files of that model; when it has none, where the model's `filePath` says
/// (`content/pages/blog/{slug}.md`); else in the model's default folder.
pub fn new_content(
    site: &Site,
    model: &str,
    title: &str,
    date: &str,
) -> Result<NewContent, NewContentError> {
    let existing = site.objects.values().map(|o| &**o);
    let file_path = site
        .registry
        .get(model)
        .and_then(|m| m.file_path.as_deref());
    new_content_among(existing, file_path, model, title, date)
}

/// [`new_content`] with the site's objects and the model's `filePath` given.
fn new_content_among<'a>(
    existing: impl IntoIterator<Item = &'a ContentObject>,
    file_path: Option<&str>,
    model: &str,
    title: &str,
    date: &str,
) -> Result<NewContent, NewContentError> {
    let default_dir = match model {
        "PostLayout" => "content/pages/blog",
        "PageLayout" => "content/pages",
        "ProjectLayout" => "content/pages/projects",
        _ => return Err(NewContentError::UnsupportedModel),
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewContentError::EmptyTitle);
    }
    // Where the site keeps files of this model (e.g. `talks/` for projects).
    let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
    for object in existing.into_iter().filter(|o| o.is(model)) {
        if let Some((dir, _)) = object.path.rsplit_once('/') {
            *folders.entry(dir).or_default() += 1;
        }
    }
    let declared = file_path.and_then(|pattern| declared_file(pattern, &slug));
    let most = folders
        .iter()
        .max_by_key(|(dir, count)| (**count, std::cmp::Reverse(**dir)))
        .map(|(dir, _)| format!("{dir}/{slug}.md"));
    let file = most
        .or(declared)
        .unwrap_or_else(|| format!("{default_dir}/{slug}.md"));
    // A JSON string is a valid double-quoted YAML scalar.
    let title = serde_json::to_string(title).unwrap_or_default();
    let (front, body) = match model {
        "PostLayout" => (
            format!("type: PostLayout\ntitle: {title}\ndate: '{date}'\nexcerpt: ''\ncolors: colors-a\n"),
            "\nWrite here.\n",
        ),
        "PageLayout" => (
            // A section to write in: a page of no sections is published with nothing to see.
            format!("type: PageLayout\ntitle: {title}\ncolors: colors-a\nsections:\n  - type: TextSection\n    variant: variant-a\n    text: Write here.\n"),
            "",
        ),
        _ => (
            format!("type: ProjectLayout\ntitle: {title}\ndate: '{date}'\ndescription: ''\ncolors: colors-a\n"),
            "\nWrite here.\n",
        ),
    };
    Ok(NewContent {
        file,
        text: format!("---\n{front}---\n{body}"),
    })
}

/// The file a model's `filePath` pattern names for `slug`: a page under `content/pages/`
/// whose only placeholder is `{slug}` (other patterns are left to the default folder).
fn declared_file(pattern: &str, slug: &str) -> Option<String> {
    let file = pattern.trim_start_matches("./").replace("{slug}", slug);
    let plain =
        !file.contains(['{', '}', '\\']) && !file.split('/').any(|s| s == ".." || s.is_empty());
    (plain && file.starts_with("content/pages/") && file.ends_with(".md")).then_some(file)
}

#[cfg(test)]
mod tests {
    use super::{new_content_among, slugify};

    #[test]
    fn a_new_post_goes_beside_the_sites_posts_else_where_its_model_says() {
        let made = |file_path| {
            new_content_among([], file_path, "PostLayout", "Hello there", "2024-01-02")
                .expect("made")
                .file
        };
        assert_eq!(made(None), "content/pages/blog/hello-there.md");
        assert_eq!(
            made(Some("content/pages/posts/{slug}.md")),
            "content/pages/posts/hello-there.md"
        );
        // Patterns folio cannot fill, or outside the pages, keep the default folder.
        assert_eq!(
            made(Some("content/pages/{date}/{slug}.md")),
            "content/pages/blog/hello-there.md"
        );
        assert_eq!(
            made(Some("content/data/{slug}.json")),
            "content/pages/blog/hello-there.md"
        );
        assert_eq!(
            made(Some("content/pages/../{slug}.md")),
            "content/pages/blog/hello-there.md"
        );
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slugify("My First Post!"), "my-first-post");
        assert_eq!(slugify("  Ünïcode — ok  "), "ünïcode-ok");
        assert_eq!(slugify("!!!"), "");
    }
}
