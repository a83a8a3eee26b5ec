use std::process::ExitCode;

use clap::Parser;
use kakehashi::{cli, config::Config};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("kakehashi: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    match cli::run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kakehashi: {err}");
            ExitCode::FAILURE
        }
    }
}
