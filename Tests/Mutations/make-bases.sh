#!/usr/bin/env bash
# Creates the small, realistic base images the mutation corpus is cut from (Tests/Mutations/base/).
#
# Run once by hand (needs qemu-img and qemu-io); the results are committed, so make-corpus.py and the
# hostile tests never need qemu. Snapshot dates differ on every run: that is why the bases are
# committed rather than regenerated, which keeps the corpus byte-for-byte reproducible.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/base"
mkdir -p "$out"
cd "$out"
rm -f ./*.qcow2 ./*.raw

io() { local f=$1; shift; local a=(); for c in "$@"; do a+=(-c "$c"); done; qemu-io -f qcow2 "${a[@]}" "$f" >/dev/null; }

# rich.qcow2: v3, 1 KiB clusters (small files, several L2 tables), 1 MiB: data, a zero cluster,
# compressed clusters, two snapshots (COW after the first), two persistent bitmaps that recorded writes.
qemu-img create -q -f qcow2 -o cluster_size=1k rich.qcow2 1M
qemu-img bitmap --add -g 1k rich.qcow2 fine
qemu-img bitmap --add -g 64k rich.qcow2 coarse
io rich.qcow2 'write -P 0x11 0 4k' 'write -P 0x22 512k 2k' 'write -z 16k 1k' 'write -c -P 0x33 768k 2k'
qemu-img snapshot -c first rich.qcow2
io rich.qcow2 'write -P 0x44 1k 1k' 'write -P 0x55 900k 1k'
qemu-img snapshot -c second rich.qcow2

# v2.qcow2: compat=0.10, 512-byte clusters, 1 MiB, a snapshot.
qemu-img create -q -f qcow2 -o compat=0.10,cluster_size=512 v2.qcow2 1M
io v2.qcow2 'write -P 0x61 0 2k' 'write -P 0x62 512k 1k'
qemu-img snapshot -c snap v2.qcow2
io v2.qcow2 'write -P 0x63 0 512'

# extl2.qcow2: extended L2 entries, 16 KiB clusters (512-byte subclusters), subcluster writes/zeros.
qemu-img create -q -f qcow2 -o extended_l2=on,cluster_size=16k extl2.qcow2 256k
io extl2.qcow2 'write -P 0x71 0 1k' 'write -z 4k 2k' 'write -P 0x72 64k 16k' 'write -c -P 0x73 128k 16k'

# zstd.qcow2: compression_type=zstd with compressed clusters; refcount_bits=64.
qemu-img create -q -f qcow2 -o cluster_size=4k,compression_type=zstd,refcount_bits=64 zstd.qcow2 1M
io zstd.qcow2 'write -c -P 0x81 0 4k' 'write -c -P 0x82 8k 8k' 'write -P 0x83 64k 4k'

# backed.qcow2 -> backing.raw (relative name, format extension): the chain mutations rename it.
qemu-img create -q -f raw backing.raw 256k
qemu-img create -q -f qcow2 -o cluster_size=4k -b backing.raw -F raw backed.qcow2 1M
io backed.qcow2 'write -P 0x91 4k 4k'

ls -l "$out"
