#!/usr/bin/env python3
"""Fails when `make test`'s three cargo invocations (and `make run`'s) would compile RocksDB more
than once.

`make test` runs `cargo build --workspace --all-targets`, `cargo clippy --workspace
--all-targets` and `cargo test --workspace`. RocksDB's C++ (the librocksdb-sys build script)
takes about 30 minutes on two cores, and cargo reruns it whenever the unit differs in any way:
features, profile, or any dependency of the build script (bindgen, clang-sys, cc, and through
them syn, whose feature set is unified with every proc-macro of the workspace). A new crate that
enables one more `syn` feature only under some targets is enough to double the build.

This script asks cargo for the unit graph of each invocation (`--unit-graph`, read without
building anything) and compares the librocksdb-sys build-script run, with its whole dependency
tree, across the three. Run by `make test` before the build, so a difference costs seconds
instead of half an hour.

`--unit-graph` is an unstable flag; `__CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS=nightly`
lets the stable cargo of this machine answer it. If a future cargo refuses, the script says so
and exits 2 (never a silent pass).
"""

import json
import os
import subprocess
import sys

INVOCATIONS = {
    "build": ["build", "--workspace", "--all-targets"],
    "clippy (check)": ["check", "--workspace", "--all-targets"],
    "test": ["test", "--workspace", "--no-run"],
    "make run (build --bins)": ["build", "--workspace", "--bins"],
}
TARGET = "librocksdb-sys"


def unit_graph(args):
    env = dict(os.environ, __CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS="nightly")
    cmd = [os.environ.get("CARGO", "cargo"), *args, "--unit-graph", "-Z", "unstable-options"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(f"check-one-rocksdb-build: `{' '.join(cmd)}` failed:\n{out.stderr}")
        sys.exit(2)
    return json.loads(out.stdout)


def describe(graph, index, seen):
    """A canonical, hashable description of a unit and everything below it."""
    if index in seen:
        return seen[index]
    u = graph["units"][index]
    deps = tuple(sorted(describe(graph, d["index"], seen) for d in u["dependencies"]))
    d = (
        u["pkg_id"],
        tuple(u["target"]["kind"]),
        u["mode"],
        tuple(sorted(u["features"])),
        # The profile's name ("dev" or "test") is not part of cargo's unit hash; the rest is.
        json.dumps({k: v for k, v in u["profile"].items() if k != "name"}, sort_keys=True),
        deps,
    )
    seen[index] = d
    return d


def rocksdb_builds(graph):
    seen = {}
    return {
        describe(graph, i, seen)
        for i, u in enumerate(graph["units"])
        if f"#{TARGET}@" in u["pkg_id"] and u["mode"] == "run-custom-build"
    }


def flatten(d, out):
    out.add((d[0].split("#")[-1], d[2], d[3], d[4]))
    for c in d[5]:
        flatten(c, out)
    return out


def main():
    found = {name: rocksdb_builds(unit_graph(args)) for name, args in INVOCATIONS.items()}
    for name, builds in found.items():
        if len(builds) != 1:
            print(f"FAIL {name}: {len(builds)} {TARGET} builds in one invocation")
            return 1
    all_builds = set().union(*found.values())
    if len(all_builds) == 1:
        units = len(flatten(next(iter(all_builds)), set()))
        print(f"ok   one {TARGET} build ({units} units below it) serves " + ", ".join(found))
        return 0
    print(f"FAIL {TARGET} is built {len(all_builds)} different ways:")
    names = list(found)
    base = flatten(next(iter(found[names[0]])), set())
    for name in names[1:]:
        other = flatten(next(iter(found[name])), set())
        for u in sorted(base - other):
            print(f"  only in {names[0]}: {u}")
        for u in sorted(other - base):
            print(f"  only in {name}: {u}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
