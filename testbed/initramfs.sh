#!/usr/bin/env bash
# Build the test VM's initramfs (a zstd- or gzip-compressed newc cpio archive).
#
#   testbed/initramfs.sh OUT --jar PATH [--extra DIR]   -> prints OUT on stdout
#
# Contents: busybox-static (+ applet symlinks), a jlinked JRE at /opt/jre, libbpf >= 1.2 at
# /opt/libbpf/libbpf.so.1 (bookworm-backports; the guest needs it for SEC(".struct_ops.link")),
# stress-ng, sysbench, cyclictest, hackbench, redis-server and redis-benchmark (the bench scenario's workloads), setpriv (run drops its
# learner child to nobody with it; /etc/passwd has nobody and /etc/group nogroup), bpftool (when the host has
# it, for debugging), every shared library ldd reports for those plus the dynamic loader, the jar at /opt/javaland/javaland.jar,
# the scheduler of docs/write-your-own-scheduler.md as /opt/javaland/doc-policy.jar, the guest scripts of
# testbed/guest/ at /opt/javaland/guest/ and guest/init as /init. --extra DIR is copied
# over the root (DIR/usr/bin/x becomes /usr/bin/x).
#
# Rebuilt only when an input changed (OUT.inputs holds the hash of all inputs). Progress goes
# to stderr. Environment:
#   JAVALAND_CACHE        cache folder (default ~/.cache/javaland); the JRE is cached under vm/jre
#   JAVALAND_JDK          JDK used for jlink (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   JAVALAND_JRE_MODULES  extra modules for the JRE, comma separated
#   JAVALAND_INITRAMFS_COMPRESS  zstd (default) or gzip
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CACHE=${JAVALAND_CACHE:-$HOME/.cache/javaland}
VM=$CACHE/vm
JDK=${JAVALAND_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# jdk.management: com.sun.management (the runtime reads process CPU time through it)
# jdk.httpserver: the learner's /metrics (run's learner child died without it)
# jdk.jfr: run --profile-threads, where the scheduler JVM's CPU goes in the guest
MODULES="java.base,jdk.unsupported,java.management,jdk.management,java.naming,java.logging,jdk.crypto.ec,java.net.http,jdk.httpserver,jdk.jfr"
[ -z "${JAVALAND_JRE_MODULES:-}" ] || MODULES="$MODULES,$JAVALAND_JRE_MODULES"
# zstd: smaller, and the guest kernel unpacks it about 1 s faster than gzip under TCG (Debian's
# kernels have CONFIG_RD_ZSTD); gzip is the fallback every kernel takes.
COMPRESS=${JAVALAND_INITRAMFS_COMPRESS:-zstd}

log() { echo "initramfs.sh: $*" >&2; }
die() { echo "initramfs.sh: error: $*" >&2; exit 1; }
usage() { echo "usage: $0 OUT --jar PATH [--extra DIR]" >&2; exit 2; }

out=""; jar=""; extra=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || usage; jar=$2; shift 2 ;;
    --extra) [ $# -ge 2 ] || usage; extra=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "initramfs.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out=$1; shift ;;
  esac
done
[ -n "$out" ] && [ -n "$jar" ] || usage
[ -f "$jar" ] || die "jar not found: $jar"
[ -z "$extra" ] || [ -d "$extra" ] || die "--extra: not a directory: $extra"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[ -z "$extra" ] || extra=$(cd "$extra" && pwd)

# --- tools (each named with the Debian package that provides it) -------------------------------
need() { command -v "$1" >/dev/null || die "'$1' not found (apt-get install $2)"; }
need cpio cpio
need gzip gzip
need ldd libc-bin
need dpkg-deb dpkg
need sha256sum coreutils
need stress-ng stress-ng
need sysbench sysbench
need cyclictest rt-tests
need hackbench rt-tests
need redis-server redis-server
need redis-benchmark redis-tools
need setpriv util-linux
[ "$COMPRESS" = gzip ] || [ "$COMPRESS" = zstd ] || die "JAVALAND_INITRAMFS_COMPRESS must be gzip or zstd"
[ "$COMPRESS" = gzip ] || need zstd zstd
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
  if [ -x "$b" ] && [[ "$(ldd "$b" 2>&1 || true)" == *"not a dynamic executable"* ]]; then busybox=$b; break; fi
done
[ -n "$busybox" ] || die "a static busybox is needed (apt-get install busybox-static)"
[ -x "$JDK/bin/jlink" ] || die "no jlink in $JDK (install a JDK 25, or set JAVALAND_JDK)"
stressng=$(command -v stress-ng)
sysbench=$(command -v sysbench)
cyclictest=$(command -v cyclictest)
hackbench=$(command -v hackbench)
redis_server=$(command -v redis-server)
redis_benchmark=$(command -v redis-benchmark)
setpriv=$(command -v setpriv)
bpftool=$(command -v bpftool || ls /usr/sbin/bpftool 2>/dev/null || true)
[ -n "$bpftool" ] || log "note: bpftool not found (apt-get install bpftool); the guest will have none"
[ -f "$here/guest/init" ] || die "$here/guest/init is missing"

mkdir -p "$VM"

# --- the JRE, cached by JDK version and module list ---------------------------------------------
jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release")
[ -n "$jdk_version" ] || die "cannot read JAVA_RUNTIME_VERSION from $JDK/release"
JLINK_OPTS="--strip-debug --no-header-files --no-man-pages --generate-cds-archive"
JRE_FORMAT=3  # bump when the JRE's post-processing below changes
jre_key=$(printf '%s\n%s\n%s\n%s\n' "$jdk_version" "$MODULES" "$JLINK_OPTS" "$JRE_FORMAT" | sha256sum | cut -c1-12)
jre=$VM/jre/$jdk_version-$jre_key
if [ ! -x "$jre/bin/java" ]; then
  log "jlink: JRE $jdk_version with $MODULES"
  mkdir -p "$VM/jre"
  tmpjre=$(mktemp -d "$jre.tmp.XXXXXX")
  rmdir "$tmpjre"
  # shellcheck disable=SC2086
  "$JDK/bin/jlink" --add-modules "$MODULES" $JLINK_OPTS --output "$tmpjre" >&2 \
    || { rm -rf "$tmpjre"; die "jlink failed"; }
  # Both CDS archives stay: Serial (the default) maps classes.jsa, ZGC (jl.jvm_gc=zgc) classes_nocoops.jsa.
  # another build may have won the race: keep its copy
  mv -T "$tmpjre" "$jre" 2>/dev/null || rm -rf "$tmpjre"
  log "JRE: $(du -sh "$jre" | cut -f1) at $jre"
else
  log "JRE: $jre (cached)"
fi

# --- libbpf from bookworm-backports (the host's 1.1.2 cannot attach .struct_ops.link) -----------
libbpf_dir=""
if deb=$(bash "$root/scripts/debs.sh" download bookworm-backports 'libbpf1' "$CACHE/debs"); then
  pkg=$(basename "$deb")
  libbpf_dir=$VM/libbpf/${pkg%.deb}
  if [ ! -f "$libbpf_dir/libbpf.so.1" ]; then
    log "extracting $pkg"
    mkdir -p "$VM/libbpf"
    tmpbpf=$(mktemp -d "$libbpf_dir.tmp.XXXXXX")
    dpkg-deb -x "$deb" "$tmpbpf/x"
    so=$(ls "$tmpbpf"/x/usr/lib/*/libbpf.so.1.* 2>/dev/null | head -n1 || true)
    [ -n "$so" ] || { rm -rf "$tmpbpf"; die "$pkg has no libbpf.so.1.*"; }
    cp "$so" "$tmpbpf/libbpf.so.1"
    basename "$so" | sed 's/^libbpf\.so\.//' > "$tmpbpf/version"
    rm -rf "$tmpbpf/x"
    mv -T "$tmpbpf" "$libbpf_dir" 2>/dev/null || rm -rf "$tmpbpf"
  fi
else
  libbpf_dir=$(ls "$VM"/libbpf/*/libbpf.so.1 2>/dev/null | grep -v '\.tmp\.' | sort -V | tail -n1 || true)
  [ -n "$libbpf_dir" ] || die "cannot download libbpf1 from bookworm-backports (scripts/debs.sh) and none is cached"
  libbpf_dir=$(dirname "$libbpf_dir")
  log "warning: using cached $libbpf_dir"
fi
libbpf_version=$(cat "$libbpf_dir/version")
case "$libbpf_version" in
  0.*|1.0.*|1.1.*) die "libbpf $libbpf_version is too old for .struct_ops.link (need >= 1.2)" ;;
