//! The log: Rocket's output, with every credential taken out first.
//!
//! Rocket logs each request line at level `normal` — `GET /reset/<token>`,
//! `GET /api/me?auth_token=…` — so emailed-link tokens and auth tokens
//! would sit in every log file. This logger prints what Rocket's own would
//! (same levels, same `>>` indentation), after [`redact`] has replaced
//! anything that could be a credential.

use std::io::Write;
use std::sync::OnceLock;

/// Installs the logger once per process, before Rocket would install its
/// own, at the level `log_level` asks for (Rocket's levels: `off`,
/// `critical`, `normal`, `debug`).
pub fn install(figment: &rocket::figment::Figment) {
    static LOGGER: OnceLock<RedactingLogger> = OnceLock::new();
    let level = figment
        .extract_inner::<rocket::config::LogLevel>("log_level")
        .unwrap_or(if figment.profile() == "release" {
            rocket::config::LogLevel::Critical
        } else {
            rocket::config::LogLevel::Normal
        });
    let logger = LOGGER.get_or_init(|| RedactingLogger);
    // Fails harmlessly when already installed (tests build many rockets).
    let _ = log::set_logger(logger);
    log::set_max_level(level.into());
}

struct RedactingLogger;

impl log::Log for RedactingLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level() || is_launch(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let debug = log::max_level() >= log::LevelFilter::Trace;
        let from = |path: &str| record.module_path().is_some_and(|m| m.starts_with(path));
        if !debug && (from("hyper") || from("rustls") || from("r2d2")) {
            return;
        }
        // Rocket marks indented lines with a target ending in `_`.
        let indented = record.target().ends_with('_');
        let level = if is_launch(record.metadata()) {
            log::Level::Info
        } else {
            record.level()
        };
        let prefix = match level {
            _ if indented => "   >> ",
            log::Level::Error => "Error: ",
            log::Level::Warn => "Warning: ",
            _ => "",
        };
        let line = redact(&strip_ansi(&record.args().to_string()));
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{prefix}{line}");
    }

    fn flush(&self) {
        let _ = std::io::stdout().flush();
    }
}

fn is_launch(metadata: &log::Metadata<'_>) -> bool {
    metadata.target().contains("rocket::launch")
}

/// Removes terminal colour codes (Rocket paints its messages).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … final byte in @..~
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Query parameters whose value is always a secret.
const SECRET_PARAMS: [&str; 4] = ["auth_token", "token", "csrf_token", "password"];

/// Shorter runs of token characters are ids and words; ours are 43 long.
const TOKEN_MIN_LEN: usize = 32;

/// Replaces credentials in a log line: the value of a secret query
/// parameter, and any run of 32 or more base64url characters (every token
/// the starter hands out, CSRF tokens, and most foreign ones).
pub fn redact(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let secret_param = SECRET_PARAMS.iter().find(|name| {
            rest.starts_with(&format!("{name}="))
                && !out
                    .chars()
                    .last()
                    .is_some_and(|p| p.is_ascii_alphanumeric() || p == '_')
                && run.is_empty()
        });
        if let Some(name) = secret_param {
            out.push_str(name);
            out.push_str("=[redacted]");
            let value_len = rest[name.len() + 1..]
                .find(|c: char| c == '&' || c == '#' || c.is_whitespace())
                .unwrap_or(rest.len() - name.len() - 1);
            rest = &rest[name.len() + 1 + value_len..];
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            run.push(c);
        } else {
            flush_run(&mut out, &mut run);
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut String) {
    if run.len() >= TOKEN_MIN_LEN {
        out.push_str("[redacted]");
    } else {
        out.push_str(run);
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::{redact, strip_ansi};

    const TOKEN: &str = "q3Vh0xTtJmVtbF6dpYhZtQ2a1Zi-wGv_oM7YcR4bN8s";

    #[test]
    fn tokens_never_reach_the_log() {
        for line in [
            format!("GET /reset/{TOKEN} text/html:"),
            format!("GET /login/{TOKEN}"),
            format!("GET /api/me?auth_token={TOKEN} application/json:"),
            "GET /api/me?x=1&auth_token=short&y=2".to_owned(),
            format!("Matched: (confirm_email) GET /confirm/{TOKEN}"),
        ] {
            let redacted = redact(&line);
            assert!(!redacted.contains(TOKEN), "{redacted}");
            assert!(!redacted.contains("short"), "{redacted}");
            assert!(redacted.contains("[redacted]"), "{redacted}");
        }
        assert_eq!(
            redact("GET /api/me?x=1&auth_token=abc&y=2 done"),
            "GET /api/me?x=1&auth_token=[redacted]&y=2 done"
        );
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        for line in [
            "GET /sessions text/html:",
            "Matched: (sessions_page) GET /sessions",
            "Outcome: Success(200 OK)",
            "my_token=1 is a parameter of another name",
            "Rocket has launched from http://127.0.0.1:8000",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn colours_are_stripped() {
        assert_eq!(strip_ansi("\u{1b}[34mGET\u{1b}[0m /x"), "GET /x");
    }
}
