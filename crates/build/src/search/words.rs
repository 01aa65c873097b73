//! What a word is, for the search index: the one rule the index and its browser client
//! (`client/search.js`, `words()` and `stem()`) must share, or a query would miss the pages it
//! names.
//!
//! A word is a run of letters and digits (`char::is_alphanumeric`, JavaScript's
//! `[\p{Alphabetic}\p{N}]`), with apostrophes inside it (`don't`, `owner’s`) dropped rather than
//! splitting it; it is lowercased, and words over [`MAX_WORD_CHARS`] are left out (hashes and
//! base64, never typed into a search box). English text is then stemmed with Snowball's English
//! stemmer (the same algorithm, generated from the same Snowball 3.1.1 source, runs in the
//! client), so that `speaking` finds `speaks`; other languages are indexed as written.

use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Longer words are not indexed.
pub const MAX_WORD_CHARS: usize = 48;

/// Whether `c` continues a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `c` is an apostrophe that may sit inside a word.
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Calls `found` with each word of `text`, lowercased, apostrophes removed.
pub fn for_each_word(text: &str, mut found: impl FnMut(&str)) {
    let mut word = String::new();
    let mut chars = 0;
    let mut rest = text.char_indices().peekable();
    while let Some((_, c)) = rest.next() {
        // ASCII, most of any page, skips the Unicode tables.
        let continues = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            is_word_char(c)
        };
        if continues {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
            chars += 1;
            continue;
        }
        let joins = is_apostrophe(c)
            && !word.is_empty()
            && rest.peek().is_some_and(|&(_, next)| is_word_char(next));
        if joins {
            continue;
        }
        if !word.is_empty() {
            if chars <= MAX_WORD_CHARS {
                found(&word);
            }
            word.clear();
            chars = 0;
        }
    }
    if !word.is_empty() && chars <= MAX_WORD_CHARS {
        found(&word);
    }
}

/// Words to index terms: stemmed for English, remembered per word, since a site repeats its
/// words far more often than it has them (one stemmer and cache per indexing thread).
///
/// Each term is one shared string per `Terms` (words with the same stem share it), so that a
/// page may count its terms by address.
pub struct Terms {
    stemmer: Option<Stemmer>,
    /// Word → its term.
    known: FxHashMap<Box<str>, Arc<str>>,
    /// Every term given out, once.
    terms: FxHashMap<Arc<str>, ()>,
}

impl std::fmt::Debug for Terms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terms")
            .field("stems", &self.stemmer.is_some())
            .field("known", &self.known.len())
            .finish()
    }
}

impl Terms {
    /// The terms of a site in `language` (a BCP 47 tag such as `en` or `en-GB`; empty is
    /// English, as the theme's `<html lang="en">`).
    pub fn for_language(language: &str) -> Terms {
        Terms {
            stemmer: stems(language).then(|| Stemmer::create(Algorithm::English)),
            known: FxHashMap::default(),
            terms: FxHashMap::default(),
        }
    }

    /// The index term of `word` (a word of [`for_each_word`]).
    pub fn term(&mut self, word: &str) -> Arc<str> {
        if let Some(term) = self.known.get(word) {
            return Arc::clone(term);
        }
        let stem = match &self.stemmer {
            Some(stemmer) => stemmer.stem(word),
            None => word.into(),
        };
        let term = match self.terms.get_key_value(&*stem) {
            Some((term, ())) => Arc::clone(term),
            None => {
                let term: Arc<str> = stem.into();
                self.terms.insert(Arc::clone(&term), ());
                term
            }
        };
        self.known.insert(word.into(), Arc::clone(&term));
        term
    }
}

/// Whether a site in `language` is stemmed (English only: the client ships that one stemmer).
pub fn stems(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    primary.is_empty() || primary.eq_ignore_ascii_case("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn words_are_letters_and_digits_lowercased_with_inner_apostrophes_dropped() {
        assert_eq!(
            words("Don't stop: the owner’s API-v2 (2024) 'quoted' éTé"),
            ["dont", "stop", "the", "owners", "api", "v2", "2024", "quoted", "été"]
        );
        assert_eq!(words("a''b"), ["a", "b"], "two apostrophes split");
        assert_eq!(words(&"x".repeat(MAX_WORD_CHARS + 1)), Vec::<String>::new());
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn english_is_stemmed_and_other_languages_are_not() {
        let mut en = Terms::for_language("en-GB");
        assert_eq!(&*en.term("speaking"), "speak");
        assert_eq!(&*en.term("speaks"), "speak");
        assert_eq!(&*en.term("conferences"), "confer");
        assert!(
            Arc::ptr_eq(&en.term("speaking"), &en.term("speaks")),
            "one string per term"
        );
        let mut de = Terms::for_language("de");
        assert_eq!(&*de.term("speaking"), "speaking");
        assert!(stems(""), "no language given: the theme's English");
    }
}
