#!/usr/bin/env bash
# toolchain.sh -- Swift for the entra-invite Swift package on a Debian 12 host.
#
# Debian 12 ships no Swift; Debian 13 ("trixie") does (package swiftlang: swiftc, SwiftPM,
# XCTest, Foundation). Its binaries need trixie's glibc, so instead of touching the host we
# unpack the package closure into a private directory tree ("the root") and run every Swift
# command chrooted into it, inside a throw-away mount namespace that sees only the host
# directories we bind in (at the same paths), plus the host's CA bundle (read-only). Nothing
# is installed on the host and nothing stays mounted after a command ends.
#
# Usage (as root; needs apt-get, dpkg-deb, tar, unshare from util-linux >= 2.36, flock):
#   toolchain.sh setup                       download + unpack once (cached, locked); prints the root
#   toolchain.sh run [-b DIR]... -- CMD...   run CMD in the root; the current directory and each
#                                            -b DIR are visible at their host paths
#   toolchain.sh version                     swiftc --version from the root
#
# Environment:
#   ENTRA_INVITE_CACHE   cache base (default ~/.cache/entra-invite); the root lives in
#                        $ENTRA_INVITE_CACHE/swift/<recipe>/root
#   SWIFT_DEBIAN_MIRROR  Debian mirror (default: the host's own, from /etc/apt)
#   SWIFT_DEBIAN_SUITE   suite to take swiftlang from (default trixie)
set -euo pipefail

CACHE_BASE="${ENTRA_INVITE_CACHE:-${HOME:-/root}/.cache/entra-invite}"
SUITE="${SWIFT_DEBIAN_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# libc6-dev is only recommended by gcc, but linking needs its crt files and libc.so.
PACKAGES="swiftlang libswiftlang libc6-dev"
# Parts of the toolchain a test run never uses (debugger, language server, docs): ~0.8 GB.
SKIP="lldb* liblldb* clangd sourcekit-lsp libsourcekitdInProc.so docc swift-format repl_swift swift_static"
RECIPE_TEXT="r1 $SUITE $PACKAGES skip=$SKIP"
RECIPE=$(printf '%s' "$RECIPE_TEXT" | sha256sum | cut -c1-12)
HOME_DIR="$CACHE_BASE/swift/$RECIPE"
ROOT="$HOME_DIR/root"
READY="$ROOT/.entra-invite-ready"
INNER_PATH=/usr/libexec/swift/bin:/usr/bin:/usr/sbin:/bin

say() { echo "toolchain.sh: $*" >&2; }
fail() { echo "toolchain.sh: error: $*" >&2; exit 1; }

