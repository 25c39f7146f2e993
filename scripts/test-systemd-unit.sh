#!/usr/bin/env bash
# Verifies tuning/hikyakud.service with `systemd-analyze verify` where systemd is present (run by
# `make test`). verify exits 0 on unknown keys and bad values and only prints them, so any output
# fails the test; a deliberately broken copy must be reported, or the check itself is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "skip systemd unit: systemd-analyze not present"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target=${CARGO_TARGET_DIR:-target}
bin="$PWD/$target/debug/hikyakud"
[[ "$target" = /* ]] && bin="$target/debug/hikyakud"
# The unit names the installed path; verify needs an executable there, so point it at the
# binary this tree built (or at /bin/true before a build).
[ -x "$bin" ] || bin=/bin/true
sed "s#/usr/local/bin/hikyakud#$bin#" tuning/hikyakud.service >"$tmp/hikyakud.service"

verify() { systemd-analyze verify "$1" 2>&1 || echo "systemd-analyze exited $?"; }

out=$(verify "$tmp/hikyakud.service")
if [ -n "$out" ]; then
  echo "FAIL tuning/hikyakud.service:" >&2
  echo "$out" >&2
  exit 1
fi
sed 's/^Restart=on-failure/Restart=on-failure\nNoSuchKey=1/' "$tmp/hikyakud.service" >"$tmp/broken.service"
if [ -z "$(verify "$tmp/broken.service")" ]; then
  echo "FAIL the check does not see a broken unit" >&2
  exit 1
fi
echo "ok   tuning/hikyakud.service verifies ($(systemd-analyze --version | head -1))"
