#!/usr/bin/env bash
# Ensure a sched_ext-capable guest kernel is cached; print the vmlinuz path on stdout.
#
#   testbed/kernel.sh            -> $CACHE/vm/kernel/<version>/vmlinuz
#
# The kernel is the newest linux-binary-*-cloud-amd64 package of trixie-backports (Debian's 7.x
# kernels enable CONFIG_SCHED_CLASS_EXT; 6.12 does not). Nothing is pinned: the suite is asked
# for its newest version, at most once a day (scripts/debs.sh keeps the index fresh).
# Next to vmlinuz: `version` (the kernel release, e.g. 7.3.4+deb13-cloud-amd64) and `package`
# (the .deb it came from). $CACHE/vm/kernel/current is a symlink to the directory in use.
# Progress goes to stderr. If the mirror cannot be reached, the newest kernel already cached is
# used, with a warning.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CACHE=${JAVALAND_CACHE:-$HOME/.cache/javaland}
KDIR=$CACHE/vm/kernel
SUITE=${JAVALAND_KERNEL_SUITE:-trixie-backports}
PATTERN=${JAVALAND_KERNEL_PACKAGE:-'linux-binary-[0-9.]+\+deb[0-9]+-cloud-amd64'}

log() { echo "kernel.sh: $*" >&2; }
die() { echo "kernel.sh: error: $*" >&2; exit 1; }

for tool in dpkg-deb:dpkg apt-get:apt sort:coreutils; do
  command -v "${tool%%:*}" >/dev/null || die "'${tool%%:*}' not found (apt-get install ${tool#*:})"
done
[ -x "$root/scripts/debs.sh" ] || [ -f "$root/scripts/debs.sh" ] || die "$root/scripts/debs.sh is missing"

mkdir -p "$KDIR" "$CACHE/debs"

cached_fallback() {
  local cur
  cur=$(ls -d "$KDIR"/*/vmlinuz 2>/dev/null | grep -v '/current/vmlinuz$' | sort -V | tail -n1 || true)
  [ -n "$cur" ] || die "cannot download a kernel from $SUITE and none is cached in $KDIR"
  log "warning: using the cached kernel $(dirname "$cur") ($1)"
  ln -sfn "$(dirname "$cur")" "$KDIR/current"
  echo "$cur"
  exit 0
}

if ! deb=$(bash "$root/scripts/debs.sh" download "$SUITE" "$PATTERN" "$CACHE/debs"); then
  cached_fallback "scripts/debs.sh failed"
fi
[ -f "$deb" ] || cached_fallback "scripts/debs.sh printed no .deb"
pkg=$(basename "$deb")

# Already extracted from this very package?
for d in "$KDIR"/*/; do
  [ -L "${d%/}" ] && continue
  if [ -f "$d/package" ] && [ "$(cat "$d/package")" = "$pkg" ] && [ -f "$d/vmlinuz" ]; then
    ln -sfn "${d%/}" "$KDIR/current"
    log "kernel $(cat "$d/version") (cached)"
    echo "${d%/}/vmlinuz"
    exit 0
  fi
done

log "extracting $pkg"
tmp=$(mktemp -d "$KDIR/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/x"
vmlinuz=$(ls "$tmp"/x/usr/lib/modules/*/vmlinuz "$tmp"/x/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
[ -n "$vmlinuz" ] || die "$pkg contains no usr/lib/modules/<version>/vmlinuz"
case "$vmlinuz" in
  */usr/lib/modules/*/vmlinuz) ver=$(basename "$(dirname "$vmlinuz")") ;;
  *) ver=${vmlinuz##*/vmlinuz-} ;;
esac
dest=$KDIR/$ver
rm -rf "$dest"
mkdir -p "$dest"
cp "$vmlinuz" "$dest/vmlinuz"
cfg=$(dirname "$vmlinuz")/config
if [ -f "$cfg" ]; then
  cp "$cfg" "$dest/config"
  grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$dest/config" || log "warning: $ver has no CONFIG_SCHED_CLASS_EXT=y"
fi
echo "$ver" > "$dest/version"
echo "$pkg" > "$dest/package"
ln -sfn "$dest" "$KDIR/current"
log "kernel $ver from $pkg"
echo "$dest/vmlinuz"
