#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] — builds Fuzz/FuzzQcow2.swift (Fuzz/build.sh), seeds Fuzz/corpus/ from the
# mutation corpus, the fixtures and the regressions, then fuzzes for SECONDS (default
# $FUZZ_SECONDS or 60). libFuzzer keeps the inputs that reach new code in Fuzz/corpus/ (not
# committed) and writes a crashing input to Fuzz/artifacts/; the script then fails.
#
# Every crash becomes a committed regression input: copy the artifact to
# Fuzz/regressions/NAME.qcow2, fix the code, and HostileTests replays it through every command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-60}}
out=${FUZZ_BUILD:-$root/.build-fuzz}
cd "$root"

Fuzz/build.sh
mkdir -p Fuzz/corpus Fuzz/artifacts
# Seeds no larger than the input limit (larger fixtures would only be truncated).
max_len=131072
seeds=0
for f in Tests/Mutations/corpus/*.qcow2 Tests/Fixtures/images/*.qcow2 Fuzz/regressions/*.qcow2; do
    [[ -f $f && $(stat -c %s "$f") -le $max_len ]] || continue
    dest="Fuzz/corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    [[ -e $dest ]] || cp "$f" "$dest"
    seeds=$((seeds + 1))
done
echo "fuzz: $seeds seeds, $(find Fuzz/corpus -type f | wc -l) inputs in Fuzz/corpus, fuzzing for $seconds s"

# -rss_limit_mb matches the product's promise (4 GiB); -timeout flags any input slower than 20 s
# (a hang); -malloc_limit_mb catches one allocation sized by an untrusted number.
exec "$out/fuzz-qcow2" -max_total_time="$seconds" -max_len=$max_len -rss_limit_mb=4096 -malloc_limit_mb=2048 \
    -timeout=20 -print_final_stats=1 -artifact_prefix=Fuzz/artifacts/ Fuzz/corpus
