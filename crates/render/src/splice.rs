//! Large fragments kept out of the template engine until the page is done. A feed of ten
//! thousand cards is 15 MB of HTML; returned as a value, it would be copied into each enclosing
//! macro's output and then into the page's. Instead [`Splices::hold`] keeps the fragment and
//! returns a short marker, and [`Splices::expand`] puts every fragment in place in one pass
//! over the finished page.
//!
//! Markers are `U+FDD0 <nonce> : <id> U+FDD0`: U+FDD0 is a Unicode noncharacter, which text
//! does not contain, and the nonce is chosen per build, so no content can forge one. A marker
//! that reaches a filter rather than the output (`feed_cards(…) | upper`) would be mangled:
//! the template API documents that `feed_cards` is output as it is.

use minijinja::Value;
use std::sync::Mutex;

/// Fragments smaller than this stay inline (copying them costs less than the bookkeeping).
const MIN_LEN: usize = 64 * 1024;

const MARK: char = '\u{FDD0}';

/// The fragments held during one build (shared by every page and thread of it).
pub(crate) struct Splices {
    nonce: u64,
    held: Mutex<Vec<Value>>,
}

impl Splices {
    /// An empty store whose markers carry `nonce`.
    pub(crate) fn new(nonce: u64) -> Self {
        Splices {
            nonce,
            held: Mutex::new(Vec::new()),
        }
    }

    /// `html` (trusted markup) as a value to output: a marker when it is large.
    pub(crate) fn hold(&self, html: String) -> Value {
        if html.len() < MIN_LEN {
            return Value::from_safe_string(html);
        }
        let mut held = match self.held.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        held.push(Value::from_safe_string(html));
        let id = held.len() - 1;
        Value::from_safe_string(format!("{MARK}{:x}:{id}{MARK}", self.nonce))
    }

    /// `html` with every marker of this store replaced by its fragment (markers inside
    /// fragments too). Text without markers is returned as it is, without a copy.
    pub(crate) fn expand(&self, html: String) -> String {
        if !html.contains(MARK) {
            return html;
        }
        let held = match self.held.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut out = String::with_capacity(html.len());
        self.expand_into(&html, &held, &mut out, 0);
        out
    }

    fn expand_into(&self, text: &str, held: &[Value], out: &mut String, depth: usize) {
        let mut rest = text;
        while let Some(start) = rest.find(MARK) {
            out.push_str(&rest[..start]);
            let after = &rest[start + MARK.len_utf8()..];
            let fragment = after.find(MARK).and_then(|end| {
                let (nonce, id) = after[..end].split_once(':')?;
                let ours = u64::from_str_radix(nonce, 16).ok() == Some(self.nonce);
                let value = held.get(id.parse::<usize>().ok()?).filter(|_| ours)?;
                Some((value.as_str().unwrap_or_default(), end))
            });
            match fragment {
                // Fragments hold no markers of their own unless a feed shows feeds; the depth
                // bound keeps a (impossible) cycle finite.
                Some((fragment, end)) if depth < 8 => {
                    self.expand_into(fragment, held, out, depth + 1);
                    rest = &after[end + MARK.len_utf8()..];
                }
                _ => {
                    out.push(MARK);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_fragments_stay_inline() {
        let splices = Splices::new(7);
        let v = splices.hold("<p>a</p>".into());
        assert_eq!(v.as_str(), Some("<p>a</p>"));
    }

    #[test]
    fn large_fragments_come_back_in_place() {
        let splices = Splices::new(0xabc);
        let big = "x".repeat(MIN_LEN + 1);
        let marker = splices.hold(big.clone());
        let marker = marker.as_str().unwrap_or_default().to_string();
        assert!(marker.len() < 32);
        let page = format!("<main>{marker}</main><footer>{marker}</footer>");
        let expanded = splices.expand(page);
        assert_eq!(
            expanded,
            format!("<main>{big}</main><footer>{big}</footer>")
        );
    }

    #[test]
    fn foreign_or_broken_markers_are_left_as_text() {
        let splices = Splices::new(1);
        let text = format!("a{MARK}2:0{MARK}b{MARK}zz");
        assert_eq!(splices.expand(text.clone()), text);
    }
}
