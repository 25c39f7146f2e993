#!/usr/bin/env bash
# Installs what building and testing hikyaku needs on a fresh Debian machine, and nothing
# that is already there. Safe to run repeatedly.
#
# Environment (all optional; the defaults are what a real run wants):
#   ENSURE_DEPS_DRY_RUN=1   print the packages that would be installed, one per line, and exit
#   ENSURE_DEPS_LIB_DIRS    space-separated directories searched for libclang instead of the
#                           system's (tests point it at a directory they built)
#   ENSURE_DEPS_NO_COMMANDS=1  skip the command checks (g++, python3, ...), only libclang
#   WITH_BENCH_PEERS=1      also the benchmark peers (Postfix, swaks)
#   ENSURE_DEPS_PYTHON      the Python whose modules are checked (default python3; tests
#                           point it at a stub)
set -euo pipefail

# librocksdb-sys runs bindgen, which loads libclang through clang-sys. clang-sys accepts
# `libclang.so`, `libclang.so.<N…>`, `libclang-<N…>.so` and `libclang-<N…>.so.<…>` and skips
# everything else — in particular `libclang-cpp.so.<N>` (the C++ interface, shipped by the
# `libclang-cpp14` package that Debian images often carry), which bindgen cannot use. So a
# machine with only libclang-cpp must still get `libclang-dev`.
libclang_name_ok() {
  [[ "$1" =~ ^libclang(-[0-9][0-9.]*)?\.so(\.[0-9][0-9.]*)?$ ]]
}

libclang_dirs() {
  if [ -n "${ENSURE_DEPS_LIB_DIRS:-}" ]; then
    echo "$ENSURE_DEPS_LIB_DIRS"
    return
  fi
  # The places clang-sys looks: LIBCLANG_PATH, llvm-config's libdir, then the usual ones.
  local dirs="${LIBCLANG_PATH:-}"
  if command -v llvm-config >/dev/null 2>&1; then
    dirs="$dirs $(llvm-config --libdir 2>/dev/null || true)"
  fi
  dirs="$dirs $(echo /usr/lib/llvm-*/lib) /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu"
  dirs="$dirs /usr/lib64 /usr/lib /usr/local/lib /usr/local/lib64"
  echo "$dirs"
}

have_libclang() {
  local dir f
  for dir in $(libclang_dirs); do
    [ -d "$dir" ] || continue
    for f in "$dir"/libclang*.so*; do
      [ -e "$f" ] || continue
      if libclang_name_ok "$(basename "$f")"; then
        return 0
      fi
    done
  done
  return 1
}

need=()
have_libclang || need+=(libclang-dev)
if [ "${ENSURE_DEPS_NO_COMMANDS:-0}" != 1 ]; then
  # The C++ compiler builds RocksDB; python3 (smtplib) and openssl are the independent peers
  # the end-to-end tests drive; swaks is the SMTP client the README shows.
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v make >/dev/null 2>&1 || need+=(make)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v swaks >/dev/null 2>&1 || need+=(swaks)
  # More independent SMTP clients for tests/client_interop.rs: curl's, msmtp, and Perl's
  # Net::SMTP (core libnet), which needs IO::Socket::SSL for STARTTLS and Authen::SASL for AUTH.
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v msmtp >/dev/null 2>&1 || need+=(msmtp)
  perl -MNet::SMTP -e1 >/dev/null 2>&1 || need+=(perl)
  perl -MIO::Socket::SSL -e1 >/dev/null 2>&1 || need+=(libio-socket-ssl-perl)
  perl -MAuthen::SASL -e1 >/dev/null 2>&1 || need+=(libauthen-sasl-perl)
  # Headless Chromium drives the web console in tests/console.rs (a real browser, not our
  # own HTTP client); Debian names the package and the command `chromium`.
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  if [ "${WITH_BENCH_PEERS:-0}" = 1 ]; then
    command -v smtp-sink >/dev/null 2>&1 || need+=(postfix)
  fi
fi

# Python modules of independent implementations the tests verify against, from PyPI:
# dkimpy (DKIM signatures made by the engine), with PyNaCl for its Ed25519 (RFC 8463) support;
# prometheus-client, whose text parser reads the engine's /metrics; standardwebhooks, the
# independent verifier of the event webhooks' signatures; pyotp, which makes the one-time
# codes of the two-factor tests from the engine's otpauth:// URI.
PY=${ENSURE_DEPS_PYTHON:-python3}
py_need=()
if [ "${ENSURE_DEPS_NO_COMMANDS:-0}" != 1 ]; then
  "$PY" -c 'import dkim' >/dev/null 2>&1 || py_need+=(dkimpy)
  "$PY" -c 'import nacl.signing' >/dev/null 2>&1 || py_need+=(pynacl)
  "$PY" -c 'import prometheus_client.parser' >/dev/null 2>&1 || py_need+=(prometheus-client)
  "$PY" -c 'import standardwebhooks' >/dev/null 2>&1 || py_need+=(standardwebhooks)
  "$PY" -c 'import pyotp' >/dev/null 2>&1 || py_need+=(pyotp)
fi

if [ "${ENSURE_DEPS_DRY_RUN:-0}" = 1 ]; then
  for p in "${need[@]}"; do echo "$p"; done
  for p in "${py_need[@]}"; do echo "pip:$p"; done
  exit 0
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if [[ " ${need[*]} " == *" postfix "* ]]; then
    echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  fi
  # A failed index update (offline mirror) is not fatal by itself: the install says what is
  # missing if the cached index cannot serve it.
  $SUDO apt-get update -qq || echo "ensure-deps: apt-get update failed, trying the cached index" >&2
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  if [[ " ${need[*]} " == *" libclang-dev "* ]] && ! have_libclang; then
    echo "ensure-deps: libclang-dev installed but no libclang.so found for bindgen" >&2
    exit 1
  fi
fi

if [ ${#py_need[@]} -gt 0 ]; then
  echo "ensure-deps: installing Python modules ${py_need[*]}" >&2
  # pyenv or a virtualenv takes a plain pip install; Debian's own python3 refuses it
  # (externally managed), where the packaged module is the way (python3-dkim, python3-nacl,
  # python3-prometheus-client).
  if ! "$PY" -m pip install -q "${py_need[@]}" 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-dkim python3-nacl \
      python3-prometheus-client python3-pyotp >/dev/null
    # Debian packages no standardwebhooks: install it for the user past the external
    # management marker (it is pure Python and only the tests import it).
    "$PY" -c 'import standardwebhooks' >/dev/null 2>&1 ||
      "$PY" -m pip install -q --user --break-system-packages standardwebhooks
  fi
  "$PY" -c 'import dkim, nacl.signing, prometheus_client.parser, standardwebhooks, pyotp' || {
    echo "ensure-deps: dkimpy, PyNaCl, prometheus-client, standardwebhooks or pyotp still missing" >&2
    exit 1
  }
fi
