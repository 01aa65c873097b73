//! `cargo xtask bench-http [--seconds N]`: requests per second of `folio serve` next to nginx
//! serving the same site built by `folio build`, measured in one run with `wrk`.
//!
//! Both serve `examples/devrel`: its home page (HTML, which folio serves from memory with the
//! live-reload script added), a post, and a small file of `public/`, each with keep-alive and
//! with a new connection per request (`Connection: close`). nginx runs with one worker per core
//! and no access log. Prints each figure and folio's share of nginx's. Needs `nginx` and `wrk`
//! (Debian packages); a benchmark, not a test: figures are printed, never asserted.

use crate::bench_serve::{build_folio, workspace, Server};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Duration;

/// Run the benchmark.
pub fn run(args: &[String]) -> ExitCode {
    let seconds = match args {
        [] => 5,
        [flag, n] if flag == "--seconds" => match n.parse() {
            Ok(n) if n > 0 => n,
            _ => return usage(),
        },
        _ => return usage(),
    };
    match bench(seconds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-http: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask bench-http [--seconds N]");
    ExitCode::from(2)
}

/// The paths asked for: a page, a post, a file of `public/`.
const PATHS: [&str; 3] = ["/", "/blog/devrel-speaking-balance/", "/robots.txt"];

/// An nginx on a folder, stopped on drop.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Nginx {
    fn start(root: &Path, scratch: &Path, port: u16) -> Result<Nginx, String> {
        let config = scratch.join("nginx.conf");
        let text = format!(
            "worker_processes auto;\ndaemon off;\nerror_log {scratch}/error.log;\n\
             pid {scratch}/nginx.pid;\nevents {{ worker_connections 4096; }}\n\
             http {{ access_log off; include /etc/nginx/mime.types;\n\
             client_body_temp_path {scratch}; proxy_temp_path {scratch};\n\
             fastcgi_temp_path {scratch}; uwsgi_temp_path {scratch}; scgi_temp_path {scratch};\n\
             server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n",
            scratch = scratch.display(),
            root = root.display(),
        );
        std::fs::write(&config, text).map_err(|e| format!("{}: {e}", config.display()))?;
        let child = Command::new("nginx")
            .arg("-c")
            .arg(&config)
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("nginx (apt-get install nginx-light): {e}"))?;
        std::thread::sleep(Duration::from_millis(500));
        Ok(Nginx(child))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// `wrk`'s requests per second for `url`.
fn wrk(url: &str, seconds: u32, keep_alive: bool) -> Result<f64, String> {
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency"]);
    if !keep_alive {
        command.args(["-H", "Connection: close"]);
    }
    let out = command
        .arg(url)
        .output()
        .map_err(|e| format!("wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no figure from wrk for {url}:\n{text}"))
}

fn bench(seconds: u32) -> Result<(), String> {
    let root = workspace();
    let folio = build_folio(&root)?;
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = root.join("examples/devrel");
    let built = scratch.path().join("out");
    let status = Command::new(&folio)
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(&built)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("folio build failed".into());
    }
    let port = free_port()?;
    let _nginx = Nginx::start(&built, scratch.path(), port)?;
    let server = Server::start(&folio, &site)?;
    println!("requests per second, wrk -t2 -c32 -d{seconds}s, one machine, one run\n");
    println!("| path | connection | folio serve | nginx | folio / nginx |");
    println!("|---|---|---|---|---|");
    for path in PATHS {
        for keep_alive in [true, false] {
            let folio = wrk(
                &format!("http://{}{path}", server.address),
                seconds,
                keep_alive,
            )?;
            let nginx = wrk(
                &format!("http://127.0.0.1:{port}{path}"),
                seconds,
                keep_alive,
            )?;
            println!(
                "| `{path}` | {} | {folio:.0} | {nginx:.0} | {:.2} |",
                if keep_alive { "keep-alive" } else { "close" },
                folio / nginx
            );
        }
    }
    Ok(())
}
