#!/usr/bin/env bash
# How the scan holds as images grow (issue 15), on the 16 TiB/64 KiB preallocated image
# (Benchmarks/make-images.sh --scale: 268 M host clusters, 2.5 GiB of tables) beside the 1 TiB one:
#   time     `check --json` on 16 TiB / on 1 TiB, warm page cache (goal <= 17x: linear in the
#            metadata, which is 16x; qemu-img check's own ratio beside it)
#   memory   peak RSS (/usr/bin/time's %M) of `check --json` and of `qemu-img check` on 16 TiB
#            (goal: ours <= qemu-img's)
#   frame    the explorer's first frame on 16 TiB, from the fork to the frame on the terminal, in a
#            200x60 pseudo-terminal (Benchmarks/first-frame.py; goal < 100 ms; the scan runs in the
#            background by design)
# Medians of RUNS runs of ours (default 5) after one warm-up; qemu-img check takes about half a
# minute on 16 TiB, so it runs QEMU_RUNS times (default 1) after its warm-up.
#
#   Benchmarks/scale.sh                  build (`make release`), make the images, measure
#   RUNS=9 QEMU_RUNS=3 Benchmarks/scale.sh
#   QCOWSCOPE=path Benchmarks/scale.sh   measure an existing binary
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
Benchmarks/make-images.sh --scale >&2
command -v python3 >/dev/null || { echo "scale.sh: python3 is missing (for first-frame.py)" >&2; exit 1; }
QEMU_RUNS=${QEMU_RUNS:-1}
small=Benchmarks/images/prealloc-1t-64k.qcow2
large=Benchmarks/images/prealloc-16t-64k.qcow2

# medians N COMMAND...: one warm-up, then N runs; prints "median-seconds median-kilobytes".
medians() {
    local n=$1 t m r times="" rss=""
    shift
    "$@" >/dev/null 2>&1 || true
    for ((r = 0; r < n; r++)); do
        read -r t m < <(measure "$@")
        times+="$t"$'\n'; rss+="$m"$'\n'
    done
    echo "$(median <<<"${times%$'\n'}") $(median <<<"${rss%$'\n'}")"
}

verdict() {  # OK-EXPRESSION-RESULT GOAL-TEXT
    if [[ $1 == 1 ]]; then echo "ok ($2)"; else failures=$((failures + 1)); echo "MISSED ($2)"; fi
}

read -r o1 m1 < <(medians "$RUNS" "$QCOWSCOPE" check --json "$small")
read -r o16 m16 < <(medians "$RUNS" "$QCOWSCOPE" check --json "$large")
read -r q1 qm1 < <(medians "$QEMU_RUNS" qemu-img check --output=json "$small")
read -r q16 qm16 < <(medians "$QEMU_RUNS" qemu-img check --output=json "$large")
read -r frame1 _ < <(Benchmarks/first-frame.py --runs "$RUNS" "$QCOWSCOPE" "$small")
read -r frame16 frames < <(Benchmarks/first-frame.py --runs "$RUNS" "$QCOWSCOPE" "$large")

printf '%-34s %12s %12s %9s  %s\n' measure "1 TiB" "16 TiB" "16T / 1T" verdict
line() {  # LABEL SMALL LARGE RATIO VERDICT
    printf '%-34s %12s %12s %9s  %s\n' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
linear=$(awk -v a="$o1" -v b="$o16" 'BEGIN { print (b / a <= 17) }')
line "check time, ours" "$(ms "$o1")" "$(ms "$o16")" "$(ratio "$o1" "$o16")" "$(verdict "$linear" "goal <= 17x")"
line "check time, qemu-img" "$(ms "$q1")" "$(ms "$q16")" "$(ratio "$q1" "$q16")" ""
line "peak RSS, ours" "$(mib "$m1")" "$(mib "$m16")" "$(ratio "$m1" "$m16")" ""
line "peak RSS, qemu-img" "$(mib "$qm1")" "$(mib "$qm16")" "$(ratio "$qm1" "$qm16")" ""
memory=$(awk -v o="$m16" -v q="$qm16" 'BEGIN { print (o <= q) }')
line "peak RSS on 16 TiB, ours / qemu-img" "" "$(awk -v o="$m16" -v q="$qm16" 'BEGIN { printf "%.2fx", o / q }')" "" \
    "$(verdict "$memory" "goal <= 1x")"
fast=$(awk -v f="$frame16" 'BEGIN { print (f < 100) }')
line "explorer first frame" "$frame1 ms" "$frame16 ms" "" "$(verdict "$fast" "goal < 100 ms on 16 TiB; runs: $frames")"
exit $(( failures > 0 ))