mirror() {
  if [ -n "${SWIFT_DEBIAN_MIRROR:-}" ]; then echo "$SWIFT_DEBIAN_MIRROR"; return; fi
  local m=""
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    m=$(awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

preflight() {
  [ "$(id -u)" = 0 ] || fail "needs root (chroot inside a private mount namespace)"
  local c
  for c in apt-get dpkg-deb tar unshare flock sha256sum; do
    command -v "$c" >/dev/null || fail "'$c' is not installed"
  done
  unshare --help 2>&1 | grep -q -- '--root' || fail "unshare has no --root option (util-linux >= 2.36 needed)"
  [ -r "$KEYRING" ] || fail "$KEYRING missing (apt-get install debian-archive-keyring)"
}

ready() { [ -f "$READY" ]; }

setup() {
  preflight
  mkdir -p "$HOME_DIR"
  exec 8>"$HOME_DIR/lock"
  flock 8
  if ready; then echo "$ROOT"; return; fi
  local start=$SECONDS work="$HOME_DIR/work" staging="$HOME_DIR/staging"
  rm -rf "$work" "$staging" "$ROOT"
  mkdir -p "$work/etc/apt.conf.d" "$work/etc/preferences.d" "$work/etc/sources.list.d" \
    "$work/state/lists/partial" "$work/cache/archives/partial" "$staging"
  : >"$work/state/status"
  echo "deb [signed-by=$KEYRING] $(mirror) $SUITE main" >"$work/etc/sources.list"
  # A private apt configuration: apt never reads the host's /etc/apt or its dpkg database,
  # and with an empty status file it resolves the complete closure (trixie's libc included).
  cat >"$work/apt.conf" <<CONF
Dir::Etc "$work/etc";
Dir::Etc::sourcelist "$work/etc/sources.list";
Dir::Etc::sourceparts "$work/etc/sources.list.d";
Dir::Etc::parts "$work/etc/apt.conf.d";
Dir::Etc::preferencesparts "$work/etc/preferences.d";
Dir::State "$work/state";
Dir::State::lists "$work/state/lists";
Dir::State::status "$work/state/status";
Dir::Cache "$work/cache";
APT::Architecture "$(dpkg --print-architecture)";
APT::Install-Recommends "false";
APT::Sandbox::User "root";
CONF
  say "fetching Swift from Debian $SUITE ($(mirror)) into $ROOT"
  if ! APT_CONFIG="$work/apt.conf" apt-get -q update >"$work/log" 2>&1; then
    cat "$work/log" >&2; fail "apt-get update for $SUITE failed"
  fi
  # shellcheck disable=SC2086
  if ! APT_CONFIG="$work/apt.conf" apt-get -q -y --download-only install $PACKAGES >>"$work/log" 2>&1; then
    cat "$work/log" >&2; fail "downloading $PACKAGES failed"
  fi
  local n
  n=$(find "$work/cache/archives" -maxdepth 1 -name '*.deb' | wc -l)
  [ "$n" -gt 0 ] || fail "nothing was downloaded"
  say "$n packages downloaded in $((SECONDS - start)) s; unpacking"
  local excludes=() s
  for s in $SKIP; do
    excludes+=("--exclude=./usr/libexec/swift/bin/$s" "--exclude=./usr/libexec/swift/lib/$s" "--exclude=./usr/libexec/swift/share/$s")
  done
  # Biggest packages first, as many at once as there are cores.
  export STAGING="$staging"
  find "$work/cache/archives" -maxdepth 1 -name '*.deb' -printf '%s %p\n' | sort -rn | cut -d' ' -f2- |
    xargs -d '\n' -P "$(nproc)" -I{} bash -c 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$STAGING" "${@:2}"' _ {} "${excludes[@]}" ||
    fail "unpacking failed"
  # trixie has a merged /usr: make /bin, /lib... links (moving anything a package put there).
  local d
  for d in bin sbin lib lib64; do
    mkdir -p "$staging/usr/$d"
    if [ -d "$staging/$d" ] && [ ! -L "$staging/$d" ]; then
      cp -a "$staging/$d/." "$staging/usr/$d/" && rm -rf "${staging:?}/$d"
    fi
    ln -sfn "usr/$d" "$staging/$d"
  done
  mkdir -p "$staging/proc" "$staging/dev" "$staging/tmp"
  [ -x "$staging/usr/libexec/swift/bin/swiftc" ] || fail "no swiftc after unpacking"
  mv "$staging" "$ROOT"
  rm -rf "$work"
  local v
  if ! v=$(inside / swiftc --version 2>&1); then
    rm -rf "$ROOT"; fail "swiftc does not run in the root: $v"
  fi
  echo "$v" >"$READY"
  say "ready in $((SECONDS - start)) s, $(du -sm "$ROOT" | cut -f1) MB: $(head -n1 "$READY")"
  echo "$ROOT"
}

# inside WORKDIR CMD... (BINDS: newline-separated host directories to make visible)
inside() {
  local wd=$1; shift
  local binds="$wd"$'\n'"${BINDS:-}" b
  while IFS= read -r b; do
    case "$b" in
      ""|/) ;;
      /usr|/usr/*|/etc|/etc/*|/proc|/proc/*|/dev|/dev/*|/bin|/bin/*|/sbin|/sbin/*|/lib*|/tmp)
        fail "$b cannot be bound into the Swift root (it would hide the root's own); use another directory";;
    esac
  done <<<"$binds"
  # The inner script runs with the host's tools in a new mount namespace: mount what the
  # toolchain needs (/proc for $ORIGIN rpaths, /dev, a private /tmp as HOME), bind the
  # requested directories, then start CMD chrooted with a clean environment.
  # shellcheck disable=SC2016
  unshare --mount --propagation private --fork -- bash -c '
    set -e
    root=$1 wd=$2 path=$3 binds=$4; shift 4
    mount --rbind /proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
    # The root has no CA store of its own (ca-certificates builds it in a maintainer script):
    # lend it the bundle of the host, read-only, so HTTPS clients can verify real servers.
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
      mkdir -p "$root/etc/ssl/certs"
      [ -e "$root/etc/ssl/certs/ca-certificates.crt" ] || : >"$root/etc/ssl/certs/ca-certificates.crt"
      mount --bind /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
      mount -o remount,bind,ro "$root/etc/ssl/certs/ca-certificates.crt"
    fi
    while IFS= read -r b; do
      [ -n "$b" ] && [ "$b" != / ] || continue
      mkdir -p "$root$b"
      mount --bind "$b" "$root$b"
    done <<<"$binds"
    exec env -i PATH="$path" HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TERM="${TERM:-dumb}" \
      ${ENTRA_INVITE_WORKER_THREADS:+ENTRA_INVITE_WORKER_THREADS=$ENTRA_INVITE_WORKER_THREADS} \
      ${ENTRA_INVITE_SCENARIOS_DIR:+ENTRA_INVITE_SCENARIOS_DIR=$ENTRA_INVITE_SCENARIOS_DIR} \
      unshare --root="$root" --wd="$wd" -- "$@"
  ' _ "$ROOT" "$wd" "$INNER_PATH" "$binds" "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  version) ready || setup >/dev/null; cat "$READY" ;;
  run)
    BINDS=""
    while [ $# -gt 0 ]; do
      case "$1" in
        -b) [ $# -ge 2 ] || fail "-b needs a directory"; BINDS+="$(realpath -e "$2")"$'\n'; shift 2 ;;
        --) shift; break ;;
        *) break ;;
      esac
    done
    [ $# -gt 0 ] || fail "run: no command given"
    preflight
    ready || setup >/dev/null
    inside "$(pwd -P)" "$@"
    ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
