# The two commands of the README:
#   make run    build and start hikyakud on the embedded default (sandbox, ./data, 127.0.0.1:2525)
#   make test   build everything and run the whole test suite (lint included)
# Both install missing system packages first (scripts/ensure-deps.sh).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: deps run build test lint fmt bench-intake test-scripts check-build-graph

deps:
	@bash scripts/ensure-deps.sh

# Binaries are built for the whole workspace at once: `cargo build -p <one crate>` unifies
# features differently and would compile RocksDB a second time (~25 minutes on two cores).
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)

run: deps
	$(CARGO) build --workspace --bins
	$(TARGET_DIR)/debug/hikyakud

build: deps
	$(CARGO) build --workspace --all-targets

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test: check-build-graph build lint test-scripts
	$(CARGO) test --workspace

# Fails in seconds, before anything is built, if build, clippy and test would compile RocksDB
# more than once (scripts/check-one-rocksdb-build.py says why that happens).
check-build-graph: deps
	python3 scripts/check-one-rocksdb-build.py

# The install logic itself, tested without a fresh machine (scripts/test-ensure-deps.sh), and the
# systemd unit (where systemd-analyze exists).
test-scripts:
	bash scripts/test-ensure-deps.sh
	bash scripts/test-systemd-unit.sh

fmt:
	$(CARGO) fmt --all

bench-intake: deps
	WITH_BENCH_PEERS=1 bash scripts/ensure-deps.sh
	$(CARGO) build --workspace --bins
	bash bench/intake-compare.sh
