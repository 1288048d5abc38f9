#!/usr/bin/env bash
# Compile BPF programs: build.sh OUTDIR [SOURCE.bpf.c ...]  -> OUTDIR/<name>.bpf.o
# Without sources it builds the scheduler, javaland.bpf.c.
# Needs clang >= 16 and libbpf's headers (>= 1.2 for .struct_ops.link); fails loudly otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR [SOURCE.bpf.c ...]}
shift
sources=("$@")
[ ${#sources[@]} -gt 0 ] || sources=("$here/javaland.bpf.c")
CACHE=${JAVALAND_CACHE:-$HOME/.cache/javaland}

clang=""
for c in clang-20 clang-19 clang-18 clang-17 clang-16 clang; do
  if command -v "$c" >/dev/null; then
    v=$("$c" -dumpversion | cut -d. -f1)
    if [ "$v" -ge 16 ]; then clang=$c; break; fi
  fi
done
[ -n "$clang" ] || { echo "bpf/build.sh: clang >= 16 not found (apt-get install clang-16)" >&2; exit 1; }

inc=""
for d in "$CACHE/libbpf/usr/include" /usr/include; do
  if [ -f "$d/bpf/bpf_helpers.h" ] && grep -q "define bpf_for" "$d/bpf/bpf_helpers.h" 2>/dev/null; then inc=$d; break; fi
done
[ -n "$inc" ] || { echo "bpf/build.sh: libbpf headers >= 1.2 not found (run ./javaland deps)" >&2; exit 1; }

# An object is fresh when it is newer than every header it may include.
fresh() {
  local h
  for h in "$here"/*.h "$here/include/vmlinux.h"; do [ "$1" -nt "$h" ] || return 1; done
}

mkdir -p "$out"
for src in "${sources[@]}"; do
  case "$src" in /*) ;; *) src="$here/$src" ;; esac
  obj="$out/$(basename "${src%.c}").o"
  # Only rebuild when the source or a header is newer than the object.
  if [ -f "$obj" ] && [ "$obj" -nt "$src" ] && fresh "$obj"; then
    continue
  fi
  "$clang" -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 \
    -I"$here/include" -I"$here" -I"$inc" \
    -fms-extensions -Wno-microsoft-anon-tag -Wall -Wno-unused-function -Wno-compare-distinct-pointer-types \
    -c "$src" -o "$obj"
  # An object that silently lost its programs is what sank hello-ebpf's first build: refuse it.
  if [ "$(basename "$src")" = javaland.bpf.c ] && ! grep -aq "javaland_ops" "$obj"; then
    echo "bpf/build.sh: $obj has no javaland_ops struct_ops map" >&2; exit 1
  fi
  echo "bpf/build.sh: built $obj with $clang" >&2
done
