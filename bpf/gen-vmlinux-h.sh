#!/usr/bin/env bash
# Regenerate bpf/include/vmlinux.h from the BTF of a Debian sched_ext kernel.
#
#   bpf/gen-vmlinux-h.sh [VMLINUZ]
#
# Without an argument it takes the kernel the VM test bed uses (testbed/kernel.sh).
# The header is committed so that the build never depends on the build host's kernel: a BPF
# object built against a host without sched_ext would silently lack the scheduler's types.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vmlinuz=${1:-$("$here/../testbed/kernel.sh")}
command -v bpftool >/dev/null || { echo "gen-vmlinux-h.sh: bpftool missing (apt-get install bpftool)" >&2; exit 1; }
command -v zstd >/dev/null || { echo "gen-vmlinux-h.sh: zstd missing (apt-get install zstd)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bzImage: the setup header says where the compressed payload starts (0x248, relative to the
# protected-mode code, which follows (setup_sects + 1) * 512 bytes) and how long it is (0x24c).
python3 - "$vmlinuz" "$tmp/payload" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
setup_sects = d[0x1f1] or 4
off, length = struct.unpack_from('<II', d, 0x248)
start = (setup_sects + 1) * 512 + off
payload = d[start:start + length]
if payload[:4] != bytes.fromhex('28b52ffd'):
    sys.exit('gen-vmlinux-h.sh: payload of %s is not zstd (magic %s)' % (sys.argv[1], payload[:4].hex()))
open(sys.argv[2], 'wb').write(payload)
PY
# zstd complains about the 4-byte size trailer after writing the whole ELF: that is expected.
zstd -d -c --long=31 < "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true
head -c 4 "$tmp/vmlinux" | grep -q ELF || { echo "gen-vmlinux-h.sh: could not decompress $vmlinuz" >&2; exit 1; }
bpftool btf dump file "$tmp/vmlinux" format c > "$tmp/vmlinux.h" 2>/dev/null
grep -q "struct sched_ext_ops {" "$tmp/vmlinux.h" || { echo "gen-vmlinux-h.sh: $vmlinuz has no sched_ext types" >&2; exit 1; }
mv "$tmp/vmlinux.h" "$here/include/vmlinux.h"
echo "gen-vmlinux-h.sh: wrote $here/include/vmlinux.h from $vmlinuz" >&2
