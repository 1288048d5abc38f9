#!/usr/bin/env bash
# test-debian-root.sh DEB: installs the package into a fresh Debian root and runs it from there
# (run by `./javaland test` after test-package.sh). The root is made once by debootstrap from
# the mirror the host's apt already uses (scripts/debs.sh mirror), in the host's suite, with
# the package's Depends and systemd (for systemd-analyze) included, and cached as a tarball
# under $JAVALAND_CACHE/debian-root: the first run takes a few minutes, the next ones about 30 s.
# Every run unpacks the cached root into a temporary directory, so each test starts fresh.
# In a chroot: dpkg -i without forcing anything, javaland version and run --sim --duration 5s
# with no JDK anywhere in the root, systemd-analyze verify on the installed units (offline: no
# systemd runs as PID 1 in a chroot), then dpkg -r and -P and a diff of the root's files.
set -uo pipefail
deb=$(readlink -f "${1:?usage: test-debian-root.sh DEB}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${JAVALAND_CACHE:?set by ./javaland}
fails=0
ok() { echo "package-root-test: ok: $*"; }
bad() { echo "package-root-test: FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
skip() { echo "package-root-test: skipped (no fresh Debian root): $*"; exit 0; }

# The only reasons not to run: nothing here can make or enter a root
[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root (run ./javaland test as root)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
command -v unshare >/dev/null || skip "unshare (util-linux) is missing: the chroot's /proc is mounted in a private mount namespace"
unshare --mount --fork true 2>/dev/null || skip "this container may not create a mount namespace (unshare --mount failed): /proc cannot be mounted for the chroot"
suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ -n "$suite" ] || skip "/etc/os-release names no Debian suite (VERSION_CODENAME)"
mirror=$("$ROOT/scripts/debs.sh" mirror 2>&1) || skip "$mirror"

# What the root holds besides minbase: the package's dependencies (dpkg -i must find them all)
# and systemd. The cache's name says all of it, so a changed Depends makes a new root.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | grep . | sort -u | paste -sd,)
include=$depends,systemd
key=$(printf '%s %s minbase\n' "$suite" "$include" | sha256sum | cut -c1-12)
cached=$CACHE/debian-root/$suite-minbase-$key.tar.zst
if [ ! -f "$cached" ]; then
  echo "package-root-test: making a fresh $suite root (debootstrap --variant=minbase --include=$include, once: cached as $cached)"
  mkdir -p "$CACHE/debian-root"
  build=$(mktemp -d "$CACHE/debian-root/.build.XXXXXX")
  keyring=()
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  start=$SECONDS
  if ! debootstrap --variant=minbase --include="$include" "${keyring[@]}" "$suite" "$build/root" "$mirror" >"$build/log" 2>&1; then
    tail -n 20 "$build/log" | sed 's/^/  debootstrap: /'
    rm -rf "$build"
    bad "debootstrap $suite from $mirror failed (log above)"
    exit 1
  fi
  # no package cache in the tarball: it is not part of a root and would double its size
  rm -rf "$build/root/var/cache/apt/archives/"*.deb
  tar --numeric-owner -C "$build/root" -I zstd -cf "$build/root.tar.zst" . && mv "$build/root.tar.zst" "$cached"
  rm -rf "$build"
  echo "package-root-test: debootstrap took $((SECONDS - start)) s"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/root
mkdir "$r"
tar --numeric-owner -C "$r" -I zstd -xf "$cached" || { bad "unpacking $cached"; exit 1; }
cp "$deb" "$r/tmp/javaland.deb"
# Runs a command in the root: /proc, /dev and /sys mounted in a mount namespace of its own (gone
# when it ends), a clean environment and no JDK: the root never had one.
in_root() {
  unshare --mount --fork --propagation private sh -c '
    r=$1; shift
    mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" && mount --rbind -o ro /sys "$r/sys" \
      && exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"' _ "$r" "$@"
}
# The root's files outside the virtual and scratch directories, and dpkg's and apt's own logs/state
files() { (cd "$r" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./run \
  -o -path ./var/lib/dpkg -o -path ./var/log -o -path ./var/cache/ldconfig \) -prune -o -print | sort); }
files > "$tmp/before"

java_in_root=$(in_root sh -c 'command -v java; ls -d /usr/lib/jvm 2>/dev/null')
check "the fresh root has no java (none on its PATH, no /usr/lib/jvm)${java_in_root:+: $java_in_root}" test -z "$java_in_root"
in_root dpkg -i /tmp/javaland.deb >"$tmp/dpkg-i.out" 2>&1
rc=$?
check "dpkg -i in the fresh root, nothing forced (exit $rc)" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/  dpkg: /' "$tmp/dpkg-i.out"
check "dpkg-query: javaland install ok installed" test "$(in_root dpkg-query -W -f='${Status}' javaland 2>/dev/null)" = "install ok installed"

in_root javaland version >"$tmp/version.out" 2>&1
rc=$?
check "javaland version in the root (exit $rc)" test $rc -eq 0
check "javaland version names itself: $(head -n1 "$tmp/version.out")" grep -q "^javaland " "$tmp/version.out"
# the root shares the host's network: port 0 so that no other javaland on this host collides
start=$SECONDS
in_root javaland run --sim --duration 5s --http-port 0 >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
check "javaland run --sim --duration 5s in the root, with its /etc/javaland/javaland.yaml (exit $rc, $((SECONDS - start)) s)" test $rc -eq 0
[ $rc -eq 0 ] || tail -n 15 "$tmp/run.err" | sed 's/^/  run: /'
check "run printed JAVALAND_STATS last" bash -c 'tail -n 1 "$1" | grep -q "^JAVALAND_STATS {"' _ "$tmp/run.out"
check "run printed no WARNING" bash -c '! grep -q "WARNING" "$1" "$2"' _ "$tmp/run.out" "$tmp/run.err"
check "run as root kept its registry in /var/lib/javaland (Dirs.SYSTEM_STATE)" test -d "$r/var/lib/javaland"
home=$(files | comm -13 "$tmp/before" - | grep '^./root/' | paste -sd' ')
check "run as root wrote nothing under /root${home:+: $home}" test -z "$home"

v=$(in_root systemd-analyze verify --man=no /usr/lib/systemd/system/javaland.service /usr/lib/systemd/system/javaland-learner.service 2>&1)
check "systemd-analyze verify on the installed units against the root's own systemd (offline, no systemd runs in a chroot)${v:+: $v}" test -z "$v"
# enabled as a person would, so that purge has links to clean up
in_root systemctl enable javaland.service javaland-learner.service >"$tmp/enable.out" 2>&1
check "systemctl enable (offline, in the root) links the units" test -L "$r/etc/systemd/system/multi-user.target.wants/javaland.service"

in_root dpkg -r javaland >"$tmp/dpkg-r.out" 2>&1
check "dpkg -r javaland (exit $?)" test "$(in_root dpkg-query -W -f='${Status}' javaland 2>/dev/null)" = "deinstall ok config-files"
files > "$tmp/after-r"
comm -13 "$tmp/before" "$tmp/after-r" > "$tmp/left-r"
check "after dpkg -r: the conffile, the registry and the enablement links are left, nothing of /usr ($(grep -c . "$tmp/left-r") paths)" \
  bash -c 'grep -qx ./etc/javaland/javaland.yaml "$1" && grep -qx ./var/lib/javaland "$1" \
    && grep -qx ./etc/systemd/system/multi-user.target.wants/javaland.service "$1" && ! grep -q "^./usr/" "$1"' _ "$tmp/left-r"
in_root dpkg -P javaland >"$tmp/dpkg-p.out" 2>&1
check "dpkg -P javaland: dpkg knows it no more" test -z "$(in_root dpkg-query -W -f='${Status}' javaland 2>/dev/null)"
files > "$tmp/after-p"
left=$(comm -13 "$tmp/before" "$tmp/after-p" | paste -sd' ')
check "after dpkg -P the root's files are those of before the install${left:+ (left: $left)}" test -z "$left"
gone=$(comm -23 "$tmp/before" "$tmp/after-p" | paste -sd' ')
check "and nothing of the root went missing${gone:+ (missing: $gone)}" test -z "$gone"

[ $fails -eq 0 ] && echo "package-root-test: all passed" || echo "package-root-test: $fails failed"
[ $fails -eq 0 ]
