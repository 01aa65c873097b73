//! `folio`: build, check, serve and edit Stackbit / Netlify Create content-model sites.
//!
//! This file is the CLI only: it parses arguments and hands each command to `cmd::*`, which
//! call the library crates and print their results.

mod cmd;

/// mimalloc rather than the system allocator: a build allocates and frees millions of small
/// values on every core, and glibc's malloc, after a large free (a one-off build drops its
/// file cache before rendering), spent a quarter of a 100,000-post build searching its bins.
/// Built without transparent huge pages (`no_thp`), which cost 40 MB of peak memory at 10,000
/// posts for no speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Build, check and edit content-model static sites, offline and fast"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format of diagnostics.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Readable, with source snippets.
    Human,
    /// One JSON object with a `diagnostics` array.
    Json,
}

/// What `folio new` creates.
#[derive(Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// A blog post (PostLayout).
    Post,
    /// A page (PageLayout).
    Page,
    /// A project (ProjectLayout).
    Project,
    /// A template for a model that has none (`templates/TYPE.html`), wired to its fields.
    Template,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem in every file; exit 1 if there are errors.
    Check {
        /// The site folder (default: the current folder).
        site: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Also render the site and check the `#anchors` of internal links against the ids
        /// of the pages they lead to.
        #[arg(long)]
        links: bool,
        /// Count warnings as errors (also `strict = true` in `folio.toml`), for CI.
        #[arg(long)]
        strict: bool,
    },
    /// Build the site into static files.
    Build {
        /// The site folder (default: the current folder).
        site: Option<PathBuf>,
        /// Output folder (default: SITE/out). Replaced only when the build succeeds.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The site's public URL (default: the `URL` environment variable, as on Netlify).
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time of each stage, the peak memory and the ten slowest templates.
        #[arg(long)]
        timings: bool,
        /// Build no search index and leave the search box out (as `search = false` in
        /// `folio.toml` does).
        #[arg(long)]
        no_search: bool,
        /// Write every page that renders even when some files have errors (those are left
        /// out and listed; the exit code is still 1).
        #[arg(long)]
        keep_going: bool,
        /// Count warnings as errors (also `strict = true` in `folio.toml`), for CI.
        #[arg(long)]
        strict: bool,
        /// Show no progress bar (it is shown only on a terminal, after about a second).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Serve the site with live reload, rebuilding on every change.
    Serve {
        /// The site folder (default: the current folder).
        site: Option<PathBuf>,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1313)]
        port: u16,
        /// Address to listen on; anything but loopback makes the site reachable from other
        /// machines.
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Print the time of each stage after every rebuild.
        #[arg(long)]
        timings: bool,
        /// Serve the visual editor: click any text to edit it, forms for every field (loopback
        /// hosts only).
        #[arg(long)]
        edit: bool,
    },
    /// Create a new site from the bundled example.
    Init {
        /// Folder to create (must be empty or absent).
        dir: PathBuf,
    },
    /// Add a new content file with valid front matter.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its title (for `template`: the model's name, such as `FaqSection`).
        title: String,
        /// The site folder (default: the current folder).
        site: Option<PathBuf>,
    },
    /// Write a JSON Schema for every page and data model (for YAML language servers).
    Schema {
        /// A site whose own models (`models/*.yaml`) are included.
        site: Option<PathBuf>,
        /// Output folder (default: print the schemas' names).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Copy the built-in templates into SITE/templates to customise them.
    EjectTheme {
        /// The site folder (default: the current folder).
        site: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let site_or_cwd = |site: Option<PathBuf>| site.unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Check {
            site,
            format,
            links,
            strict,
        } => cmd::check::run(&site_or_cwd(site), format, links, strict),
        Command::Build {
            site,
            output,
            base_url,
            timings,
            no_search,
            keep_going,
            strict,
            quiet,
        } => cmd::build::run(
            &site_or_cwd(site),
            cmd::build::Flags {
                output,
                base_url,
                timings,
                search: !no_search,
                keep_going,
                strict,
                quiet,
            },
        ),
        Command::Serve {
            site,
            port,
            host,
            open,
            timings,
            edit,
        } => cmd::serve::run(
            &site_or_cwd(site),
            cmd::serve::Flags {
                host,
                port,
                open,
                timings,
                edit,
            },
        ),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::New { kind, title, site } => cmd::new::run(kind, &title, &site_or_cwd(site)),
        Command::Schema { site, output } => cmd::schema::run(site.as_deref(), output.as_deref()),
        Command::EjectTheme { site } => cmd::eject::run(&site_or_cwd(site)),
    }
}
