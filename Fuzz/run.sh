#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] — builds Fuzz/FuzzQcow2.swift (Fuzz/build.sh), replays every committed
# regression input (Fuzz/regressions) once, then seeds the corpus from the mutation corpus, the
# fixtures and the regressions and fuzzes for SECONDS (default $FUZZ_SECONDS or 60; 0 = replay only).
#
# libFuzzer keeps the inputs that reach new code in the corpus ($FUZZ_CORPUS, default Fuzz/corpus/,
# not committed) and writes a crashing input to Fuzz/artifacts/; the script then fails.
# `make test` runs it with FUZZ_SCOPE=core in its own build directory and corpus (see the Makefile).
# A toolchain without libFuzzer (Fuzz/build.sh exits 77) skips with a loud message, not a failure.
#
# Every crash becomes a committed regression input: copy the artifact to
# Fuzz/regressions/NAME.qcow2, fix the code, and HostileTests replays it through every command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-60}}
out=${FUZZ_BUILD:-$root/.build-fuzz}
corpus=${FUZZ_CORPUS:-$root/Fuzz/corpus}
cd "$root"

start=$(date +%s)
status=0
Fuzz/build.sh || status=$?
if (( status == 77 )); then
    {
        echo "************************************************************************************"
        echo "fuzz: SKIPPED — this Swift toolchain has no libFuzzer (-sanitize=fuzzer); the regression"
        echo "fuzz: inputs were NOT replayed under ASan and nothing was fuzzed (HostileTests still"
        echo "fuzz: replays Fuzz/regressions through the qcowscope binary)."
        echo "************************************************************************************"
    } >&2
    exit 0
fi
(( status == 0 )) || exit "$status"
built=$(date +%s)
binary="$out/fuzz-qcow2"
mkdir -p "$corpus" Fuzz/artifacts

# The same limits for the replay and the fuzzing: -rss_limit_mb matches the product's promise
# (4 GiB); -malloc_limit_mb catches one allocation sized by an untrusted number; -timeout flags any
# input slower than 20 s (a hang). Inputs up to 128 KiB (larger seeds would only be truncated).
max_len=131072
limits=(-max_len=$max_len -rss_limit_mb=4096 -malloc_limit_mb=2048 -timeout=20 -artifact_prefix=Fuzz/artifacts/)

# Every input that ever broke the target, once each: a crash, trap, ASan report or leak fails here.
regressions=()
for f in Fuzz/regressions/*; do [[ -f $f && $f != *.md ]] && regressions+=("$f"); done
if (( ${#regressions[@]} > 0 )); then
    "$binary" "${limits[@]}" "${regressions[@]}" >"$out/regressions.log" 2>&1 || {
        tail -n 40 "$out/regressions.log" >&2
        echo "fuzz: a regression input fails again (log: $out/regressions.log)" >&2
        exit 1
    }
fi
replayed=$(date +%s)
echo "fuzz: ${#regressions[@]} regression inputs replayed in $(( replayed - built )) s (build $(( built - start )) s)"
(( seconds > 0 )) || exit 0

# FUZZ_FRESH_CORPUS=1 (`make test`) starts from the seeds every time, so the run costs the same
# each time (a kept corpus grows by hundreds of inputs a run, and replaying it comes first).
[[ ${FUZZ_FRESH_CORPUS:-0} == 1 ]] && rm -rf "$corpus" && mkdir -p "$corpus"
seeds=0
for f in Tests/Mutations/corpus/*.qcow2 Tests/Fixtures/images/*.qcow2 Fuzz/seeds/* "${regressions[@]}"; do
    [[ -f $f && $(stat -c %s "$f") -le $max_len ]] || continue
    dest="$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    [[ -e $dest ]] || cp "$f" "$dest"
    seeds=$((seeds + 1))
done
echo "fuzz: $seeds seeds, $(find "$corpus" -type f | wc -l) inputs in $corpus, fuzzing for $seconds s"

# libFuzzer's output goes to a log (thousands of lines); its summary and any crash are shown.
log="$out/fuzz.log"
status=0
"$binary" -max_total_time="$seconds" -print_final_stats=1 "${limits[@]}" "$corpus" >"$log" 2>&1 || status=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
if (( status != 0 )); then
    grep -v -E '^#[0-9]+[[:space:]]' "$log" | tail -n 60 >&2
    echo "fuzz: FAILED (status $status): the input is in Fuzz/artifacts/; keep it in Fuzz/regressions/ with the fix (log: $log)" >&2
    exit 1
fi
echo "fuzz: done in $(( $(date +%s) - start )) s in all"