esac

# --- the scheduler of docs/write-your-own-scheduler.md, built as the page says -------------------
# Its one Java block, compiled against the SDK jar alone and packed with its service file: the
# smoke scenario runs it (--policy-jar) on the real kernel.
doc=$root/docs/write-your-own-scheduler.md
sdk=$root/sdk/target/javaland-sdk.jar
[ -f "$sdk" ] || die "$sdk is missing (./javaland build makes it)"
docjar=$VM/doc-policy/interactive-first.jar
docsum=$(cat "$doc" "$sdk" | sha256sum | cut -c1-16)
if [ ! -f "$docjar" ] || [ "$(cat "$docjar.inputs" 2>/dev/null)" != "$docsum" ]; then
  log "building the scheduler of $(basename "$doc")"
  dp=$(mktemp -d "$VM/.docpolicy.XXXXXX")
  awk '/^```java$/{on=1; next} /^```$/{if (on) exit} on' "$doc" > "$dp/src.java"
  pkg=$(sed -n 's/^package \([a-z.]*\);/\1/p' "$dp/src.java" | head -n1)
  cls=$(sed -n 's/^public final class \([A-Za-z0-9]*\) .*/\1/p' "$dp/src.java" | head -n1)
  [ -n "$pkg" ] && [ -n "$cls" ] || { rm -rf "$dp"; die "$doc: no package and public final class in its java block"; }
  mkdir -p "$dp/src/${pkg//.//}" "$dp/out/META-INF/services"
  mv "$dp/src.java" "$dp/src/${pkg//.//}/$cls.java"
  "$JDK/bin/javac" --release 25 -cp "$sdk" -d "$dp/out" "$dp/src/${pkg//.//}/$cls.java" >&2 \
    || { rm -rf "$dp"; die "the scheduler of $doc does not compile against $sdk"; }
  echo "$pkg.$cls" > "$dp/out/META-INF/services/javaland.sdk.Policy"
  mkdir -p "$(dirname "$docjar")"
  "$JDK/bin/jar" cf "$docjar.tmp" -C "$dp/out" . && mv "$docjar.tmp" "$docjar"
  echo "$docsum" > "$docjar.inputs"
  rm -rf "$dp"
