//! `cargo run` serves the application; `cargo run -- users …` and
//! `cargo run -- roles …` administer it (see `app::cli`).

use clap::Parser;
use std::process::ExitCode;

#[rocket::main]
async fn main() -> ExitCode {
    let cli = app::cli::Cli::parse();
    match cli.command {
        None => match app::rocket().launch().await {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Some(command) => match app::cli::run(command, &app::figment()).await {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(line) => {
                eprintln!("error: {line}");
                ExitCode::FAILURE
            }
        },
    }
}
