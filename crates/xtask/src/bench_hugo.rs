//! Hugo on the same posts, for `cargo xtask bench`'s side-by-side figures: the generated
//! site's posts (their titles, dates, excerpts and Markdown bodies) as a Hugo site with
//! plain layouts (a page per post, a paged list, the home page), built with Hugo's defaults
//! (which also write an RSS feed per list and a sitemap, as folio does). Skipped with a note
//! when `hugo` is not installed (`apt-get install hugo`).

use crate::bench_serve::write;
use crate::bench_site::post_path;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The layouts: what a minimal theme renders for each page.
const LAYOUTS: [(&str, &str); 4] = [
    (
        "layouts/_default/baseof.html",
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} | \
         {{ site.Title }}</title><meta name=\"description\" content=\"{{ .Summary | plainify | \
         truncate 160 }}\"><link rel=\"stylesheet\" href=\"/site.css\"></head><body><header>\
         <a href=\"/\">{{ site.Title }}</a> <a href=\"/posts/\">Blog</a></header><main>{{ block \
         \"main\" . }}{{ end }}</main><footer>© {{ now.Year }}</footer></body></html>\n",
    ),
    (
        "layouts/_default/single.html",
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"January 2, \
         2006\" }}</time>{{ .Content }}</article>{{ end }}\n",
    ),
    (
        "layouts/_default/list.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}<article>\
         <h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p>{{ .Params.excerpt }}</p>\
         </article>{{ end }}{{ template \"_internal/pagination.html\" . }}{{ end }}\n",
    ),
    (
        "layouts/index.html",
        "{{ define \"main\" }}{{ range first 10 (where site.RegularPages \"Section\" \"posts\") \
         }}<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2></article>{{ end \
         }}{{ end }}\n",
    ),
];

/// Whether `hugo` runs here, with its version line.
pub(crate) fn hugo_version() -> Option<String> {
    let output = Command::new("hugo").arg("version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// `target/bench/hugo-N`: the posts of the folio site `site` as a Hugo site (written again
/// every run: a few seconds, and never stale).
pub(crate) fn hugo_site(root: &Path, site: &Path, posts: usize) -> Result<PathBuf, String> {
    let dir = root.join(format!("target/bench/hugo-{posts}"));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir.join("hugo.toml"),
        // Hugo pages lists by 10 by default, as the generated site's blog does.
        "baseURL = 'https://example.org/'\ntitle = 'DevRel'\n",
    )?;
    for (path, text) in LAYOUTS {
        write(&dir.join(path), text)?;
    }
    write(
        &dir.join("content/posts/_index.md"),
        "---\ntitle: Blog\n---\n",
    )?;
    for i in 0..posts {
        let from = post_path(site, i);
        let text =
            std::fs::read_to_string(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        write(
            &dir.join(format!("content/posts/post-{i:06}.md")),
            &as_hugo_post(&text),
        )?;
    }
    Ok(dir)
}

/// A generated post with only the front matter Hugo's layouts read: title, date, excerpt.
fn as_hugo_post(text: &str) -> String {
    let rest = text.strip_prefix("---\n").unwrap_or(text);
    let (front, body) = rest.split_once("\n---\n").unwrap_or(("", rest));
    let mut kept = String::new();
    let mut lines = front.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("title:") || line.starts_with("date:") {
            kept.push_str(line);
            kept.push('\n');
        } else if line.starts_with("excerpt:") {
            // A folded block: its indented lines follow.
            kept.push_str(line);
            kept.push('\n');
            while let Some(next) = lines.next_if(|l| l.starts_with(' ')) {
                kept.push_str(next);
                kept.push('\n');
            }
        }
    }
    format!("---\n{kept}---\n{body}")
}

/// One cold `hugo` build of `site` into `out`: wall ms.
pub(crate) fn hugo_build(site: &Path, out: &Path) -> Result<f64, String> {
    let started = Instant::now();
    let output = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(site)
        .arg("--destination")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("hugo: {e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(format!(
            "hugo failed: {}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_keeps_its_title_date_excerpt_and_body() {
        let text = "---\ntype: PostLayout\ntitle: Hello\ndate: '2020-01-02'\nexcerpt: >-\n  \
                    Short\n  text\nmedia:\n  url: /a.jpg\n---\n\nBody *here*.\n";
        assert_eq!(
            as_hugo_post(text),
            "---\ntitle: Hello\ndate: '2020-01-02'\nexcerpt: >-\n  Short\n  text\n---\n\nBody \
             *here*.\n"
        );
    }
}
