#!/usr/bin/env bash
# Times `qcowscope diff` side by side with what issue 11 measures it against (Benchmarks/lib.sh's
# bench_pair: one warm-up run each, then RUNS alternating runs, medians and their ratio):
#
#   - metadata diff between two snapshots of the 64 GiB fragmented image (round2 -> round3)
#     against our own `check` of the same image: goal <= 1x;
#   - metadata diff of an overlay on the 4 TiB preallocated image against its backing file,
#     against our own `check` of the 4 TiB image: goal <= 1x;
#   - `diff --content` between the two snapshots against `qemu-img compare` of the two states
#     exported to raw with `qemu-img convert -l snapshot.name=...` (exports made once, kept in
#     Benchmarks/images, sparse): goal < 1x, ratio printed. Note that qemu-img compare stops at the
#     first difference (exit 1) while `diff --content` reads every changed cluster on both sides;
#     the ratio says how much more than that first-difference answer the full one costs;
#   - the same `diff --content` against exporting both states and comparing them (what it takes
#     without qcowscope: the exports made in each run): goal < 1x.
#
#   Benchmarks/diff.sh                 build (`make release`), make images, measure
#   QCOWSCOPE=path Benchmarks/diff.sh  measure an existing binary
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

images=Benchmarks/images
random=$images/random-64g-4k.qcow2
base4t=$images/prealloc-4t-2m.qcow2
overlay=$images/overlay-4t.qcow2

# An overlay with a few scattered writes on the 4 TiB image (kept; remade when the base is newer).
if [[ ! -f $overlay || $base4t -nt $overlay ]]; then
    rm -f "$overlay"
    qemu-img create -q -f qcow2 -b "$(basename "$base4t")" -F qcow2 "$overlay"
    qemu-io -c 'write -P 1 0 1M' -c 'write -P 2 1T 4M' -c 'write -z 3T 2M' "$overlay" >/dev/null
fi
# The two snapshot states as raw files for qemu-img compare (sparse: 64 GiB apparent each).
for snap in round2 round3; do
    raw=$images/random-64g-4k.$snap.raw
    if [[ ! -f $raw || $random -nt $raw ]]; then
        qemu-img convert -U -l "snapshot.name=$snap" -O raw -S 4k "$random" "$raw.part" && mv -f "$raw.part" "$raw"
    fi
done

# The metadata diff must see every change the raw exports show; compare once before timing.
"$QCOWSCOPE" diff --json --from round2 --to round3 "$random" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("diff round2 -> round3: %d extents, %d changed bytes" % (len(d["extents"]), d["changed-bytes"]), file=sys.stderr)'

print_header
bench_pair diff-vs-check random-64g-4k.qcow2 \
    "\"$QCOWSCOPE\" diff --json --from round2 --to round3 \"$random\"" "\"$QCOWSCOPE\" check --json \"$random\"" 1.0
bench_pair diff-vs-check overlay-4t.qcow2 \
    "\"$QCOWSCOPE\" diff --json \"$overlay\"" "\"$QCOWSCOPE\" check --json \"$base4t\"" 1.0
bench_pair content random-64g-4k.qcow2 \
    "\"$QCOWSCOPE\" diff --content --json --from round2 --to round3 \"$random\"" \
    "qemu-img compare -q -f raw -F raw \"$images/random-64g-4k.round2.raw\" \"$images/random-64g-4k.round3.raw\"" 1.0
# What a user without `diff --content` runs to learn what changed in content: export both states
# with -l, then compare (the exports are not kept, so each run pays for them). EXPORT_ROW=0 skips it.
if [[ ${EXPORT_ROW:-1} == 1 ]]; then
    tmp=$images/.diff-bench-export
    bench_pair content-vs-export random-64g-4k.qcow2 \
        "\"$QCOWSCOPE\" diff --content --json --from round2 --to round3 \"$random\"" \
        "bash -c 'qemu-img convert -U -l snapshot.name=round2 -O raw -S 4k \"$random\" \"$tmp.a\" && qemu-img convert -U -l snapshot.name=round3 -O raw -S 4k \"$random\" \"$tmp.b\" && qemu-img compare -q -f raw -F raw \"$tmp.a\" \"$tmp.b\"; rm -f \"$tmp.a\" \"$tmp.b\"'" 1.0
fi
echo "(the 'qemu s' column is our check for diff-vs-check rows, qemu-img compare for the content row, export + compare for content-vs-export)"
exit $(( failures > 0 ))
