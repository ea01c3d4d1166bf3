#!/usr/bin/env bash
# Times `qcowscope vet` (issue 17: "fast and bounded on anything: a 1 TiB sparse image and every
# hostile fixture in well under a second each; memory bounded whatever the header claims"):
#
#   sparse 1T        an empty 1 TiB image, side by side with `qemu-img check --output=json` (vet runs
#                    the check's scan and more): goal <= 1x its time and < 0.5 s
#   benchmark images the three of Benchmarks/images, against the same: goal <= 1x (they are not
#                    uploads a service would take in a second: 1 TiB and 4 TiB preallocated)
#   hostile          every image of the mutation corpus, the committed fixtures and the images of
#                    make-reach-fixtures.sh (backing/data names out, CDI's invalid images), each run
#                    once after a warm-up: goal < 0.5 s and < 64 MiB peak RSS for every one
#
#   Benchmarks/vet.sh                  build (`make release`), make images, measure
#   QCOWSCOPE=path Benchmarks/vet.sh   measure an existing binary
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Tests/Fixtures/make-reach-fixtures.sh "$work/reach" 9 >&2
sparse=$work/reach/img/sparse-1t.qcow2

print_header
vet() { printf '%q ' "$QCOWSCOPE" vet --json "$1"; }
check() { printf '%q ' qemu-img check --output=json "$1"; }
bench_pair vet "sparse 1T" "$(vet "$sparse")" "$(check "$sparse")" 1
read -r t _ < <(eval "measure $(vet "$sparse")")
awk -v t="$t" 'BEGIN { printf "sparse 1T: vet %.4f s, goal < 0.5 s: %s\n", t, t < 0.5 ? "ok" : "MISSED"; exit t < 0.5 ? 0 : 1 }' \
    || failures=$((failures + 1))
for name in prealloc-1t-64k.qcow2 prealloc-4t-2m.qcow2 random-64g-4k.qcow2; do
    bench_pair vet "$name" "$(vet "Benchmarks/images/$name")" "$(check "Benchmarks/images/$name")" 1
done

# Every hostile image, once each after a warm-up of the whole set: the slowest and the largest.
results=$work/hostile.txt
images=(Tests/Mutations/corpus/*.qcow2 Tests/Fixtures/images/*.qcow2 "$work"/reach/img/*.qcow2 "$work"/reach/img/*.img)
for image in "${images[@]}"; do "$QCOWSCOPE" vet "$image" >/dev/null 2>&1 || true; done
for image in "${images[@]}"; do
    read -r t m < <(measure "$QCOWSCOPE" vet --json "$image")
    echo "$t $m ${image#"$work"/}" >>"$results"
done
echo "hostile: ${#images[@]} images; slowest:"
sort -gr "$results" | head -3 | awk '{ printf "  %.4f s %6.1f MiB  %s\n", $1, $2 / 1024, $3 }'
echo "largest peak RSS:"
sort -k2,2gr "$results" | head -3 | awk '{ printf "  %.4f s %6.1f MiB  %s\n", $1, $2 / 1024, $3 }'
awk '{ if ($1 > t) t = $1; if ($2 > m) m = $2; s += $1 } END {
    ok = t < 0.5 && m < 65536
    printf "hostile: max %.4f s (goal < 0.5 s), mean %.4f s, max peak RSS %.1f MiB (goal < 64 MiB): %s\n", t, s / NR, m / 1024, ok ? "ok" : "MISSED"
    exit ok ? 0 : 1 }' "$results" || failures=$((failures + 1))
exit $(( failures > 0 ))
