//! `folio serve`: the dev server with live reload (all the work is in `folio_server`).

use super::{fail, plural, use_color};
use folio_server::{RebuildReport, ServeOptions, DEFAULT_DEBOUNCE};
use std::net::IpAddr;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;

/// The command's options.
pub struct Flags {
    /// Address to listen on.
    pub host: IpAddr,
    /// Port to listen on.
    pub port: u16,
    /// Open the browser.
    pub open: bool,
    /// Print stage timings after each rebuild.
    pub timings: bool,
    /// Serve the visual editor.
    pub edit: bool,
}

/// Run the command until Ctrl-C.
pub fn run(site: &Path, flags: Flags) -> ExitCode {
    let Flags {
        host,
        port,
        open,
        timings,
        edit,
    } = flags;
    if !host.is_loopback() && !edit {
        eprintln!(
            "warning: serving on `{host}`, reachable from other machines; folio serve is a \
             development server with no access control"
        );
    }
    let options = ServeOptions {
        site: site.to_path_buf(),
        host,
        port,
        base_url: None,
        debounce: DEFAULT_DEBOUNCE,
        color: use_color(false),
        edit,
        // The first build of a large site (images above all) takes a while; rebuilds rarely.
        progress: super::progress::on_terminal(),
    };
    let on_ready = |url: &str, first: &RebuildReport| {
        eprint!("{}", first.terminal);
        if first.succeeded {
            println!(
                "built {} in {} ms",
                plural(first.pages, "page"),
                first.elapsed.as_millis()
            );
        } else {
            eprintln!("the site has errors; fix them and save: the browser shows them meanwhile");
        }
        println!("serving `{}` on {url} (Ctrl-C to stop)", site.display());
        if edit {
            println!("editor on: open the page and click any text to edit it");
        }
        if open {
            open_browser(url);
        }
    };
    let on_rebuild = move |r: &RebuildReport| report(r, timings);
    match folio_server::run(&options, on_ready, Arc::new(on_rebuild)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(d),
    }
}

fn report(report: &RebuildReport, timings: bool) {
    eprint!("{}", report.terminal);
    let ms = report.elapsed.as_millis();
    if !report.succeeded {
        eprintln!("build failed in {ms} ms; still serving the last good version");
    } else if report.css_only {
        println!("rebuilt in {ms} ms: stylesheet changed");
    } else {
        println!(
            "rebuilt in {ms} ms: {}, {} rendered, {} changed",
            plural(report.pages, "page"),
            report.rendered,
            report.changed_pages.len()
        );
    }
    if timings {
        let stages: Vec<String> = report
            .timings
            .iter()
            .map(|(stage, t)| format!("{stage} {:.1}", t.as_secs_f64() * 1000.0))
            .collect();
        println!("  stages (ms): {}", stages.join(", "));
    }
}

/// Open `url` in the desktop's browser; a failure only prints a note.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = Command::new(opener)
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: could not open a browser (`{opener}`: {e}); open {url} yourself");
    }
}
