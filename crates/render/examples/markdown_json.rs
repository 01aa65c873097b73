//! Renders Markdown documents as folio's pages do, for comparisons with other renderers:
//! reads a JSON array of `{"id", "source"}` on stdin and prints `[{"id", "html"}]`.
//!
//! `cargo run -q -p folio-render --example markdown_json < bodies.json`

use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let documents: Vec<serde_json::Value> = serde_json::from_str(&input)?;
    let rendered: Vec<serde_json::Value> = documents
        .iter()
        .map(|d| {
            let source = d["source"].as_str().unwrap_or_default();
            serde_json::json!({ "id": d["id"], "html": folio_render::render_markdown(source) })
        })
        .collect();
    println!("{}", serde_json::to_string(&rendered)?);
    Ok(())
}
