#!/usr/bin/env bash
# make-demo.sh — build Demo/demo.qcow2 (and Demo/demo-leaky.qcow2) with qemu-img / qemu-io, then
# rewrite Demo/README.md with QEMU's description of them.
#
# The story: a 256 MiB guest disk with 4 KiB clusters is "installed", updated and used, with snapshots
# along the way (one deleted) and three persistent dirty bitmaps recording different periods. Writes
# land in a shuffled order (a fixed-seed LCG, so every run makes the same file) inside a few regions
# that look like a file system: metadata near 0, two data areas, a log area near the end. The host
# file is therefore fragmented. Some clusters are compressed, some are zero clusters.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool="python3 $here/../Tests/Fixtures/qcow2tool.py"
for t in qemu-img qemu-io python3; do
    command -v "$t" >/dev/null || { echo "make-demo.sh: $t is required (make deps)" >&2; exit 1; }
done
export LC_ALL=C TZ=UTC
cd "$here"
rm -f demo.qcow2 demo-leaky.qcow2

# writes PHASE — prints one qemu-io command per line for that phase of the story.
writes() {
    python3 - "$1" <<'EOF'
import sys
phase = int(sys.argv[1])
K, M = 1024, 1024 * 1024
state = 2024 + phase
def rand(n):  # a 64-bit LCG (Knuth's MMIX constants): fixed output on every Python
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 33) % n
regions = [(0, 2 * M), (16 * M, 24 * M), (96 * M, 128 * M), (240 * M, 244 * M)]
counts = {1: 40, 2: 24, 3: 16, 4: 12, 5: 6}[phase]
cmds = []
for i in range(counts):
    lo, hi = regions[rand(len(regions))]
    length = 4 * K * (1 + rand(6))
    offset = lo + 4 * K * rand((hi - lo - length) // (4 * K))
    pattern = 0x10 * phase + rand(16)
    cmds.append(f"write -P {pattern:#04x} {offset} {length}")
if phase == 3:  # compressed clusters (one cluster per write: QEMU compresses bigger writes in parallel)
    for i in range(10):
        cmds.append(f"write -c -P {0xc0 + i:#04x} {100 * M + 4 * K * i * 3} {4 * K}")
    cmds.append(f"write -z {16 * M} {256 * K}")   # zero clusters, some over allocated ones
    cmds.append(f"write -z -u {97 * M} {64 * K}")
if phase == 4:
    cmds.append(f"write -z {241 * M} {128 * K}")
print("\n".join(cmds))
EOF
}

# io PHASE — runs that phase's writes in one qemu-io process, so enabled bitmaps record them.
io() {
    local args=()
    while IFS= read -r c; do args+=(-c "$c"); done < <(writes "$1")
    qemu-io -f qcow2 "${args[@]}" demo.qcow2 >/dev/null
}

qemu-img create -q -f qcow2 -o cluster_size=4k demo.qcow2 256M
qemu-img bitmap --add -g 64k demo.qcow2 since-install
io 1
qemu-img snapshot -c fresh-install demo.qcow2
qemu-img bitmap --add -g 4k demo.qcow2 backup-daily
io 2
qemu-img snapshot -c before-upgrade demo.qcow2
io 3
qemu-img snapshot -c after-upgrade demo.qcow2
io 4
qemu-img bitmap --add --disable -g 1M demo.qcow2 backup-weekly
qemu-img bitmap --merge backup-daily demo.qcow2 backup-weekly
qemu-img bitmap --clear demo.qcow2 backup-daily
io 5
qemu-img snapshot -d before-upgrade demo.qcow2
$tool normalize-snapshot-dates demo.qcow2 1700000000

cp demo.qcow2 demo-leaky.qcow2
$tool leak demo-leaky.qcow2

# Rewrite without holes so "actual-size" below is the same on every run.
for f in demo.qcow2 demo-leaky.qcow2; do
    cp --sparse=never "$f" "$f.tmp" && cat "$f.tmp" >"$f" && rm -f "$f.tmp"
done

check() { qemu-img check "$1" 2>&1 || echo "(qemu-img check exit status $?)"; }
cat >README.md <<EOF
# Demo images

\`demo.qcow2\` ($(($(stat -c %s demo.qcow2) / 1024)) KiB) is what \`make demo\` opens: a 256 MiB guest disk
with 4 KiB clusters, built by [\`make-demo.sh\`](make-demo.sh) with qemu-img and qemu-io (run it again
and you get the same bytes). What to look for:

- **Fragmentation** — about a hundred writes landed in shuffled order in four guest regions
  (0–2 MiB, 16–24 MiB, 96–128 MiB, 240–244 MiB), so neighbouring guest clusters live far apart in the
  file.
- **Snapshots** — \`fresh-install\`, \`after-upgrade\`; \`before-upgrade\` was deleted, so its id (2) is a
  gap and the clusters only it held were freed. Shared clusters have refcount 2 or 3.
- **Bitmaps** — \`since-install\` (64 KiB granularity, records everything), \`backup-daily\` (4 KiB,
  cleared before the last writes, so it holds only those) and \`backup-weekly\` (1 MiB, disabled,
  a merged copy of \`backup-daily\` from before the clear).
- **Compressed clusters** — ten single-cluster zlib writes near 100 MiB, packed into one host
  cluster whose refcount is 20 (ten references from the active L1 table, ten from \`after-upgrade\`).
- **Zero clusters** — \`write -z\` of 256 KiB at 16 MiB, an unmapped zero range at 97 MiB (\`write -z -u\`), and
  128 KiB at 241 MiB.

\`demo-leaky.qcow2\` is the same image with one extra cluster at the end that nothing references but
whose refcount is 1 (made by \`Tests/Fixtures/qcow2tool.py leak\`): a leak for \`check\` to find.

Snapshot dates are fixed (1700000000 + 3600 × table index) so the file is reproducible.

## \`qemu-img info demo.qcow2\`

\`\`\`
$(qemu-img info demo.qcow2)
\`\`\`

## \`qemu-img check demo.qcow2\`

\`\`\`
$(check demo.qcow2)
\`\`\`

## \`qemu-img check demo-leaky.qcow2\`

\`\`\`
$(check demo-leaky.qcow2)
\`\`\`
EOF
echo "make-demo.sh: demo.qcow2 is $(stat -c %s demo.qcow2) bytes"
