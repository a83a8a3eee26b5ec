use std::process::ExitCode;

use clap::Parser;
use kakehashi::{cli, config::Config};

/// mimalloc instead of the system allocator: a request allocates and frees many small
/// values across worker threads, where glibc's malloc took about a quarter of the
/// service's CPU under load. Measured A/B in BENCHMARKS.md (+10% to +26% requests/s,
/// about 14 MiB more peak RSS).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