fi

# --- policies that do things wrong (policies/testbed/*Policy.java): smoke's MisbehavingPolicy, faults'
# ThrowingPolicy and BadCpuPolicy; and faults' ManyThreads (one process with 2,000 threads), in the same jar ---
badsrc=("$here"/policies/testbed/*.java)
badjar=$VM/misbehaving-policy/misbehaving.jar
badsum=$(cat "${badsrc[@]}" "$sdk" | sha256sum | cut -c1-16)
if [ ! -f "$badjar" ] || [ "$(cat "$badjar.inputs" 2>/dev/null)" != "$badsum" ]; then
  log "building $(cd "$here/policies/testbed" && echo *.java)"
  bp=$(mktemp -d "$VM/.badpolicy.XXXXXX")
  mkdir -p "$bp/out/META-INF/services"
  "$JDK/bin/javac" --release 25 -cp "$sdk" -d "$bp/out" "${badsrc[@]}" >&2 \
    || { rm -rf "$bp"; die "${badsrc[*]} do not compile against $sdk"; }
  for f in "${badsrc[@]}"; do case "$f" in *Policy.java) echo "testbed.$(basename "$f" .java)" ;; esac; done \
    > "$bp/out/META-INF/services/javaland.sdk.Policy"
  mkdir -p "$(dirname "$badjar")"
  "$JDK/bin/jar" cf "$badjar.tmp" -C "$bp/out" . && mv "$badjar.tmp" "$badjar"
  echo "$badsum" > "$badjar.inputs"
  rm -rf "$bp"
fi

# --- input hash ---------------------------------------------------------------------------------
hash_inputs() {
  {
    echo "format 1 $COMPRESS $MODULES $jre"
    sha256sum "$0" "$root/scripts/aot-cache.sh" "$jar" "$docjar" "$badjar" "$busybox" "$stressng" "$sysbench" "$cyclictest" "$hackbench" "$redis_server" "$redis_benchmark" "$setpriv" "$libbpf_dir/libbpf.so.1" ${bpftool:+"$bpftool"}
    (cd "$here/guest" && find . -type f | LC_ALL=C sort | xargs sha256sum)
    if [ -n "$extra" ]; then (cd "$extra" && find . -type f | LC_ALL=C sort | xargs -r sha256sum); fi
  } | sha256sum | cut -d' ' -f1
}
inputs=$(hash_inputs)
if [ -f "$out" ] && [ -f "$out.inputs" ] && [ "$(cat "$out.inputs")" = "$inputs" ]; then
  log "up to date: $out"
  echo "$out"
  exit 0
fi

# --- stage the root -------------------------------------------------------------------------------
t0=$(date +%s)
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
stage=$(mktemp -d "$VM/.stage.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp.$$"' EXIT
cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin lib/x86_64-linux-gnu lib64 usr/lib/x86_64-linux-gnu \
  proc sys dev tmp run root etc mnt var/tmp opt/javaland/guest opt/libbpf
chmod 1777 tmp var/tmp

log "staging busybox, JRE, libbpf $libbpf_version, stress-ng, sysbench, cyclictest, hackbench, redis, setpriv${bpftool:+, bpftool}"
cp "$busybox" bin/busybox
"$busybox" --list-full | while read -r applet; do
  [ -e "$applet" ] || [ -L "$applet" ] || ln -s /bin/busybox "$applet"
done
cp -a "$jre" opt/jre
cp "$libbpf_dir/libbpf.so.1" opt/libbpf/libbpf.so.1
cp "$stressng" usr/bin/stress-ng
cp "$sysbench" usr/bin/sysbench
cp "$cyclictest" usr/bin/cyclictest
cp "$hackbench" usr/bin/hackbench
# redis-server may be a link to redis-check-rdb (one binary, named by argv[0]): copy the file under the name
cp -L "$redis_server" usr/bin/redis-server
cp -L "$redis_benchmark" usr/bin/redis-benchmark
# javaland run's learner child: the path LearnerChild looks for
cp "$setpriv" usr/bin/setpriv
[ -z "$bpftool" ] || cp "$bpftool" usr/sbin/bpftool
cp -p "$jar" opt/javaland/javaland.jar  # -p: the AOT cache below knows the jar by its size and time
cp "$docjar" opt/javaland/doc-policy.jar
cp "$badjar" opt/javaland/misbehaving-policy.jar
cp "$here"/guest/* opt/javaland/guest/
mv opt/javaland/guest/init init
chmod 755 init opt/javaland/guest/*

# Shared libraries: whatever ldd says the binaries need (libraries inside the JRE and libbpf
# resolve there), plus libgcc_s (dlopen'ed by glibc for thread cancellation).
libs=$(
  for f in opt/jre/bin/java opt/jre/lib/*.so opt/jre/lib/server/libjvm.so opt/libbpf/libbpf.so.1 \
           usr/bin/stress-ng usr/bin/sysbench usr/bin/cyclictest usr/bin/hackbench usr/bin/redis-server usr/bin/redis-benchmark usr/bin/setpriv ${bpftool:+usr/sbin/bpftool}; do
    LD_LIBRARY_PATH="$stage/opt/libbpf:$stage/opt/jre/lib:$stage/opt/jre/lib/server" ldd "$f" 2>/dev/null \
      | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' || true
  done | grep -v "^$stage/" | sort -u
  ls /lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null || true
)
for l in $libs; do
  [ -f "$l" ] || die "ldd named $l, which does not exist"
  case "$l" in
    */libbpf.so.*) continue ;;  # never the host's libbpf
  esac
  d=lib/x86_64-linux-gnu
  case "$l" in /lib64/*|/usr/lib64/*) d=lib64 ;; esac
  cp -L "$l" "$d/$(basename "$l")"
done
[ -e lib64/ld-linux-x86-64.so.2 ] || die "the dynamic loader was not found by ldd"

# --- the AOT cache of the scheduler's JVM (JEP 483): its classes loaded and linked ahead of time ---
# Trained here, on the host, by the guest's own JRE and jar (a cache serves only the JVM build
# and jar it was made with), with the guest's JVM flags (guest/lib.sh) and serial GC (its
# default), on a short simulated run; cached by those inputs. Under TCG the JVM and the CLI took
# 7.6-10.3 s before the attach. A cache that does not match is ignored by the JVM (an error line).
jvm_flags=$(sed -n 's/^JL_JVM_FLAGS="\(.*\)"$/\1/p' "$here/guest/lib.sh")
[ -n "$jvm_flags" ] || die "no JL_JVM_FLAGS line in $here/guest/lib.sh"
aot_key=$( { echo "$jvm_flags -XX:+UseSerialGC"; cat "$jre/release" "$root/scripts/aot-cache.sh"; sha256sum < "$jar"; stat -c %Y "$jar"; } | sha256sum | cut -c1-16)
aot=$VM/aot/$aot_key.aot
if [ ! -f "$aot" ]; then
  log "training the JVM's AOT cache (run --sim, about 20 s)"
  mkdir -p "$VM/aot"
  find "$VM/aot" -name '*.aot' -mtime +7 -delete 2>/dev/null || true
  # shellcheck disable=SC2086
  bash "$root/scripts/aot-cache.sh" "$stage/opt/jre/bin/java" "$stage/opt/javaland/javaland.jar" "$aot" $jvm_flags -XX:+UseSerialGC \
    || log "warning: the guest's JVM starts without an AOT cache"
fi
[ ! -f "$aot" ] || cp "$aot" opt/javaland/javaland.aot

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group
printf '127.0.0.1 localhost javaland-vm\n::1 localhost\n' > etc/hosts
printf 'passwd: files\ngroup: files\nhosts: files\n' > etc/nsswitch.conf
printf 'nameserver 127.0.0.1\n' > etc/resolv.conf  # no network; keeps DNS resolvers from warning

if [ -n "$extra" ]; then
  log "copying $extra over the root"
  big=$(find . -type f -size +1M -printf '%s %p\n')
  cp -a "$extra"/. .
  # A large file of --extra that the root already held byte for byte (the package's jar is the
  # guest's /opt/javaland/javaland.jar) becomes a hard link: cpio then stores it once.
  (cd "$extra" && find . -type f -size +1M -printf '%s %p\n') | while read -r size f; do
    echo "$big" | awk -v s="$size" '$1 == s {print $2}' | while read -r g; do
      [ "$g" != "$f" ] && cmp -s "$g" "$f" && ln -f "$g" "$f" && log "$f: a hard link to $g" && break
    done
  done
fi

# --- archive -------------------------------------------------------------------------------------
size_mb=$(du -sm . | cut -f1)
log "packing ${size_mb} MB with $COMPRESS"
case "$COMPRESS" in
  gzip) compress=(gzip -6 -n) ;;
  zstd) compress=(zstd -q -T0 -10) ;;
esac
find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet | "${compress[@]}" > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "$inputs" > "$out.inputs"
log "built $out ($(du -m "$out" | cut -f1) MB, ${size_mb} MB unpacked) in $(( $(date +%s) - t0 )) s"
echo "$out"
