#!/usr/bin/env bash
# Tests scripts/ensure-deps.sh's libclang detection without a fresh machine: each case builds
# a library directory holding only some files and asks the script (dry run) what it would
# install. Run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# case NAME FILES... -- EXPECT ("libclang-dev" or "nothing")
check() {
  local name=$1 expect=$2
  shift 2
  local dir="$tmp/$name"
  mkdir -p "$dir"
  for f in "$@"; do : >"$dir/$f"; done
  local got
  got=$(ENSURE_DEPS_DRY_RUN=1 ENSURE_DEPS_NO_COMMANDS=1 ENSURE_DEPS_LIB_DIRS="$dir" \
    bash scripts/ensure-deps.sh)
  [ -n "$got" ] || got=nothing
  if [ "$got" = "$expect" ]; then
    echo "ok   $name: $got"
  else
    echo "FAIL $name: expected $expect, got $got" >&2
    fails=$((fails + 1))
  fi
}

# The fresh Debian image: only the C++ interface library — bindgen cannot load it.
check only-libclang-cpp libclang-dev libclang-cpp.so.14
check libclang-cpp-unversioned libclang-dev libclang-cpp.so libclang-cpp.so.14
check empty libclang-dev
check static-archives-only libclang-dev libclangAST.a libclangBasic.a
# What libclang-dev / libclang1 install, each alone enough for clang-sys.
check libclang-so nothing libclang.so
check libclang-so-1 nothing libclang.so.1
check libclang-14-so nothing libclang-14.so
check libclang-14-so-1 nothing libclang-14.so.1 libclang-cpp.so.14
check libclang-full-version nothing libclang-14.0.6.so

# Two directories: the library is found in the second.
mkdir -p "$tmp/a" "$tmp/b"
: >"$tmp/a/libclang-cpp.so.14"
: >"$tmp/b/libclang.so.1"
got=$(ENSURE_DEPS_DRY_RUN=1 ENSURE_DEPS_NO_COMMANDS=1 ENSURE_DEPS_LIB_DIRS="$tmp/a $tmp/b" \
  bash scripts/ensure-deps.sh)
if [ -z "$got" ]; then echo "ok   two-dirs: nothing"; else
  echo "FAIL two-dirs: got $got" >&2
  fails=$((fails + 1))
fi

# Python modules: a python3 without dkimpy, PyNaCl, prometheus-client, standardwebhooks and pyotp asks for them from
# PyPI; one with them asks nothing.
printf '#!/bin/sh\nexit 1\n' >"$tmp/py-without"
printf '#!/bin/sh\nexit 0\n' >"$tmp/py-with"
chmod +x "$tmp/py-without" "$tmp/py-with"
for case in without:pip:dkimpy,pip:pynacl,pip:prometheus-client,pip:standardwebhooks,pip:pyotp with:; do
  stub=${case%%:*} expect=${case#*:}
  got=$(ENSURE_DEPS_DRY_RUN=1 ENSURE_DEPS_PYTHON="$tmp/py-$stub" ENSURE_DEPS_LIB_DIRS="$tmp/b" \
    bash scripts/ensure-deps.sh | grep '^pip:' | paste -sd, - || true)
  if [ "$got" = "$expect" ]; then echo "ok   python-$stub: ${got:-nothing}"; else
    echo "FAIL python-$stub: expected '$expect', got '$got'" >&2
    fails=$((fails + 1))
  fi
done

# The command checks run too (without installing): the output is a list of package names.
got=$(ENSURE_DEPS_DRY_RUN=1 bash scripts/ensure-deps.sh)
for p in $got; do
  case $p in libclang-dev | g++ | make | python3 | openssl | swaks | curl | msmtp | perl | libio-socket-ssl-perl | libauthen-sasl-perl | chromium | postfix | pip:dkimpy | pip:pynacl | pip:prometheus-client | pip:standardwebhooks | pip:pyotp) ;;
  *) echo "FAIL unexpected package $p" >&2; fails=$((fails + 1)) ;;
  esac
done
echo "ok   this machine would install: ${got:-nothing}"

[ "$fails" -eq 0 ] || { echo "$fails case(s) failed" >&2; exit 1; }
