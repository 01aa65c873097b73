//! What the server adds to the HTML it serves: the live-reload script (a real file,
//! `assets/live.js`) and, while the latest build has errors, the overlay with its diagnostics.
//! Only served responses are changed; `folio build` output never contains either.

/// The live-reload client, served at [`SCRIPT_PATH`].
pub const LIVE_JS: &str = include_str!("../assets/live.js");

/// Where the live-reload client is served.
pub const SCRIPT_PATH: &str = "/__folio/live.js";

/// The Server-Sent Events endpoint.
pub const EVENTS_PATH: &str = "/__folio/events";

/// The overlay's element id (the client removes it on `ok`).
pub const OVERLAY_ID: &str = "__folio_overlay";

const OVERLAY_CSS: &str = "#__folio_overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.88);color:#eee;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem}\
#__folio_overlay .folio-box{max-width:960px;margin:0 auto;background:#1d1f21;border-top:4px solid #e5484d;padding:1.5rem;border-radius:4px}\
#__folio_overlay .folio-title{font-size:16px;margin:0 0 1rem;color:#fff}\
#__folio_overlay .folio-diagnostic{margin:1.25rem 0;border-top:1px solid #333;padding-top:1rem}\
#__folio_overlay h2{font-size:15px;margin:0;font-weight:600;color:#fff}\
#__folio_overlay .folio-error .folio-severity{color:#ff6369}#__folio_overlay .folio-warning .folio-severity{color:#f1a10d}\
#__folio_overlay .folio-location{color:#7cb7ff;margin:.25rem 0}\
#__folio_overlay pre{background:#111;padding:.75rem;overflow:auto;margin:.5rem 0;white-space:pre}\
#__folio_overlay mark{background:none;color:#ff6369;text-decoration:underline wavy}\
#__folio_overlay .folio-line-number{color:#777}#__folio_overlay .folio-label{color:#ff9592;margin:.25rem 0}\
#__folio_overlay .folio-help{color:#9fe0a7;margin:.25rem 0}\
#__folio_overlay button{float:right;background:none;border:1px solid #555;color:#ccc;cursor:pointer;font:inherit;padding:0 .5rem}";

/// The overlay element around diagnostics already rendered as HTML (`folio_diag::render_html`).
pub fn overlay_html(diagnostics_html: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alertdialog\" aria-label=\"folio build errors\">\
         <style>{OVERLAY_CSS}</style><div class=\"folio-box\">\
         <button type=\"button\" onclick=\"this.closest('#{OVERLAY_ID}').remove()\">close</button>\
         <p class=\"folio-title\">folio found problems. Pages with errors show their last good \
         version; the rest are up to date. Fix these and save: the page updates by itself.</p>{diagnostics_html}</div></div>"
    )
}

/// Add the live-reload script (and the overlay, if any) to an HTML document, before its last
/// `</body>` (or at the end). `page` is the URL of the page, which the script compares with the
/// URLs of a `reload` message; a `not_found` document also reloads when `/404.html` changes.
pub fn inject(html: &[u8], page: &str, overlay: Option<&str>, not_found: bool) -> Vec<u8> {
    let page = folio_diag::escape_html(page);
    let flag = if not_found { " data-not-found" } else { "" };
    let mut addition =
        format!("<script src=\"{SCRIPT_PATH}\" data-page=\"{page}\"{flag} defer></script>");
    if let Some(overlay) = overlay {
        addition.push_str(overlay);
    }
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let out = inject(b"<html><body><p>x</p></body></html>", "/a/", None, false);
        let out = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__folio/live.js\" data-page=\"/a/\" defer></script></body></html>"
        );
    }

    #[test]
    fn documents_without_a_body_tag_get_the_script_at_the_end() {
        let out = inject(b"<p>x", "/b/", Some("<div id=\"o\"></div>"), false);
        let out = String::from_utf8(out).expect("utf-8");
        assert!(
            out.ends_with("defer></script><div id=\"o\"></div>"),
            "{out}"
        );
    }
}
