//! Rebuild when the bundled example changes: `folio init` embeds `examples/devrel`.
fn main() {
    println!("cargo:rerun-if-changed=examples/devrel");
}
