//! `captivate-server`: the local Captivate-compatible server on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;

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
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = captivate_server::Config {
        static_dir: Some(args.dist),
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
        Ok(bound) => println!("captivate-server listening on http://{bound}/"),
        Err(e) => eprintln!("captivate-server: {e}"),
    }
    if let Err(e) = captivate_server::serve(listener, config).await {
        eprintln!("captivate-server: {e}");
        std::process::exit(1);
    }
}
