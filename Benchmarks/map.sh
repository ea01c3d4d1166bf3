#!/usr/bin/env bash
# Times `qcowscope map --json` against `qemu-img map --output=json` on the benchmark images, side
# by side: outputs must be byte-identical first; then runs alternate (ours, qemu, ours, ...) after
# one warm-up each, and the medians of wall time and peak RSS (/usr/bin/time "%M") are printed
# with the ratio. Goal: wall time <= 0.5 x qemu-img's.
# Also times `qcowscope bitmaps --json` against an NBD client reading the same dirty bitmap
# (`nbdinfo --map=qemu:dirty-bitmap:b64k -- [ qemu-nbd -r ... ]`) on a 4 TiB disk at 64 KiB
# granularity, after checking that the dirty ranges agree.
#
#   Benchmarks/map.sh                  build (`make release`), make images, measure
#   RUNS=9 Benchmarks/map.sh           more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/map.sh   measure an existing binary (run.sh passes its own)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

# 4 TiB, 64 KiB clusters, one 64 KiB-granularity bitmap recording 20,000 random 4 KiB writes.
bitmap_image=Benchmarks/images/bitmap-4t-64k.qcow2
if [[ ! -f $bitmap_image ]]; then
    echo "make   $bitmap_image" >&2
    qemu-img create -q -f qcow2 "$bitmap_image" 4T
    qemu-img bitmap --add -g 64k "$bitmap_image" b64k
    python3 -c 'import random
random.seed(7)
for i in range(20000): print("write -q -P 7 %d 4096" % (random.randrange(1 << 30) * 4096))' \
        | qemu-io -f qcow2 "$bitmap_image" >/dev/null
fi

print_header
for name in prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2; do
    img=Benchmarks/images/$name
    if ! cmp -s <("$QCOWSCOPE" map --json "$img") <(qemu-img map --output=json "$img"); then
        echo "map.sh: qcowscope map and qemu-img map disagree on $img" >&2
        failures=$((failures + 1))
    fi
    bench_pair map "$name" "\"$QCOWSCOPE\" map --json \"$img\"" "qemu-img map --output=json \"$img\"" 0.5
done

if command -v nbdinfo >/dev/null && command -v qemu-nbd >/dev/null; then
    nbd="nbdinfo --map=qemu:dirty-bitmap:b64k -- [ qemu-nbd -r -f qcow2 -B b64k \"$bitmap_image\" ]"
    ours_ranges=$("$QCOWSCOPE" bitmaps --json "$bitmap_image" | python3 -c 'import json,sys
for e in json.load(sys.stdin)["bitmaps"][0]["dirty-extents"]: print(e["start"], e["length"])')
    nbd_ranges=$(eval "$nbd" | awk '$3 == 1 { if (n && s + l == $1) l += $2; else { if (n) print s, l; s = $1; l = $2; n = 1 } } END { if (n) print s, l }')
    if [[ "$ours_ranges" != "$nbd_ranges" ]]; then
        echo "map.sh: qcowscope bitmaps and qemu-nbd disagree on $bitmap_image" >&2
        failures=$((failures + 1))
    fi
    bench_pair bitmaps "$(basename "$bitmap_image")" "\"$QCOWSCOPE\" bitmaps --json \"$bitmap_image\"" "$nbd" 1.0
fi
exit $(( failures > 0 ))
