#!/usr/bin/env bash
# Download Debian packages that are not in the host's own suites (a sched_ext kernel from
# trixie-backports, a libbpf with struct_ops links from bookworm-backports) WITHOUT touching
# the host's apt configuration: a private apt state under the javaland cache is pointed at the
# same mirror the host already uses.
#
#   scripts/debs.sh download SUITE PACKAGE-REGEX DEST   -> prints the .deb path (newest version)
set -euo pipefail

CACHE=${JAVALAND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/javaland}
APTDIR=$CACHE/apt

mirror_uri() {
  # The first deb URI of the host's own Debian archive (not security, not third-party lists).
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources | grep -v -- '-security' | grep '/debian/\?$' | head -n1 || true)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' /etc/apt/sources.list | grep -v -- '-security' | head -n1 || true)
  fi
  if [ -z "$uri" ]; then
    echo "debs.sh: cannot find a Debian mirror URI in /etc/apt/sources.list(.d); configure apt first" >&2
    exit 1
  fi
  echo "${uri%/}"
}

apt_private() {
  local tool=$1; shift
  "$tool" -q \
    -o Dir::Etc::SourceList="$APTDIR/sources.list" -o Dir::Etc::SourceParts=- \
    -o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR/cache" \
    -o Dir::State::status=/var/lib/dpkg/status -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root "$@"
}

setup() {
  local suite=$1 uri
  uri=$(mirror_uri)
  mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
  local line="deb $uri $suite main"
  touch "$APTDIR/sources.list"
  if ! grep -qxF "$line" "$APTDIR/sources.list"; then
    echo "$line" >> "$APTDIR/sources.list"
    rm -f "$APTDIR/updated"
  fi
  # Refresh the private index at most once a day: suites change, versions get replaced.
  if [ ! -f "$APTDIR/updated" ] || [ -n "$(find "$APTDIR/updated" -mmin +1440)" ]; then
    echo "debs.sh: updating private apt index for $(cut -d' ' -f3 "$APTDIR/sources.list" | tr '\n' ' ')" >&2
    apt_private apt-get update >&2
    touch "$APTDIR/updated"
  fi
}

download() {
  local suite=$1 pattern=$2 dest=$3 name
  setup "$suite"
  # Newest package whose name matches the regex (versions in a suite change over time).
  name=$(apt_private apt-cache pkgnames 2>/dev/null | grep -E "^($pattern)$" | sort -V | tail -n1)
  if [ -z "$name" ]; then
    echo "debs.sh: no package matching '$pattern' in $suite" >&2
    exit 1
  fi
  mkdir -p "$dest"
  local existing
  existing=$(ls "$dest"/"${name}"_*.deb 2>/dev/null | head -n1 || true)
  if [ -n "$existing" ]; then echo "$existing"; return; fi
  (cd "$dest" && apt_private apt-get download "$name/$suite" >&2)
  ls "$dest"/"${name}"_*.deb | head -n1
}

case "${1:-}" in
  download) shift; download "$@" ;;
  mirror) mirror_uri ;;
  *) echo "usage: $0 download SUITE PACKAGE-REGEX DEST | mirror" >&2; exit 2 ;;
esac
