#!/usr/bin/env bash
# stats.graph latency over 40 days of graph counters for 1,000 domains (issue 15): runs the
# ignored test engine/core/tests/graph_bench.rs, which fills a spool's counters directly,
# starts the real daemon on it and times 30 JSON-RPC calls per graph (hdrhistogram).
# Prints one JSON line per graph: p50/p99 in ms (target p99 < 100 ms).
set -u
cd "$(dirname "$0")/.."
cargo test --workspace --test graph_bench -- --ignored --nocapture 2>/dev/null | grep '^{'
