//! One module per subcommand, plus the printing they share.

pub mod build;
pub mod check;
pub mod eject;
pub mod init;
pub mod new;
pub mod progress;
pub mod schema;
pub mod serve;

use folio_diag::{render_terminal, Diagnostic, SourceLookup};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Exit code for content errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code for usage and I/O failures.
pub const EXIT_FAILURE: u8 = 2;

/// Whether to colour output on stderr/stdout.
pub fn use_color(stdout: bool) -> bool {
    std::env::var_os("NO_COLOR").is_none()
        && if stdout {
            std::io::stdout().is_terminal()
        } else {
            std::io::stderr().is_terminal()
        }
}

/// Print diagnostics for a person.
pub fn print_human(diagnostics: &[Diagnostic], sources: &dyn SourceLookup, to_stdout: bool) {
    let text = render_terminal(diagnostics, sources, use_color(to_stdout));
    if to_stdout {
        print!("{text}");
    } else {
        eprint!("{text}");
    }
}

/// Report a failure that stops the command (not a content problem): exit 2.
pub fn fail(diagnostic: Diagnostic) -> ExitCode {
    struct NoSources;
    impl SourceLookup for NoSources {
        fn source(&self, _: &str) -> Option<&str> {
            None
        }
    }
    print_human(&[diagnostic], &NoSources, false);
    ExitCode::from(EXIT_FAILURE)
}

/// `1 error` / `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
