//! New content files with valid front matter (`folio new`, the editor's "New post"): the file
//! name from the title, the folder where the site keeps files of that model, and the front
//! matter each page model needs.

use crate::site::ContentObject;
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
/// (`YYYY-MM-DD`, posts and projects), placed in the folder that holds most of the `existing`
/// files of that model (its default folder when there are none).
pub fn new_content<'a>(
    existing: impl IntoIterator<Item = &'a ContentObject>,
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
    let dir = folders
        .iter()
        .max_by_key(|(dir, count)| (**count, std::cmp::Reverse(**dir)))
        .map_or(default_dir, |(dir, _)| dir);
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
        file: format!("{dir}/{slug}.md"),
        text: format!("---\n{front}---\n{body}"),
    })
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slugify("My First Post!"), "my-first-post");
        assert_eq!(slugify("  Ünïcode — ok  "), "ünïcode-ok");
        assert_eq!(slugify("!!!"), "");
    }
}
