#!/usr/bin/env bash
# How close the scan is to the floor (issue 15): for each benchmark image and for check, map, layout
# and frag, side by side in one run:
#   floor    reading exactly the metadata the command needs, decoding nothing (Benchmarks/floor.c:
#            check, layout and frag need what the scan reads, map the active L1 and L2 tables)
#   start    a process that starts and exits (`qcowscope --version`)
#   ours     the command (`--json`), qemu  `qemu-img check`/`map --output=json` where comparable
# and the ratios ours / (floor + start) (goal <= 2.0) and ours / qemu. Medians of RUNS runs, ours and
# qemu alternating after one warm-up each (warm page cache). Wall time is what the goal is about; on a
# machine shared with other work it mostly measures the wait for a core, so the CPU time (perf stat's
# task-clock, all threads; floor.c's process CPU clock) is printed beside it, with its own ratio.
# Then the cold rows: the image's pages dropped (posix_fadvise(POSIX_FADV_DONTNEED), Benchmarks/
# dropcache.c) before every run of either tool: `check` against `qemu-img check` (goal <= 0.1x); their
# floor tells the kernel of every range first, then reads (floor.c --cold: the fastest way found).
# A cold row also prints (floor + start) / qemu-img: no scan that reads those tables and starts a
# process can go below it, so where it is above the goal (the 4 TiB/2 MiB image, whose qemu-img
# check is mostly CPU on few tables) the row says the goal is out of reach on this disk.
#
#   Benchmarks/floor.sh                  build (`make release`), measure
#   RUNS=9 Benchmarks/floor.sh           more runs per tool (default 5)
#   QCOWSCOPE=path Benchmarks/floor.sh   measure an existing binary
#   Benchmarks/floor.sh IMAGE...         only these images (names in Benchmarks/images/)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
command -v cc >/dev/null || { echo "floor.sh: cc is missing (apt-get install gcc)" >&2; exit 1; }
mkdir -p .build-bench
for tool in floor dropcache; do
    cc -O2 -Wall -o .build-bench/$tool Benchmarks/$tool.c
done
FLOOR=.build-bench/floor DROP=.build-bench/dropcache

# Runs "$@" once; prints "wall-seconds cpu-seconds".
timed() {
    local out start end
    out=$(mktemp)
    if command -v perf >/dev/null; then
        start=$(date +%s%N)
        perf stat -x, -e task-clock -o "$out" -- "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        awk -F, -v ns=$((end - start)) '$3 == "task-clock" { cpu = $1 / 1000 } END { printf "%.4f %.4f\n", ns / 1e9, cpu }' "$out"
    else
        start=$(date +%s%N)
        "$TIME" -f "%U %S" -o "$out" "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        awk -v ns=$((end - start)) 'END { printf "%.4f %.4f\n", ns / 1e9, $1 + $2 }' "$out"
    fi
    rm -f "$out"
}

# medians WALLS CPUS: the two medians of lines of "wall cpu".
medians() { echo "$(cut -d' ' -f1 <<<"$1" | median) $(cut -d' ' -f2 <<<"$1" | median)"; }

# side_by_side COLD "OUR COMMAND" ["THEIR COMMAND"]: one warm-up each (none when cold), then RUNS
# alternating runs; prints "our-wall our-cpu their-wall their-cpu" (- for no comparison).
side_by_side() {
    local cold=$1 ours=$2 theirs=${3:-} img=$4 o="" q="" r
    if [[ $cold == 0 ]]; then
        eval "$ours" >/dev/null 2>&1 || true
        [[ -z $theirs ]] || eval "$theirs" >/dev/null 2>&1 || true
    fi
    for ((r = 0; r < RUNS; r++)); do
        [[ $cold == 0 ]] || "$DROP" "$img"
        o+=$(eval "timed $ours")$'\n'
        if [[ -n $theirs ]]; then
            [[ $cold == 0 ]] || "$DROP" "$img"
            q+=$(eval "timed $theirs")$'\n'
        fi
    done
    echo "$(medians "${o%$'\n'}") $([[ -n $q ]] && medians "${q%$'\n'}" || echo "- -")"
}

# row IMAGE COMMAND FLOOR-WALL FLOOR-CPU START-WALL START-CPU OURS-WALL OURS-CPU QEMU-WALL QEMU-CPU GOAL KIND
row() {
    awk -v img="$1" -v cmd="$2" -v fw="$3" -v fc="$4" -v sw="$5" -v sc="$6" -v ow="$7" -v oc="$8" -v qw="$9" -v qc="${10}" \
        -v goal="${11}" -v kind="${12}" 'BEGIN {
        xf = ow / (fw + sw); xc = oc / (fc + sc)
        q = qw == "-" ? "-" : sprintf("%.1f", qw * 1000); xq = qw == "-" ? "-" : sprintf("%.3fx", ow / qw)
        if (kind == "floor") { ok = xf <= goal; verdict = "floor " (ok ? "ok" : "MISSED") " (goal " goal "x)" }
        else {
            ok = ow / qw <= goal; bound = (fw + sw) / qw
            verdict = "cold " (ok ? "ok" : "MISSED") " (goal " goal "x qemu-img"
            # The floor itself (reading the tables cold, plus start-up) as a share of qemu-img: below
            # it no scan can go, so a goal under it is out of reach on this disk.
            verdict = verdict sprintf("; floor+start alone %.3fx", bound) (bound > goal ? ", out of reach" : "") ")"
        }
        printf "%-24s %-11s %8.1f %7.1f %8.1f %8s %7.2fx %8s %6.1f %6.1f %7.2fx  %s\n", img, cmd, fw * 1000, sw * 1000, ow * 1000, q, xf, xq,
            fc * 1000, oc * 1000, xc, verdict
        exit ok ? 0 : 1 }' || failures=$((failures + 1))
}

printf '%-24s %-11s %8s %7s %8s %8s %8s %8s %6s %6s %8s  %s\n' image command "floor ms" "start" "ours ms" "qemu ms" "x floor" "x qemu" \
    "cpu:fl" "ours" "x floor" verdict
images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=(prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2)
read -r start_wall start_cpu < <(side_by_side 0 "\"$QCOWSCOPE\" --version" "" /dev/null)
for name in "${images[@]}"; do
    img=Benchmarks/images/$name
    read -r scan_wall scan_cpu _ < <("$FLOOR" --runs "$RUNS" "$img")
    read -r map_wall map_cpu _ < <("$FLOOR" --map --runs "$RUNS" "$img")
    for command in check map layout frag; do
        theirs=""
        case $command in
            check) theirs="qemu-img check --output=json \"$img\"" ;;
            map) theirs="qemu-img map --output=json \"$img\"" ;;
        esac
        fw=$scan_wall fc=$scan_cpu
        [[ $command != map ]] || { fw=$map_wall; fc=$map_cpu; }
        read -r ow oc qw qc < <(side_by_side 0 "\"$QCOWSCOPE\" $command --json \"$img\"" "$theirs" "$img")
        row "$name" "$command" "$fw" "$fc" "$start_wall" "$start_cpu" "$ow" "$oc" "$qw" "$qc" 2.0 floor
    done
    read -r cold_wall cold_cpu _ < <("$FLOOR" --cold --runs "$RUNS" "$img")
    read -r ow oc qw qc < <(side_by_side 1 "\"$QCOWSCOPE\" check --json \"$img\"" "qemu-img check --output=json \"$img\"" "$img")
    row "$name" "cold check" "$cold_wall" "$cold_cpu" "$start_wall" "$start_cpu" "$ow" "$oc" "$qw" "$qc" 0.1 cold
done
exit $(( failures > 0 ))
