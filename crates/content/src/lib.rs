//! Load, parse, validate and resolve a site in the Stackbit / Netlify Create content model.
//!
//! The stages, each a function with typed input and output:
//! [`load_site`] walks and reads the files (in parallel), [`document`] parses and validates each
//! one into a [`ContentObject`], and [`resolve`] builds the immutable [`Site`] graph.
#![warn(missing_docs)]

pub use folio_syntax::{json, tree, yaml};

pub mod config;
pub mod date;
pub mod document;
pub mod edit_check;
pub mod front_matter;
pub mod links;
pub mod load;
mod patch;
pub mod resolve;
pub mod scaffold;
pub mod site;
pub mod site_fs;
pub mod source;
pub mod timings;
pub mod url;
pub mod validate;
pub mod values;

pub use config::{resolve_base_url, BaseUrlSource, SiteConfig, CONFIG_FILE};
pub use date::ContentDate;
pub use load::{load_site, load_site_cached, Changed, FileCache, LoadedSite};
pub use site::{recent_count, ContentObject, FileKind, Page, Pagination, Route, Site};
pub use source::SourceMap;

/// A hash map with a fast hasher for the site's own keys (file paths, URLs, hashes): the maps
/// of ten thousand files that every rebuild fills and reads. Not for keys an attacker chooses.
pub type FastMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A hash set with the hasher of [`FastMap`].
pub type FastSet<K> = std::collections::HashSet<K, rustc_hash::FxBuildHasher>;

/// A 64-bit hash of a value (std's SipHash): the one way folio tells versions apart (of a
/// file's bytes, of the site-wide render inputs, of a feed section). Equal fingerprints are
/// taken as equal inputs, as build tools do with content hashes.
pub fn fingerprint(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
pub use timings::StageTimes;
