#!/usr/bin/env bash
# aot-cache.sh JAVA JAR OUT [JVM FLAG...]: trains the run JVM's AOT cache (JEP 483: its classes
# loaded and linked ahead of time) into OUT, on a short simulated run of JAR with JAVA and the
# flags given. A cache serves only the Java runtime, the jar (its size and time) and the flags it
# was made with; a JVM handed one that does not match ignores it (one error line). Used by
# scripts/package.sh (the package's run) and testbed/initramfs.sh (the test VM's scheduler).
# Exit 0 with OUT written, else 1 with OUT absent and why on stderr: callers go on without one.
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: aot-cache.sh JAVA JAR OUT [JVM FLAG...]" >&2; exit 2; }
java=$1 jar=$2 out=$3
shift 3
home=$(mktemp -d "${TMPDIR:-/tmp}/javaland-aot.XXXXXX")
trap 'rm -rf "$home"' EXIT
# its own HOME: the simulated run must not touch the state of whoever builds
if HOME=$home XDG_STATE_HOME=$home/state "$java" "$@" -XX:AOTCacheOutput="$home/javaland.aot" -jar "$jar" \
     run --sim --duration 3s --no-learner --registry none --http-port 0 > "$home/out" 2>&1 \
   && [ -s "$home/javaland.aot" ]; then
  mv "$home/javaland.aot" "$out" && chmod 644 "$out"
  exit 0
fi
rm -f "$out"
echo "aot-cache.sh: no AOT cache: $(tail -n 3 "$home/out" | tr '\n' ' ')" >&2
exit 1
