#!/usr/bin/env bash
# Times `qcowscope check` against `qemu-img check` on the benchmark images, side by side:
# runs alternate (ours, qemu, ours, qemu, ...) after one warm-up run each, so both see the same
# page cache; the medians of wall time and peak RSS (/usr/bin/time "%M") are compared with the
# goals: wall time <= 0.25 x qemu-img's, peak RSS <= 1.5 x qemu-img's.
#
#   Benchmarks/run.sh                 build (`make release`), make images, measure
#   RUNS=9 Benchmarks/run.sh          more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/run.sh  measure an existing binary instead of building one
#   Benchmarks/run.sh IMAGE...        only these images (names in Benchmarks/images/)
#
# Add another comparison with `bench_pair LABEL IMAGE "OUR COMMAND" "QEMU COMMAND" TIME_GOAL [RSS_GOAL]`
# (Benchmarks/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
print_header

# The check numbers must agree before timing means anything.
same_numbers() {
    local image=$1
    diff <("$QCOWSCOPE" check --json "$image" | python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k, None) for k in ("findings","finding-counts","could-not-check")]; print(json.dumps(d, sort_keys=True))') \
         <(qemu-img check --output=json "$image" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))') >/dev/null \
        || { echo "run.sh: qcowscope and qemu-img disagree on $image" >&2; failures=$((failures + 1)); }
}

images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=(prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2)
for name in "${images[@]}"; do
    img=Benchmarks/images/$name
    same_numbers "$img"
    bench_pair check "$name" "\"$QCOWSCOPE\" check --json \"$img\"" "qemu-img check --output=json \"$img\"" 0.25 1.5
done

# The guest map and bitmaps: qcowscope map/bitmaps against qemu-img map and qemu-nbd (same binary).
Benchmarks/map.sh || failures=$((failures + 1))
exit $(( failures > 0 ))
