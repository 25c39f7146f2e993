//! Prints `docs/rpc.md`, generated from the OpenRPC document.

fn main() {
    let doc = hikyaku_rpc::openrpc::document(env!("CARGO_PKG_VERSION"));
    print!("{}", hikyaku_rpc::openrpc::markdown(&doc));
}
