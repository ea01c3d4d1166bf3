#!/usr/bin/env bash
# Times `qcowscope space --json` against our own `qcowscope check --json` on the same image, side by
# side (issue 10): a 1 TiB guest disk holding a 1 TiB ext4 (mkfs.ext4 on a sparse raw, a few files,
# then `qemu-img convert -O qcow2`) and a 64 GiB disk holding XFS. Goals: space's wall time <= 2 x
# check's, its peak RSS <= 1.5 x check's. The "qemu" columns of the table are `check` here.
#
#   Benchmarks/space.sh                  build (`make release`), make images, measure
#   RUNS=9 Benchmarks/space.sh           more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/space.sh   measure an existing binary
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
for tool in mkfs.ext4 mkfs.xfs; do
    command -v "$tool" >/dev/null || { echo "space.sh: $tool is missing (apt-get install e2fsprogs xfsprogs)" >&2; exit 1; }
done

# Guest disks made once (kept in Benchmarks/images, git-ignored; sparse, a few MiB on disk each).
guest_image() {  # name, size, mkfs command (the raw file is appended; @TREE@ names a directory of files)
    local name=$1 size=$2; shift 2
    local img=Benchmarks/images/$name
    [[ -f $img ]] && return
    echo "make   $img" >&2
    local work
    work=$(mktemp -d)
    mkdir -p "$work/tree"
    for i in $(seq 1 40); do head -c $(( i * 100000 )) /dev/urandom > "$work/tree/file$i"; done
    truncate -s "$size" "$work/disk.raw"
    local -a command=()
    for arg in "$@"; do command+=("${arg//@TREE@/$work/tree}"); done
    "${command[@]}" "$work/disk.raw" >/dev/null
    qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$img.part"
    mv "$img.part" "$img"
    rm -rf "$work"
}
guest_image ext4-1t-guest.qcow2 1T mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 -d @TREE@
guest_image xfs-64g-guest.qcow2 64G mkfs.xfs -q -f

print_header
for name in ext4-1t-guest.qcow2 xfs-64g-guest.qcow2; do
    img=Benchmarks/images/$name
    "$QCOWSCOPE" space "$img" >&2 || true
    bench_pair space "$name" "\"$QCOWSCOPE\" space --json \"$img\"" "\"$QCOWSCOPE\" check --json \"$img\"" 2.0 1.5
done
exit $(( failures > 0 ))
