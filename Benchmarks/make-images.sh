#!/usr/bin/env bash
# Makes the benchmark images in Benchmarks/images/ (git-ignored) with qemu-img / qemu-io.
# Sparse files: they take little real disk space whatever their virtual size. Existing images
# are kept; pass --force to rebuild them.
#
#   prealloc-1t-64k.qcow2   1 TiB, 64 KiB clusters, preallocation=metadata (16.8 M host clusters)
#   prealloc-4t-2m.qcow2    4 TiB, 2 MiB clusters, preallocation=metadata (2.1 M host clusters)
#   random-64g-4k.qcow2     64 GiB, 4 KiB clusters, 4 rounds of 10,000 random writes (4-64 KiB)
#                           with a snapshot after each of the first three rounds
#   prealloc-16t-64k.qcow2  16 TiB, 64 KiB clusters, preallocation=metadata (268 M host clusters,
#                           2.5 GiB of metadata on disk), only with --scale (Benchmarks/scale.sh)
#
#   Benchmarks/make-images.sh [--force] [--scale]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p images
# One maker at a time (benchmark scripts may run side by side), and each image is built under a
# temporary name and renamed when complete, so a reader never sees a half-made image.
exec 9>images/.lock
flock 9
force=0 scale=0
for arg in "$@"; do
    case $arg in
        --force) force=1 ;;
        --scale) scale=1 ;;
        *) echo "make-images.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

make_image() {  # name, then the command that makes $out (DIR/.NAME.part; DIR is $into, default images)
    local name=$1 dir=${into:-images}; shift
    if [[ $force == 0 && -f $dir/$name ]]; then echo "keep   $dir/$name"; return; fi
    out=$dir/.$name.part
    rm -f "$out"
    echo "make   $dir/$name"
    local start=$SECONDS
    "$@"
    mv -f "$out" "$dir/$name"
    echo "       $(( SECONDS - start )) s, $(du -h --apparent-size "$dir/$name" | cut -f1) apparent, $(du -h "$dir/$name" | cut -f1) on disk"
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
if [[ $scale == 1 ]]; then
    # The file is a little over 16 TiB (the tables come on top of the data clusters' space), more
    # than ext4 holds in one file (16 TiB - 4 KiB). On such a file system the image goes to
    # SCALE_DIR (default /dev/shm/qcowscope-images: tmpfs, 2.5 GiB of memory while it is kept)
    # and images/ gets a symbolic link to it.
    name=prealloc-16t-64k.qcow2 into=images
    if ! truncate -s 17T images/.size-probe 2>/dev/null; then
        into=${SCALE_DIR:-/dev/shm/qcowscope-images}
        mkdir -p "$into"
    fi
    rm -f images/.size-probe
    if [[ $force == 1 || ! -f $into/$name ]]; then
        # 2.5 GiB of tables, written once: refuse when there is not room to spare.
        free_kib=$(df -Pk "$into" | awk 'NR == 2 { print $4 }')
        (( free_kib > 6 * 1024 * 1024 )) || { echo "make-images.sh: less than 6 GiB free in $into for the 16 TiB image" >&2; exit 1; }
    fi
    make_image "$name" make_prealloc 16T 64k
    [[ $into == images ]] || ln -sfn "$(cd "$into" && pwd)/$name" "images/$name"
fi
