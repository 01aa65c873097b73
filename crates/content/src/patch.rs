//! The resolve stage of a rebuild that changed only what some objects say (a title, a body, an
//! author's name): the previous site graph with those objects put in, instead of a graph built
//! again from every file. Whatever could change the graph's shape takes the full resolve
//! ([`crate::resolve::resolve_site`]): a file added or removed, an object that appears or goes
//! (a file with errors), a changed model, URL or date (the order of posts), a feed page (its
//! pagination), the site configuration or theme style, `folio.toml`, references to other files
//! that changed, or a file the graph had problems with. The incremental tests compare every
//! kind of rebuild with a fresh build.

use crate::config::SiteConfig;
use crate::document::FileResult;
use crate::resolve::check_reference;
use crate::site::Site;
use crate::validate::ReferenceUse;
use folio_diag::Diagnostic;
use folio_model::Registry;
use std::sync::Arc;

/// The last graph resolved, with the problems the resolver found in it (beyond each file's own):
/// what a patch starts from.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) site: Arc<Site>,
    /// Reference and URL problems found by the resolver, for the whole site.
    pub(crate) graph_diagnostics: Vec<Diagnostic>,
}

/// The graph of `previous` with the objects of `changed` (files read again, each with the
/// references it had before) put in, and the resolver's problems with it; `None` when a change
/// could alter the graph's shape. `files` is how many content files the site has now.
pub(crate) fn patch_site(
    previous: &Resolved,
    changed: &[(&FileResult, Arc<[ReferenceUse]>)],
    registry: Registry,
    config: &SiteConfig,
    files: usize,
) -> Option<(Site, Vec<Diagnostic>)> {
    let old = &previous.site;
    if *config != old.site_config || files != old.versions.len() {
        return None;
    }
    let special = |path: &str| {
        [&old.config, &old.theme_style]
            .into_iter()
            .flatten()
            .any(|o| o.path == path)
    };
    for (result, references_before) in changed {
        let new = result.object.as_ref()?;
        let before = old.objects.get(&result.path)?;
        let same_shape = new.model == before.model
            && new.file_kind == before.file_kind
            && new.date == before.date
            && new.page_url == before.page_url
            && new.str("category") == before.str("category")
            && !special(&result.path)
            && ![
                "Config",
                "ThemeStyle",
                "PostFeedLayout",
                "ProjectFeedLayout",
                crate::resolve::CATEGORY_LAYOUT,
            ]
            .iter()
            .any(|m| new.is(m))
            && same_targets(&result.references, references_before)
            && !previous
                .graph_diagnostics
                .iter()
                .any(|d| d.file.as_deref() == Some(result.path.as_str()));
        if !same_shape {
            return None;
        }
    }
    // The maps hold a key per file: copied on both cores.
    let ((sources, objects), (versions, (pages, urls))) = rayon::join(
        || rayon::join(|| old.sources.clone(), || old.objects.clone()),
        || {
            rayon::join(
                || old.versions.clone(),
                || rayon::join(|| old.pages.clone(), || old.urls.clone()),
            )
        },
    );
    let mut site = Site {
        root: old.root.clone(),
        registry,
        sources,
        objects,
        pages,
        posts: old.posts.clone(),
        projects: old.projects.clone(),
        category_posts: old.category_posts.clone(),
        config: old.config.clone(),
        theme_style: old.theme_style.clone(),
        versions,
        page_index: Arc::clone(&old.page_index),
        site_config: old.site_config.clone(),
        urls,
        skipped: Arc::clone(&old.skipped),
        stackbit: Arc::clone(&old.stackbit),
    };
    let mut diagnostics = previous.graph_diagnostics.clone();
    for (result, _) in changed {
        let object = result.object.clone()?;
        let path = &result.path;
        site.versions.insert(path.clone(), result.version);
        site.sources.insert(path.clone(), Arc::clone(&result.text));
        if let Some(&i) = site.page_index.get(path) {
            site.pages[i].object = Arc::clone(&object);
        }
        site.objects.insert(path.clone(), object);
        replace_in_path_order(&mut site.urls, path, &result.urls);
        // The same targets as before, at the positions the file has them now.
        for reference in result.references.iter() {
            check_reference(
                &site.objects,
                &site.versions,
                path,
                reference,
                &mut diagnostics,
            );
        }
    }
    Some((site, diagnostics))
}

/// Whether two files' references point at the same files with the same allowed models (their
/// positions may differ).
fn same_targets(a: &[ReferenceUse], b: &[ReferenceUse]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.target == y.target && x.models == y.models && x.field_path == y.field_path
        })
}

/// Put `items` for `path` into a list kept in path order with one entry per file that has any
/// (added, replaced, or removed when `items` is empty).
fn replace_in_path_order<T>(list: &mut Vec<(String, Arc<[T]>)>, path: &str, items: &Arc<[T]>) {
    match list.binary_search_by(|(p, _)| p.as_str().cmp(path)) {
        Ok(i) if items.is_empty() => {
            list.remove(i);
        }
        Ok(i) => list[i].1 = Arc::clone(items),
        Err(_) if items.is_empty() => {}
        Err(i) => list.insert(i, (path.to_string(), Arc::clone(items))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_stay_in_path_order_with_one_entry_per_file() {
        let mut list: Vec<(String, Arc<[u8]>)> = vec![
            ("a".into(), Arc::from([1u8].as_slice())),
            ("c".into(), Arc::from([3u8].as_slice())),
        ];
        replace_in_path_order(&mut list, "b", &Arc::from([2u8].as_slice()));
        replace_in_path_order(&mut list, "c", &Arc::from([4u8].as_slice()));
        replace_in_path_order(&mut list, "a", &Arc::from([].as_slice()));
        replace_in_path_order(&mut list, "d", &Arc::from([].as_slice()));
        let seen: Vec<_> = list.iter().map(|(p, v)| (p.as_str(), v[0])).collect();
        assert_eq!(seen, [("b", 2), ("c", 4)]);
    }
}
