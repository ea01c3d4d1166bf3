#!/usr/bin/env bash
# Times a `--watch` re-scan of an image that did not change against a full scan of it, side by
# side in one run: each run is one `qcowscope check` (the full scan, wall time) followed by one
# `qcowscope IMAGE --watch` process of 1 + RUNS rounds whose re-scan rounds report their own
# time (the `seconds=` of each line after the first: reopen, re-read and re-hash every metadata
# range the scan read, then reuse its results). Goal: the median re-scan <= 0.5 x the median
# full scan.
#
#   Benchmarks/watch.sh                 build (`make release`), measure the 1 TiB image
#   QCOWSCOPE=path Benchmarks/watch.sh  measure an existing binary instead of building one
#   Benchmarks/watch.sh IMAGE...        other images (names in Benchmarks/images/)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=(prealloc-1t-64k.qcow2)
printf '%-28s %12s %12s %12s %8s  %s\n' image "full scan s" "watch 1st s" "re-scan s" ratio verdict
for name in "${images[@]}"; do
    img=Benchmarks/images/$name
    "$QCOWSCOPE" check --json "$img" >/dev/null 2>&1 || true   # warm the page cache
    full=() first=() again=()
    for ((r = 0; r < RUNS; r++)); do
        read -r t _ < <(measure "$QCOWSCOPE" check --json "$img"); full+=("$t")
        lines=$("$QCOWSCOPE" "$img" --watch 0.05 --watch-count $((RUNS + 1)))
        grep -q '^round=1 .*reused=no' <<<"$lines" || { echo "watch.sh: no first round on $name" >&2; exit 1; }
        if grep -v '^round=1 ' <<<"$lines" | grep -q 'reused=no'; then
            echo "watch.sh: $name changed while it was watched (a re-scan did not reuse)" >&2; exit 1
        fi
        first+=("$(sed -n 's/^round=1 .*seconds=\([0-9.]*\).*/\1/p' <<<"$lines")")
        while read -r s; do again+=("$s"); done < <(grep -v '^round=1 ' <<<"$lines" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
    done
    f=$(printf '%s\n' "${full[@]}" | median); w=$(printf '%s\n' "${first[@]}" | median)
    a=$(printf '%s\n' "${again[@]}" | median)
    awk -v img="$name" -v f="$f" -v w="$w" -v a="$a" 'BEGIN {
        r = f > 0 ? a / f : 0; ok = r <= 0.5
        printf "%-28s %12.4f %12.4f %12.4f %7.3fx  time %s (goal 0.5x)\n", img, f, w, a, r, ok ? "ok" : "MISSED"
        exit ok ? 0 : 1 }' || failures=$((failures + 1))
done
exit $(( failures > 0 ))
