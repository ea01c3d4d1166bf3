#!/usr/bin/env bash
# Times `qcowscope survey --json` against a shell loop running `qemu-img check --output=json` and
# `qemu-img info --output=json` on each image (what a script does today), side by side (issue 12):
#
#   fixtures x2000   2,015 images: 65 copies of the 31 qcow2 fixtures (with their raw backing and
#                    data files), made once under Benchmarks/images/survey-copies (git-ignored)
#   big x3           the three benchmark images (1 TiB, 4 TiB, 64 GiB; links in survey-big/)
#   small x10000     10,000 small images (copies of 10 small clean fixtures, 100 per directory):
#                    survey over all 10,000; the qemu-img loop over 1,000 of them (d001-d010),
#                    its time multiplied by 10 (its cost is linear: one pair of processes per image)
#
# Goals: wall time <= 0.25 x the loop's; peak RSS below 1.5 x one scan of the largest image
# (`qcowscope check --json` on it) x --jobs. --jobs is the number of cores (the default).
#
#   Benchmarks/survey.sh                  build (`make release`), make images and copies, measure
#   RUNS=3 Benchmarks/survey.sh           more runs per tool (default 1: the loop takes minutes)
#   QCOWSCOPE=path Benchmarks/survey.sh   measure an existing binary
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
source Benchmarks/lib.sh

copies=Benchmarks/images/survey-copies
jobs=$(nproc)
make_copies() {
    local src=Tests/Fixtures/images i j dir
    for i in $(seq -w 1 65); do
        dir=$copies/fixtures/set-$i
        [[ -d $dir ]] && continue
        mkdir -p "$dir.part" && cp "$src"/* "$dir.part/" && mv "$dir.part" "$dir"
    done
    local small="v3 v2 zlib zstd lazy c4k rc1 rc64 extl2 zero"
    for i in $(seq -w 1 100); do
        dir=$copies/small/d$i
        [[ -d $dir ]] && continue
        mkdir -p "$dir.part"
        for j in $(seq -w 1 10); do for s in $small; do cp "$src/$s.qcow2" "$dir.part/$s-$j.qcow2"; done; done
        mv "$dir.part" "$dir"
    done
    mkdir -p "$copies/big"
    for name in prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2; do
        ln -sfn "../../$name" "$copies/big/$name"
    done
}
echo "copies under $copies (made once)" >&2
make_copies

# The loop a script runs today: both qemu-img commands on every qcow2 image under the paths.
loop() { printf '%q ' bash -c 'find -L "$@" -type f -name "*.qcow2" -print0 | while IFS= read -r -d "" f; do
    qemu-img check --output=json "$f"; qemu-img info --output=json "$f"; done' loop "$@"; }
survey() { printf '%q ' "$QCOWSCOPE" survey --json --jobs "$jobs" "$@"; }

# One scan of the largest image: the memory unit of the goal.
largest=$(ls -S Benchmarks/images/*.qcow2 | head -1)
read -r _ scan_kb < <(measure "$QCOWSCOPE" check --json "$largest")
echo "one scan of ${largest##*/}: $((scan_kb / 1024)) MiB peak RSS; --jobs $jobs" >&2

print_header
# Wall time against the loop, then the survey's peak RSS against 1.5 x one scan x jobs.
bench_survey() {  # label, our paths, the loop's paths, loop time factor
    local label=$1 ours=$2 theirs=$3 factor=$4
    if [[ $factor == 1 ]]; then
        bench_pair survey "$label" "$(survey $ours)" "$(loop $theirs)" 0.25
    else
        local t m qt
        read -r t m < <(eval "measure $(survey $ours)")
        read -r qt _ < <(eval "measure $(loop $theirs)")
        awk -v img="$label" -v o="$t" -v q="$(awk -v q="$qt" -v f="$factor" 'BEGIN { print q * f }')" -v om="$m" 'BEGIN {
            tr = o / q; printf "%-28s %-8s %10.4f %10.4f %7.3fx %10.1f %10s %8s  time %s (goal 0.25x; qemu time x'"$factor"' from a sample)\n",
            img, "survey", o, q, tr, om / 1024, "-", "-", tr <= 0.25 ? "ok" : "MISSED"; exit tr <= 0.25 ? 0 : 1 }' \
            || failures=$((failures + 1))
    fi
    local kb
    read -r _ kb < <(eval "measure $(survey $ours)")
    awk -v l="$label" -v kb="$kb" -v s="$scan_kb" -v j="$jobs" 'BEGIN { goal = 1.5 * s * j
        printf "%-28s peak RSS %.1f MiB, goal < 1.5 x %.1f MiB x %d jobs = %.1f MiB: %s\n", l, kb / 1024, s / 1024, j, goal / 1024,
            kb < goal ? "ok" : "MISSED"; exit kb < goal ? 0 : 1 }' || failures=$((failures + 1))
}
bench_survey "fixtures x2015" "$copies/fixtures" "$copies/fixtures" 1
bench_survey "big x3" "$copies/big" "$copies/big" 1
small_sample=$(printf "$copies/small/d%03d " $(seq 1 10))
bench_survey "small x10000" "$copies/small" "$small_sample" 10
exit $(( failures > 0 ))
