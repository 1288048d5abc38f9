#!/usr/bin/env bash
# Compile the BPF scheduler: build.sh OUTDIR  -> OUTDIR/javaland.bpf.o
# Needs clang >= 16 and libbpf's headers (>= 1.2 for .struct_ops.link); fails loudly otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR}
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

mkdir -p "$out"
"$clang" -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 \
  -I"$here/include" -I"$here" -I"$inc" \
  -fms-extensions -Wno-microsoft-anon-tag -Wall -Wno-unused-function -Wno-compare-distinct-pointer-types \
  -c "$here/javaland.bpf.c" -o "$out/javaland.bpf.o"
# An object without the struct_ops map is the silent failure hello-ebpf hit: refuse it.
if ! llvm-objdump-16 -h "$out/javaland.bpf.o" 2>/dev/null | grep -q struct_ops && \
   ! grep -aq "javaland_ops" "$out/javaland.bpf.o"; then
  echo "bpf/build.sh: $out/javaland.bpf.o has no struct_ops section" >&2; exit 1
fi
echo "bpf/build.sh: built $out/javaland.bpf.o with $clang" >&2
