#!/usr/bin/env bash
# Makes the benchmark images in Benchmarks/images/ (git-ignored) with qemu-img / qemu-io.
# Sparse files: they take little real disk space whatever their virtual size. Existing images
# are kept; pass --force to rebuild them.
#
#   prealloc-1t-64k.qcow2   1 TiB, 64 KiB clusters, preallocation=metadata (16.8 M host clusters)
#   prealloc-4t-2m.qcow2    4 TiB, 2 MiB clusters, preallocation=metadata (2.1 M host clusters)
#   random-64g-4k.qcow2     64 GiB, 4 KiB clusters, 4 rounds of 10,000 random writes (4-64 KiB)
#                           with a snapshot after each of the first three rounds
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p images
# One maker at a time (benchmark scripts may run side by side), and each image is built under a
# temporary name and renamed when complete, so a reader never sees a half-made image.
exec 9>images/.lock
flock 9
force=0
[[ "${1:-}" == "--force" ]] && force=1

make_image() {  # name, then the command that makes $out (images/.NAME.part)
    local name=$1; shift
    if [[ $force == 0 && -f images/$name ]]; then echo "keep   images/$name"; return; fi
    out=images/.$name.part
    rm -f "$out"
    echo "make   images/$name"
    local start=$SECONDS
    "$@"
    mv -f "$out" "images/$name"
    echo "       $(( SECONDS - start )) s, $(du -h --apparent-size "images/$name" | cut -f1) apparent, $(du -h "images/$name" | cut -f1) on disk"
}

random_writes() {  # image, seed, count: deterministic qemu-io script of random writes
    awk -v seed="$2" -v n="$3" 'BEGIN {
        srand(seed); disk = 64 * 1024 * 1024 * 1024
        for (i = 0; i < n; i++) {
            len = (1 + int(rand() * 16)) * 4096
            off = int(rand() * (disk - len) / 4096) * 4096
            printf "write -q -P %d %.0f %d\n", 1 + i % 250, off, len
        }
    }' | qemu-io -f qcow2 "$1" >/dev/null
}

make_random() {
    local img=$out
    qemu-img create -q -f qcow2 -o cluster_size=4k "$img" 64G
    for round in 1 2 3 4; do
        random_writes "$img" "$round" 10000
        if (( round < 4 )); then qemu-img snapshot -c "round$round" "$img"; fi
    done
}

make_prealloc() {  # size, cluster size
    qemu-img create -q -f qcow2 -o "preallocation=metadata,cluster_size=$2" "$out" "$1"
}

make_image prealloc-1t-64k.qcow2 make_prealloc 1T 64k
make_image prealloc-4t-2m.qcow2 make_prealloc 4T 2M
make_image random-64g-4k.qcow2 make_random
