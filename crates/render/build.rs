//! Rebuild when a theme file changes: `include_dir!` embeds the folder, but cargo only
//! notices new or changed files in it when told to watch it.
fn main() {
    println!("cargo:rerun-if-changed=theme");
}
