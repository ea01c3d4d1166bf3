#!/usr/bin/env bash
# Times `qcowscope map --json` against `qemu-img map --output=json` on the benchmark images, side
# by side: outputs must be byte-identical first; then runs alternate (ours, qemu, ours, ...) after
# one warm-up each, and the medians of wall time and peak RSS (/usr/bin/time "%M") are printed
# with the ratio. Goal: wall time <= 0.5 x qemu-img's.
# Also times `qcowscope bitmaps --json` against an NBD client reading the same dirty bitmap
# (`nbdinfo --map=qemu:dirty-bitmap:b64k -- [ qemu-nbd -r ... ]`) on a 4 TiB disk at 64 KiB
# granularity, after checking that the dirty ranges agree.
#
#   Benchmarks/map.sh                  build (release, static stdlib), make images, measure
#   RUNS=9 Benchmarks/map.sh           more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/map.sh   measure an existing binary (run.sh passes its own)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "map.sh: $TIME is missing (apt-get install time)" >&2; exit 1; }
command -v qemu-img >/dev/null || { echo "map.sh: qemu-img is missing (apt-get install qemu-utils)" >&2; exit 1; }

if [[ -z "${QCOWSCOPE:-}" ]]; then
    swift build -c release --static-swift-stdlib --scratch-path .build-bench --product qcowscope >&2
    QCOWSCOPE=$(swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/qcowscope
fi
Benchmarks/make-images.sh >&2

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

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {  # runs "$@" once; prints "seconds kilobytes"
    local out
    out=$(mktemp)
    "$TIME" -f "%e %M" -o "$out" "$@" >/dev/null 2>&1 || true
    tail -1 "$out"
    rm -f "$out"
}

failures=0
printf '%-28s %-8s %10s %10s %8s %10s %10s %8s  %s\n' image tool "ours s" "qemu s" ratio "ours MiB" "qemu MiB" ratio verdict
bench_pair() {  # label, image, our command, their command, goal ratio
    local label=$1 image=$2 ours=$3 theirs=$4 goal=$5
    local -a ot=() om=() qt=() qm=()
    eval "$ours" >/dev/null 2>&1 || true
    eval "$theirs" >/dev/null 2>&1 || true
    for ((r = 0; r < RUNS; r++)); do
        read -r t m < <(eval "measure $ours"); ot+=("$t"); om+=("$m")
        read -r t m < <(eval "measure $theirs"); qt+=("$t"); qm+=("$m")
    done
    local o q orss qrss
    o=$(printf '%s\n' "${ot[@]}" | median); q=$(printf '%s\n' "${qt[@]}" | median)
    orss=$(printf '%s\n' "${om[@]}" | median); qrss=$(printf '%s\n' "${qm[@]}" | median)
    awk -v img="$image" -v tool="$label" -v o="$o" -v q="$q" -v om="$orss" -v qm="$qrss" -v goal="$goal" 'BEGIN {
        tr = q > 0 ? o / q : 0; mr = qm > 0 ? om / qm : 0
        verdict = tr <= goal ? "time ok (goal " goal "x)" : "time MISSED (goal " goal "x)"
        printf "%-28s %-8s %10.3f %10.3f %7.3fx %10.1f %10.1f %7.2fx  %s\n", img, tool, o, q, tr, om / 1024, qm / 1024, mr, verdict
        exit tr <= goal ? 0 : 1 }' || failures=$((failures + 1))
}

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
