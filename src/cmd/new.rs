//! `folio new post|page|project "Title"`: a new content file with valid front matter, placed
//! beside the site's existing files of that model.

use super::fail;
use crate::NewKind;
use folio_content::load_site;
use folio_diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Run the command.
pub fn run(kind: NewKind, title: &str, site: &Path) -> ExitCode {
    let loaded = match load_site(site) {
        Ok(loaded) => loaded,
        Err(d) => return fail(d),
    };
    let (model, default_dir) = match kind {
        NewKind::Post => ("PostLayout", "content/pages/blog"),
        NewKind::Page => ("PageLayout", "content/pages"),
        NewKind::Project => ("ProjectLayout", "content/pages/projects"),
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return fail(Diagnostic::error(
            "new/empty-title",
            "the title has no letters or digits to name the file with",
        ));
    }
    // Put it where the site keeps files of this model (e.g. `talks/` for projects).
    let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
    for object in loaded.site.objects.values().filter(|o| o.is(model)) {
        if let Some((dir, _)) = object.path.rsplit_once('/') {
            *folders.entry(dir).or_default() += 1;
        }
    }
    let dir = folders
        .iter()
        .max_by_key(|(dir, count)| (**count, std::cmp::Reverse(**dir)))
        .map_or(default_dir, |(dir, _)| dir);
    let rel = format!("{dir}/{slug}.md");
    let path = site.join(&rel);
    if path.exists() {
        return fail(
            Diagnostic::error("new/exists", format!("`{rel}` already exists"))
                .with_help("choose another title"),
        );
    }
    let today = jiff::ZonedDateTime::now().date().to_string();
    let title_yaml = serde_json::to_string(title).unwrap_or_default();
    let front = match kind {
        NewKind::Post => format!("type: PostLayout\ntitle: {title_yaml}\ndate: '{today}'\nexcerpt: ''\ncolors: colors-a\n"),
        NewKind::Page => format!("type: PageLayout\ntitle: {title_yaml}\ncolors: colors-a\nsections: []\n"),
        NewKind::Project => format!("type: ProjectLayout\ntitle: {title_yaml}\ndate: '{today}'\ndescription: ''\ncolors: colors-a\n"),
    };
    let body = match kind {
        NewKind::Page => String::new(),
        _ => "\nWrite here.\n".to_string(),
    };
    let text = format!("---\n{front}---\n{body}");
    if let Err(e) = std::fs::create_dir_all(path.parent().unwrap_or(site))
        .and_then(|()| std::fs::write(&path, text))
    {
        return fail(Diagnostic::error(
            "new/write",
            format!("cannot write `{rel}`: {e}"),
        ));
    }
    println!("created `{rel}`");
    ExitCode::SUCCESS
}

/// `My First Post!` → `my-first-post`.
fn slugify(title: &str) -> String {
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
