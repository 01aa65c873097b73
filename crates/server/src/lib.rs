//! `folio serve`: the dev server.
//!
//! The site is built into memory with the same pipeline as `folio build`
//! (`folio_build::build_in_memory`) and served by axum together with `public/` from disk, over
//! [`listen`]'s connection layer (timeouts, a connection cap) with [`http`]'s semantics.
//! A watcher ([`watch`]) rebuilds on every change; the pages whose HTML changed are told to
//! reload over Server-Sent Events ([`live`]), a stylesheet-only change swaps the stylesheet in
//! place. A build with errors serves every page that renders, keeps the last good version of
//! the pages it left out, and shows its diagnostics in an overlay. All state lives in one [`ServerState`] behind an `Arc`, owned by the server.
#![warn(missing_docs)]

pub mod editor;
pub mod http;
pub mod listen;
pub mod live;
pub mod public_files;
pub mod routes;
pub mod state;
pub mod watch;

pub use editor::Editor;
pub use routes::router;
pub use state::{RebuildReport, ServerState};
pub use watch::RebuildCallback;

use folio_build::SiteBuilder;
use folio_content::site_fs::SiteRoot;
use folio_diag::Diagnostic;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// How long the watcher waits for a burst of file events to end before rebuilding. Short, so
/// that a save feels instant: an editor's save (a temporary file, then a rename) is over within
/// a millisecond, and bursts that outlast it (git, a copy) are still coalesced by the rebuild
/// thread, which waits for them to go quiet.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(10);

/// What `folio serve` serves and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The address to listen on (loopback unless asked otherwise).
    pub host: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
    /// The site's public URL, for canonical and absolute URLs (wins over `folio.toml`'s). The
    /// feeds and the sitemap use the server's own address when there is none.
    pub base_url: Option<String>,
    /// The watcher's debounce.
    pub debounce: Duration,
    /// Whether terminal reports are coloured.
    pub color: bool,
    /// Serve the visual editor (`--edit`): loopback hosts only.
    pub edit: bool,
    /// Where the builds report their progress (the CLI's bar on a terminal).
    pub progress: folio_build::ProgressSink,
}

/// Build the site, listen, watch and serve until Ctrl-C. `on_ready` gets the URL served and the
/// first build's report once the server listens; `on_rebuild` every rebuild's report.
/// `Err` when the site cannot be opened or the address cannot be bound.
pub fn run(
    options: &ServeOptions,
    on_ready: impl FnOnce(&str, &RebuildReport),
    on_rebuild: RebuildCallback,
) -> Result<(), Diagnostic> {
    SiteRoot::open(&options.site)?;
    if options.edit && !options.host.is_loopback() {
        return Err(Diagnostic::error(
            "serve/edit-not-loopback",
            format!(
                "`--edit` listens on loopback addresses only, not `{}`",
                options.host
            ),
        )
        .with_help("drop `--host`, or use `--host 127.0.0.1`"));
    }
    let address = SocketAddr::new(options.host, options.port);
    // Listen first: the server's own address is the feeds' and sitemap's base URL when the
    // site sets none.
    let listener = std::net::TcpListener::bind(address)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| {
            Diagnostic::error("serve/bind", format!("cannot listen on `{address}`: {e}"))
                .with_help("choose another port with `--port`, or stop the program that uses it")
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| Diagnostic::error("serve/bind", format!("cannot listen: {e}")))?;
    let builder = SiteBuilder::new(&options.site, options.base_url.clone())
        .with_fallback_base_url(Some(local_base_url(bound)))
        .with_images_on_request()
        .with_progress(options.progress.clone());
    let state = if options.edit {
        ServerState::with_editor(&options.site, builder, options.color, Editor::new())
    } else {
        ServerState::with_builder(&options.site, builder, options.color)
    };
    let limits = listen::Limits::for_descriptors(listen::raise_descriptor_limit());
    let first = state.rebuild();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error("serve/runtime", format!("cannot start: {e}")))?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Diagnostic::error("serve/bind", format!("cannot listen: {e}")))?;
        watch::spawn_watcher(state.clone(), options.debounce, on_rebuild)?;
        on_ready(&format!("http://{bound}/"), &first);
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        listen::serve(listener, router(state), limits, ctrl_c).await;
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

/// `http://ADDRESS:PORT` of a bound socket, with loopback for an unspecified address
/// (`0.0.0.0`), which a browser cannot open.
fn local_base_url(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, bound.port()))
}
