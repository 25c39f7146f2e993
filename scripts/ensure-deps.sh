#!/usr/bin/env bash
# Installs what building and testing hikyaku needs on a fresh Debian machine, and nothing
# that is already there. Safe to run repeatedly.
set -euo pipefail

need=()
# librocksdb-sys runs bindgen, which loads libclang at build time.
if ! ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 && ! ls /usr/lib/x86_64-linux-gnu/libclang*.so* >/dev/null 2>&1; then
  need+=(libclang-dev)
fi
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# Real SMTP clients/peers used by tests and benchmarks.
if [ "${WITH_BENCH_PEERS:-0}" = 1 ]; then
  command -v smtp-sink >/dev/null 2>&1 || need+=(postfix)
  command -v swaks >/dev/null 2>&1 || need+=(swaks)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if [[ " ${need[*]} " == *" postfix "* ]]; then
    echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  fi
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
