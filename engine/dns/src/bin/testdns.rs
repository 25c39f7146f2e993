//! `hikyaku-testdns --listen ADDR --zone FILE`: serves a zone file (the [`hikyaku_dns::Zone`] text
//! format) over UDP and TCP so benchmarks can route mail through real DNS without the internet.

use std::net::SocketAddr;
use std::process::ExitCode;

use hikyaku_dns::{TestDns, Zone};

const USAGE: &str = "usage: hikyaku-testdns [--listen ADDR (default 127.0.0.1:5353)] --zone FILE";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hikyaku-testdns: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 5353));
    let mut zone_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => {
                let v = args.next().ok_or("--listen needs an address")?;
                listen = v.parse().map_err(|e| format!("bad --listen {v}: {e}"))?;
            }
            "--zone" => zone_file = Some(args.next().ok_or("--zone needs a file")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let path = zone_file.ok_or("--zone is required")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    let zone = Zone::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    let server = TestDns::bind(listen, zone).map_err(|e| format!("binding {listen}: {e}"))?;
    println!("hikyaku-testdns listening on {} (udp+tcp)", server.addr());
    server.wait();
    Ok(())
}
