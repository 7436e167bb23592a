//! `cargo run -p hipchat-devserver [-- --port 8080] [--config devserver.toml] [--db FILE]`:
//! serves until Ctrl-C and prints its URL and a dev token. `--db` keeps the captured
//! messages in a SQLite file across restarts (in memory otherwise).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use hipchat_devserver::{Config, DevServer};

/// A local HipChat server for development and tests: it validates, records and shows what
/// your notifier sent.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Strict mode: known tokens (with scopes) and rooms, from a TOML file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Keep captured messages in this SQLite file across restarts (in memory otherwise).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hipchat-devserver: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let config = match &args.config {
        Some(path) => Config::from_file(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let addr = SocketAddr::new(args.host, args.port);
    let database = args.db;
    let token = config
        .tokens
        .first()
        .filter(|_| config.strict)
        .map(|token| token.token.clone())
        .unwrap_or_else(|| "dev".to_owned());
    let mut builder = DevServer::builder().bind(addr).config(config);
    if let Some(path) = &database {
        builder = builder.database(path);
    }
    let server = builder
        .start()
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    println!("hipchat-devserver listening on {}", server.url());
    println!("  web page:   {}/", server.url());
    println!("  API URL:    {}   (HIPCHAT_API_URL)", server.url());
    println!("  dev token:  {token}   (HIPCHAT_AUTH_TOKEN)");
    println!("  admin API:  {}/admin/messages", server.url());
    match &database {
        Some(path) => println!("  messages:   kept in {}", path.display()),
        None => println!("  messages:   in memory (--db FILE keeps them)"),
    }
    println!("Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    println!("stopping");
    server.stop().await.map_err(|e| e.to_string())
}
