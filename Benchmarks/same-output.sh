#!/usr/bin/env bash
# Whether two qcowscope binaries say the same thing: for every fixture (Tests/Fixtures/images), every
# image of the mutation corpus (Tests/Mutations/corpus) and the benchmark images, `check`, `map`,
# `layout`, `frag`, `snapshots` and `info` with --json, comparing standard output, standard error and
# the exit status byte for byte. For a change that must not change results (a faster scan, issue 15):
#
#   Benchmarks/same-output.sh OLD-BINARY NEW-BINARY      prints each difference; exit 1 if any
#   JOBS=2 Benchmarks/same-output.sh ...                 images at once (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 && -x $1 && -x $2 ]] || { echo "usage: ${0##*/} OLD-BINARY NEW-BINARY" >&2; exit 2; }
old=$1 new=$2

# compare IMAGE: every command on both binaries; prints "DIFF command image" per difference.
compare() {
    local img=$1 command a b
    a=$(mktemp) b=$(mktemp)
    for command in check map layout frag snapshots info; do
        { "$old" "$command" --json "$img" 2>&1; echo "exit $?"; } >"$a" </dev/null || true
        { "$new" "$command" --json "$img" 2>&1; echo "exit $?"; } >"$b" </dev/null || true
        cmp -s "$a" "$b" || echo "DIFF $command $img"
    done
    rm -f "$a" "$b"
}
export -f compare
export old new

diffs=$({
    ls Tests/Fixtures/images/*.qcow2
    ls Tests/Mutations/corpus/*.qcow2 Tests/Mutations/corpus/*/*.qcow2
    for name in prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2; do
        if [[ -f Benchmarks/images/$name ]]; then echo "Benchmarks/images/$name"; fi
    done
} | xargs -P "${JOBS:-1}" -I{} bash -c 'compare "$1"' _ {})
[[ -z $diffs ]] || { echo "$diffs"; exit 1; }
echo "same-output: no difference" >&2
