//! `captivate-server`: the local Captivate-compatible server on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use captivate_server::{Config, Database};
use clap::Parser;

/// Serves the Captivate custom-channel protocol, the built widget and the demo page.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on (loopback by default: this is a local server).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Folder with the built widget and demo page (Trunk's output).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// SQLite database file for conversations, transcripts and files.
    #[arg(long, default_value = "captivate-server.db")]
    db: PathBuf,
    /// Keep everything in memory instead (gone when the server stops).
    #[arg(long, conflicts_with = "db")]
    memory: bool,
    /// Accepted API key (repeatable); without any, every non-empty key is accepted.
    #[arg(long = "api-key")]
    api_keys: Vec<String>,
    /// Milliseconds the bot waits before its first reply.
    #[arg(long, default_value_t = 250)]
    bot_delay_ms: u64,
    /// Enable the /__faults/* endpoints (tests only).
    #[arg(long)]
    faults: bool,
    /// The origin links to this server are built on (large messages, file downloads), e.g.
    /// https://chat.example.com behind a proxy [default: the address it listens on]
    #[arg(long)]
    public_url: Option<String>,
    /// An origin whose pages may use the server besides its own and loopback ones, e.g.
    /// https://shop.example.com (repeatable; `*` for any)
    #[arg(long = "allow-origin")]
    allowed_origins: Vec<String>,
    /// Days after which conversations without their own timeToLive (after their last
    /// change), uploads without ttlDays and large messages are removed; 0 keeps them
    #[arg(long, default_value_t = 30)]
    retention_days: u32,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = Config {
        static_dir: args.dist,
        database: if args.memory {
            Database::Memory
        } else {
            Database::File(args.db)
        },
        api_keys: if args.api_keys.is_empty() {
            None
        } else {
            Some(args.api_keys)
        },
        bot_delay: Duration::from_millis(args.bot_delay_ms),
        faults: args.faults,
        public_url: args.public_url,
        allowed_origins: args.allowed_origins,
        retention_days: args.retention_days,
        ..Config::default()
    };
    let state = match captivate_server::state(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("captivate-server: {e}");
            std::process::exit(1);
        }
    };
    let addr = SocketAddr::new(args.host, args.port);
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("captivate-server: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    match listener.local_addr() {
        // Tests read this line to learn the port.
        Ok(bound) => println!("captivate-server listening on http://{bound}/"),
        Err(e) => eprintln!("captivate-server: {e}"),
    }
    if let Err(e) = captivate_server::serve(listener, state).await {
        eprintln!("captivate-server: {e}");
        std::process::exit(1);
    }
}
