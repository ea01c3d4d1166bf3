# Shared by run.sh and map.sh (sourced from the repository root): the binary under test, the
# images, and side-by-side timing.
#
#   QCOWSCOPE=path   measure an existing binary instead of building one
#   RUNS=n           runs per tool (default 5)

RUNS=${RUNS:-5}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "${0##*/}: $TIME is missing (apt-get install time)" >&2; exit 1; }
command -v qemu-img >/dev/null || { echo "${0##*/}: qemu-img is missing (apt-get install qemu-utils)" >&2; exit 1; }

if [[ -z "${QCOWSCOPE:-}" ]]; then
    # Exactly what `make release` builds (the Swift runtime linked in: see the Makefile),
    # in the benchmark's own build directory.
    make --no-print-directory release SCRATCH=.build-bench >&2
    QCOWSCOPE=$(swift build -c release --scratch-path .build-bench --show-bin-path)/qcowscope
fi
export QCOWSCOPE RUNS
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
print_header() {
    printf '%-28s %-8s %10s %10s %8s %10s %10s %8s  %s\n' image tool "ours s" "qemu s" ratio "ours MiB" "qemu MiB" ratio verdict
}

# bench_pair LABEL IMAGE "OUR COMMAND" "THEIR COMMAND" TIME_GOAL [RSS_GOAL]: one warm-up run
# each, then RUNS alternating runs (ours, theirs, ours, ...) so both see the same page cache;
# prints the medians and their ratios, and counts a failure when a goal (a ratio) is missed.
bench_pair() {
    local label=$1 image=$2 ours=$3 theirs=$4 goal=$5 rss_goal=${6:-0}
    local -a ot=() om=() qt=() qm=()
    local t m r
    eval "$ours" >/dev/null 2>&1 || true
    eval "$theirs" >/dev/null 2>&1 || true
    for ((r = 0; r < RUNS; r++)); do
        read -r t m < <(eval "measure $ours"); ot+=("$t"); om+=("$m")
        read -r t m < <(eval "measure $theirs"); qt+=("$t"); qm+=("$m")
    done
    local o q orss qrss
    o=$(printf '%s\n' "${ot[@]}" | median); q=$(printf '%s\n' "${qt[@]}" | median)
    orss=$(printf '%s\n' "${om[@]}" | median); qrss=$(printf '%s\n' "${qm[@]}" | median)
    awk -v img="$image" -v tool="$label" -v o="$o" -v q="$q" -v om="$orss" -v qm="$qrss" \
        -v goal="$goal" -v rgoal="$rss_goal" 'BEGIN {
        tr = q > 0 ? o / q : 0; mr = qm > 0 ? om / qm : 0
        ok = tr <= goal; verdict = "time " (ok ? "ok" : "MISSED") " (goal " goal "x)"
        if (rgoal > 0) { ok = ok && mr <= rgoal; verdict = verdict ", rss " (mr <= rgoal ? "ok" : "MISSED") " (goal " rgoal "x)" }
        printf "%-28s %-8s %10.4f %10.4f %7.3fx %10.1f %10.1f %7.2fx  %s\n", img, tool, o, q, tr, om / 1024, qm / 1024, mr, verdict
        exit ok ? 0 : 1 }' || failures=$((failures + 1))
}
