#!/usr/bin/env bash
# package.sh OUTDIR: the installed tree of javaland, as a Debian package and a plain tarball.
# Run by `./javaland package` after the build; RUN_JVM_OPTS and TOOL_JVM_OPTS come from the
# launcher, which declares them. Holds what javaland needs at run time and nothing it needs to
# build: a jlinked runtime (the modules jdeps finds in the jar), the jar, the BPF object,
# libbpf 1.4 (from the launcher's cache: Debian bookworm's is 1.1), the units, the default
# config, bash completion and a man page.
set -euo pipefail
out=${1:?usage: package.sh OUTDIR}
: "${RUN_JVM_OPTS:?set by ./javaland}" "${TOOL_JVM_OPTS:?set by ./javaland}" "${JAVA_HOME:?}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/cli/target/javaland.jar
LIBBPF=${JAVALAND_LIBBPF:-${JAVALAND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/javaland}/libbpf/usr/lib/x86_64-linux-gnu/libbpf.so.1}
say() { echo "package: $*" >&2; }
command -v dpkg-deb >/dev/null || { say "dpkg-deb is missing (apt-get install dpkg)"; exit 1; }
[ -f "$JAR" ] || { say "no $JAR: run ./javaland build"; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.tree.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$JAVA_HOME/bin/jar" xf "$JAR" META-INF/MANIFEST.MF javaland/bpf/javaland.bpf.o)
version=$(tr -d '\r' < "$work/META-INF/MANIFEST.MF" | awk -F': ' '/^Implementation-Version/ {print $2}')
debver=${version//-/\~}
t=$work/root
lib=$t/usr/lib/javaland

say "modules the jar needs (jdeps)"
mods=$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps -q "$JAR")
# jdeps sees no reflection: Vert.x/Netty's DNS and the JMX metrics are looked up at run time
mods="$mods,jdk.naming.dns,jdk.management,jdk.crypto.ec"
say "jlink: $mods"
mkdir -p "$lib"
"$JAVA_HOME/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 --output "$lib/runtime"
install -m 644 "$JAR" "$lib/javaland.jar"
install -m 644 "$work/javaland/bpf/javaland.bpf.o" "$lib/javaland.bpf.o"
[ -f "$LIBBPF" ] && install -m 644 "$(readlink -f "$LIBBPF")" "$lib/libbpf.so.1"
install -m 755 "$ROOT/packaging/slot-check" "$ROOT/packaging/api-token" "$lib/"

# The scheduler JVM's AOT cache (JEP 483): its classes loaded and linked ahead of time, trained
# here on a short simulated run with the bundled runtime, jar and run options (a cache serves only
# the runtime, jar and flags it was made with; dpkg and tar keep the jar's time, which it checks).
# Under emulation it cut the JVM's CPU before the attach by a third. Without it, run starts as before.
say "AOT cache of the run JVM (run --sim, about 10 s)"
# shellcheck disable=SC2086
"$ROOT/scripts/aot-cache.sh" "$lib/runtime/bin/java" "$lib/javaland.jar" "$lib/javaland.aot" $RUN_JVM_OPTS \
  || say "warning: the package's run starts without an AOT cache"

mkdir -p "$t/usr/bin"
{
  echo '#!/bin/sh'
  echo '# javaland, installed: runs the bundled Java runtime on the bundled jar. Never builds, never installs.'
  echo 'here=$(dirname "$(readlink -f "$0")")'
  echo 'lib=$(readlink -f "$here/../lib/javaland")'
  echo "run_opts='$RUN_JVM_OPTS'"
  echo "tool_opts='$TOOL_JVM_OPTS'"
  cat <<'WRAP'
opts=$tool_opts
[ "${1:-}" = run ] && opts=${JAVALAND_JVM_OPTS:-$run_opts}
# the AOT cache was trained with run_opts: other options would not match it
[ "${1:-}" = run ] && [ -z "${JAVALAND_JVM_OPTS:-}" ] && [ -f "$lib/javaland.aot" ] && opts="$opts -XX:AOTCache=$lib/javaland.aot"
[ -z "${JAVALAND_LIBBPF:-}" ] && [ -f "$lib/libbpf.so.1" ] && JAVALAND_LIBBPF=$lib/libbpf.so.1 && export JAVALAND_LIBBPF
# shellcheck disable=SC2086
exec "$lib/runtime/bin/java" $opts -jar "$lib/javaland.jar" "$@"
WRAP
} > "$t/usr/bin/javaland"
chmod 755 "$t/usr/bin/javaland"

install -D -m 644 "$ROOT/packaging/javaland.yaml" "$t/etc/javaland/javaland.yaml"
install -D -m 644 "$ROOT/packaging/systemd/javaland.service" "$t/usr/lib/systemd/system/javaland.service"
install -D -m 644 "$ROOT/packaging/systemd/javaland-learner.service" "$t/usr/lib/systemd/system/javaland-learner.service"

say "bash completion and man page, from the command tree"
mkdir -p "$t/usr/share/bash-completion/completions" "$t/usr/share/man/man1"
"$lib/runtime/bin/java" $TOOL_JVM_OPTS -cp "$lib/javaland.jar" picocli.AutoComplete --force \
  --completionScript "$t/usr/share/bash-completion/completions/javaland" --name javaland javaland.cli.Main >/dev/null
"$lib/runtime/bin/java" $TOOL_JVM_OPTS -cp "$lib/javaland.jar" javaland.cli.ManPage "$version" | gzip -9n > "$t/usr/share/man/man1/javaland.1.gz"
install -D -m 644 "$ROOT/LICENSE" "$t/usr/share/doc/javaland/copyright"
# Prometheus: the scrape configuration and the rules it loads, side by side (docs/metrics.md#alerts)
install -D -m 644 "$ROOT/deploy/prometheus/prometheus.yml" "$t/usr/share/javaland/prometheus/prometheus.yml"
install -D -m 644 "$ROOT/deploy/prometheus/javaland-rules.yml" "$t/usr/share/javaland/prometheus/javaland-rules.yml"

mkdir -p "$t/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$t" | cut -f1)
cat > "$t/DEBIAN/control" <<CTL
Package: javaland
Version: $debver
Architecture: amd64
Maintainer: javaland developers <javaland@localhost>
Installed-Size: $size
Depends: libc6, libelf1, zlib1g
Recommends: libopenblas-dev, libarpack2-dev
Section: admin
Priority: optional
Description: sched_ext CPU scheduler whose decisions are made in Java
 Replaces the kernel's CPU scheduler (Linux 6.13+ with sched_ext) with one whose policy runs in
 a bundled Java runtime; the kernel takes its scheduler back when javaland stops or fails.
 Units: javaland.service (the scheduler), javaland-learner.service (the online learner).
 The learner's Bayesian optimisation needs libopenblas and libarpack (recommended).
CTL
echo /etc/javaland/javaland.yaml > "$t/DEBIAN/conffiles"
install -m 755 "$ROOT/packaging/prerm" "$ROOT/packaging/postrm" "$t/DEBIAN/"
deb=$out/javaland_${debver}_amd64.deb
tgz=$out/javaland-${version}-amd64.tar.gz
dpkg-deb --root-owner-group -Zgzip --build "$t" "$deb" >/dev/null
tar --owner=0 --group=0 --exclude=./DEBIAN -C "$t" -czf "$tgz" .
say "built $deb and $tgz"
echo "$deb"
echo "$tgz"
