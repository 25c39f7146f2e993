//! The RPC parameter fuzz target (`fuzz/fuzz_targets/rpc_params.rs`) lists
//! every method of the table, so a new method's parameters are fuzzed from the
//! day it lands. The target asserts this itself, but only when it runs, and
//! the fuzz workspace is not part of `make test`: a method added without a
//! fuzz entry was found only at the next fuzzing session (shaping.status and
//! shaping.clear). This test holds the same rule in the main suite.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_rpc::methods::all;

#[test]
fn the_fuzz_table_lists_every_method() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/fuzz_targets/rpc_params.rs"
    );
    let source = std::fs::read_to_string(path).expect("fuzz target missing");
    let missing: Vec<String> = all()
        .iter()
        .map(|m| m.name.to_uppercase().replace('.', "_"))
        .filter(|constant| !source.contains(&format!("    {constant},\n")))
        .collect();
    assert!(
        missing.is_empty(),
        "add these methods to the table of {path}: {missing:?}"
    );
}
