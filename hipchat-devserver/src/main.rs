//! `cargo run -p hipchat-devserver [-- --port 8080] [--config devserver.toml] [--db FILE]`:
//! serves until Ctrl-C and prints its URL and a dev token. `--db` keeps the captured
//! messages in a SQLite file across restarts (in memory otherwise).

use std::net::SocketAddr;
use std::process::ExitCode;

use hipchat_devserver::{Config, DevServer};

const USAGE: &str =
    "usage: hipchat-devserver [--port PORT] [--host ADDR] [--config FILE] [--db FILE]";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hipchat-devserver: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut port: u16 = 0;
    let mut host = String::from("127.0.0.1");
    let mut config = Config::default();
    let mut database: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--port" => port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--host" => host = value()?,
            "--config" => config = Config::from_file(value()?).map_err(|e| e.to_string())?,
            "--db" => database = Some(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .map_err(|e| format!("bad address {host}:{port}: {e}"))?;
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
        Some(path) => println!("  messages:   kept in {path}"),
        None => println!("  messages:   in memory (--db FILE keeps them)"),
    }
    println!("Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    println!("stopping");
    server.stop().await.map_err(|e| e.to_string())
}
