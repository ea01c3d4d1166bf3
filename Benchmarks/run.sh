#!/usr/bin/env bash
# Times `qcowscope check` against `qemu-img check` on the benchmark images, side by side:
# runs alternate (ours, qemu, ours, qemu, ...) after one warm-up run each, so both see the same
# page cache; the medians of wall time and peak RSS (/usr/bin/time "%M") are compared with the
# goals: wall time <= 0.25 x qemu-img's, peak RSS <= 1.5 x qemu-img's.
#
#   Benchmarks/run.sh                 build (release, static Swift stdlib), make images, measure
#   RUNS=9 Benchmarks/run.sh          more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/run.sh  measure an existing binary instead of building one
#   Benchmarks/run.sh IMAGE...        only these images (names in Benchmarks/images/)
#
# Add another comparison with `bench_pair LABEL IMAGE "OUR COMMAND" "QEMU COMMAND"`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "run.sh: $TIME is missing (apt-get install time)" >&2; exit 1; }
command -v qemu-img >/dev/null || { echo "run.sh: qemu-img is missing (apt-get install qemu-utils)" >&2; exit 1; }

if [[ -z "${QCOWSCOPE:-}" ]]; then
    # A statically linked Swift runtime is what keeps a small image's RSS near qemu-img's: the
    # shared Swift libraries alone dirty several MiB of relocated data.
    swift build -c release --static-swift-stdlib --scratch-path .build-bench --product qcowscope >&2
    QCOWSCOPE=$(swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/qcowscope
fi
Benchmarks/make-images.sh >&2

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs "$@" once; prints "seconds kilobytes": wall time from the clock in nanoseconds (time's
# own %e has 10 ms steps, too coarse for the fast cases), peak RSS from /usr/bin/time's %M.
measure() {
    local out start end
    out=$(mktemp)
    start=$(date +%s%N)
    "$TIME" -f "%M" -o "$out" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }') $(tail -1 "$out")"
    rm -f "$out"
}

failures=0
printf '%-28s %-8s %10s %10s %8s %10s %10s %8s  %s\n' image tool "ours s" "qemu s" ratio "ours MiB" "qemu MiB" ratio verdict
bench_pair() {  # label, image, our command, qemu command
    local label=$1 image=$2 ours=$3 theirs=$4
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
    awk -v img="$image" -v tool="$label" -v o="$o" -v q="$q" -v om="$orss" -v qm="$qrss" 'BEGIN {
        tr = q > 0 ? o / q : 0; mr = qm > 0 ? om / qm : 0
        verdict = (tr <= 0.25 ? "time ok" : "time MISSED") ", " (mr <= 1.5 ? "rss ok" : "rss MISSED")
        printf "%-28s %-8s %10.4f %10.4f %7.3fx %10.1f %10.1f %7.2fx  %s\n", img, tool, o, q, tr, om / 1024, qm / 1024, mr, verdict
        exit (tr <= 0.25 && mr <= 1.5) ? 0 : 1 }' || failures=$((failures + 1))
}

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
    bench_pair check "$name" "\"$QCOWSCOPE\" check --json \"$img\"" "qemu-img check --output=json \"$img\""
done

# The guest map and bitmaps: qcowscope map/bitmaps against qemu-img map and qemu-nbd (same binary).
QCOWSCOPE="$QCOWSCOPE" RUNS="$RUNS" Benchmarks/map.sh || failures=$((failures + 1))
exit $(( failures > 0 ))
