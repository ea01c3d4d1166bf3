#!/usr/bin/env bash
# make-fixtures.sh — (re)create the qcow2 fixture images in images/ with the real qemu-img / qemu-io,
# and store QEMU's own answers about each of them in expected/, so the core test suite can compare
# without QEMU installed. README.md (next to this script) has the table of images.
#
# Idempotent: every run deletes and rebuilds the same images and answers, byte for byte, with two
# exceptions: luks.qcow2 holds random key material, so it is kept when present (pass --force to
# rebuild it too), and "actual-size" in *.info.json depends on how the file was written.
# Snapshot dates are wall-clock time, so the script fixes them afterwards (qcow2tool.py).
#
# Every qemu command runs inside images/ with relative names, so "filename" keys and backing names in
# expected/ are relative (e.g. "chain-mid.qcow2") and independent of the machine.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
force=0
[[ ${1:-} == --force ]] && force=1
for tool in qemu-img qemu-io qemu-nbd nbdinfo python3; do
    command -v "$tool" >/dev/null || { echo "make-fixtures.sh: $tool is required (make deps)" >&2; exit 1; }
done
export LC_ALL=C TZ=UTC
ulimit -c 0 # the in-use bitmap fixture aborts qemu-io on purpose; no core dumps please

tool="python3 $here/qcow2tool.py"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$here/images" "$here/expected"
cd "$here/images"

# Start from nothing (except the LUKS image, see above) so no stale image or answer survives.
find . -maxdepth 1 -type f ! -name 'luks.qcow2' -delete
[[ $force == 1 ]] && rm -f luks.qcow2
find ../expected -maxdepth 1 -type f -delete

# Text-like patterns that compress to several sectors per cluster (not to one byte run like -P).
# Compressed writes are issued one cluster at a time: QEMU compresses the clusters of a larger write
# in parallel threads, which would make their order in the file vary from run to run.
python3 - "$scratch" <<'EOF'
import hashlib, sys
words = b"qcow2 cluster refcount table snapshot bitmap backing L1 L2 zero host guest offset".split()
for seed in (1, 2, 3):
    out, n = [], 0
    while sum(len(w) + 1 for w in out) < 65536:
        out.append(words[hashlib.sha256(bytes([seed]) + n.to_bytes(4, "big")).digest()[0] % len(words)])
        n += 1
    open(f"{sys.argv[1]}/text{seed}.pattern", "wb").write(b" ".join(out)[:65536])
EOF

fixtures=() # qcow2 images that get expected/ answers, in creation order

# create NAME SIZE [qemu-img create options...]
create() {
    local name=$1 size=$2
    shift 2
    qemu-img create -q -f qcow2 "$@" "$name" "$size"
    fixtures+=("$name")
}

# io NAME 'qemu-io command' ... — runs the commands in one qemu-io process (bitmaps record the writes).
io() {
    local name=$1 args=()
    shift
    for c in "$@"; do args+=(-c "$c"); done
    qemu-io -f qcow2 "${args[@]}" "$name" >/dev/null
}

# corrupt NAME FROM qcow2tool-command [args] — a hand-damaged copy of a clean image.
corrupt() {
    local name=$1 from=$2
    shift 2
    cp "$from" "$name"
    $tool "$1" "$name" "${@:2}"
    fixtures+=("$name")
}

# --- format versions -----------------------------------------------------------------------------
# v2.qcow2: compat=0.10 (version 2 header, 72 bytes, no feature bits), 64 KiB clusters, one snapshot.
create v2.qcow2 4M -o compat=0.10
io v2.qcow2 'write -P 0x11 0 64k' 'write -P 0x12 1M 100k'
qemu-img snapshot -c base v2.qcow2
io v2.qcow2 'write -P 0x13 0 4k' 'write -z 1M 64k'
$tool normalize-snapshot-dates v2.qcow2 1700000000

# v3.qcow2: compat=1.1, defaults (64 KiB clusters, refcount_bits=16, zlib). The clean base of corrupt-*.
create v3.qcow2 4M
io v3.qcow2 'write -P 0x21 0 64k' 'write -P 0x22 192k 128k' 'write -P 0x23 2M 4k' 'write -P 0x24 3M 64k'

# --- cluster sizes ---------------------------------------------------------------------------------
# c512.qcow2: the smallest cluster (cluster_bits 9): 64 entries per L2 table, so many L2 tables.
create c512.qcow2 1M -o cluster_size=512
io c512.qcow2 'write -P 0x31 0 4k' 'write -P 0x32 40k 3k' 'write -P 0x33 700k 512' 'write -s '"$scratch"'/text1.pattern 900k 8k'
# c4k.qcow2: 4 KiB clusters, data over two L2 tables (one covers 2 MiB).
create c4k.qcow2 4M -o cluster_size=4k
io c4k.qcow2 'write -P 0x41 0 16k' 'write -P 0x42 1M 6k' 'write -P 0x43 3M 4k'
# c2m.qcow2: the largest cluster QEMU opens (2 MiB): one data cluster and one compressed cluster.
create c2m.qcow2 16M -o cluster_size=2M
io c2m.qcow2 'write -P 0x51 0 4k' 'write -c -s '"$scratch"'/text1.pattern 4M 2M'

# --- refcount widths (16 bits is v3.qcow2) --------------------------------------------------------
# rc1.qcow2: refcount_order 0, 1-bit refcounts (no snapshots possible: refcounts cannot reach 2).
create rc1.qcow2 4M -o refcount_bits=1
io rc1.qcow2 'write -P 0x61 0 128k' 'write -P 0x62 2M 64k'
# rc8.qcow2 / rc64.qcow2: a snapshot makes refcounts of 2 appear next to 1.
for bits in 8 64; do
    create "rc$bits.qcow2" 4M -o refcount_bits=$bits
    io "rc$bits.qcow2" 'write -P 0x63 0 128k' 'write -P 0x64 2M 64k'
    qemu-img snapshot -c snap "rc$bits.qcow2"
    io "rc$bits.qcow2" 'write -P 0x65 0 64k'
    $tool normalize-snapshot-dates "rc$bits.qcow2" 1700000000
done

# --- features --------------------------------------------------------------------------------------
# lazy.qcow2: lazy_refcounts=on (compatible feature bit 0), closed cleanly so not dirty.
create lazy.qcow2 4M -o lazy_refcounts=on
io lazy.qcow2 'write -P 0x71 0 64k' 'write -P 0x72 1M 64k'
# lazy-dirty.qcow2: lazy refcounts, qemu-io killed (abort) after a flush: QEMU itself leaves the dirty
# bit set and refcounts behind the L2 tables, which is what check must explain.
create lazy-dirty.qcow2 4M -o lazy_refcounts=on
(io lazy-dirty.qcow2 'write -P 0x73 0 64k' 'write -P 0x74 1M 128k' flush abort) 2>/dev/null || true

# extl2.qcow2: extended_l2=on, 64 KiB clusters of 32 subclusters (2 KiB): allocated subclusters,
# zero subclusters inside an allocated cluster, zero subclusters in an unallocated cluster.
create extl2.qcow2 4M -o extended_l2=on
io extl2.qcow2 'write -P 0x81 0 2k' 'write -P 0x82 6k 4k' 'write -P 0x83 64k 64k' \
    'write -z 72k 4k' 'write -z 256k 8k' 'write -P 0x84 1M 64k' 'write -z 1M 64k'

# zlib.qcow2: compressed clusters (zlib, the default) next to normal ones; -P data compresses to a few
# bytes, the text pattern to several sectors.
create zlib.qcow2 4M
io zlib.qcow2 'write -c -P 0x91 0 64k' 'write -c -s '"$scratch"'/text1.pattern 64k 64k' \
    'write -c -s '"$scratch"'/text2.pattern 128k 64k' \
    'write -P 0x92 512k 64k' 'write -c -P 0x93 1M 64k'
# zstd.qcow2: compression_type=zstd (incompatible feature bit 3, header byte 104).
create zstd.qcow2 4M -o compression_type=zstd
io zstd.qcow2 'write -c -P 0xa1 0 64k' 'write -c -s '"$scratch"'/text1.pattern 64k 64k' \
    'write -c -s '"$scratch"'/text3.pattern 128k 64k' 'write -P 0xa2 512k 64k'

# zero.qcow2: zero flag on an allocated cluster (keeps its host offset), an unmapped zero cluster
# (write -z -u), and zero clusters that never had data.
create zero.qcow2 4M
io zero.qcow2 'write -P 0xb1 0 256k' 'write -z 64k 64k' 'write -z -u 128k 64k' 'write -z 1M 128k'

# snapshots.qcow2: three snapshots with writes between them, then the middle one deleted.
create snapshots.qcow2 4M
io snapshots.qcow2 'write -P 0xc1 0 128k' 'write -P 0xc2 1M 64k'
qemu-img snapshot -c first snapshots.qcow2
io snapshots.qcow2 'write -P 0xc3 0 64k'
qemu-img snapshot -c second snapshots.qcow2
io snapshots.qcow2 'write -P 0xc4 64k 64k' 'write -P 0xc5 2M 64k'
qemu-img snapshot -c third snapshots.qcow2
io snapshots.qcow2 'write -P 0xc6 0 4k'
qemu-img snapshot -d second snapshots.qcow2
$tool normalize-snapshot-dates snapshots.qcow2 1700000000

# bitmaps.qcow2: persistent dirty bitmaps of granularity 4 KiB, 64 KiB and 1 MiB that record writes
# (enabled, flag "auto"), and a disabled one whose contents come from --merge.
create bitmaps.qcow2 8M
qemu-img bitmap --add -g 4k bitmaps.qcow2 fine
qemu-img bitmap --add -g 64k bitmaps.qcow2 medium
qemu-img bitmap --add -g 1M bitmaps.qcow2 coarse
io bitmaps.qcow2 'write -P 0xd1 0 4k' 'write -P 0xd2 1M 200k' 'write -P 0xd3 5M 8k'
qemu-img bitmap --add --disable -g 64k bitmaps.qcow2 frozen
qemu-img bitmap --merge medium bitmaps.qcow2 frozen
io bitmaps.qcow2 'write -P 0xd4 7M 64k'
# bitmaps-inuse.qcow2: bitmaps still marked in_use because qemu-io aborted after a flush.
create bitmaps-inuse.qcow2 8M
qemu-img bitmap --add -g 64k bitmaps-inuse.qcow2 open
(io bitmaps-inuse.qcow2 'write -P 0xd5 0 64k' flush abort) 2>/dev/null || true

# --- backing chain: chain-top.qcow2 -> chain-mid.qcow2 -> chain-base.raw (relative names) -------
# The 1 MiB raw base is shorter than the 4 MiB images above it: the rest reads as zeros.
qemu-img create -q -f raw chain-base.raw 1M
qemu-io -f raw -c 'write -P 0xe1 0 768k' chain-base.raw >/dev/null
create chain-mid.qcow2 4M -b chain-base.raw -F raw
io chain-mid.qcow2 'write -P 0xe2 512k 64k' 'write -z 2M 64k'
create chain-top.qcow2 4M -b chain-mid.qcow2 -F qcow2
io chain-top.qcow2 'write -P 0xe3 0 64k' 'write -P 0xe4 3M 4k'

# --- external data files ---------------------------------------------------------------------------
# datafile.qcow2 + datafile.data: guest data lives in the data file at guest offsets (not refcounted).
create datafile.qcow2 1M -o data_file=datafile.data
io datafile.qcow2 'write -P 0xf1 0 64k' 'write -P 0xf2 512k 8k'
# datafile-raw.qcow2 + datafile-raw.data: data_file_raw=on (autoclear bit 1), the data file is a
# valid raw image by itself.
create datafile-raw.qcow2 1M -o data_file=datafile-raw.data,data_file_raw=on
io datafile-raw.qcow2 'write -P 0xf3 0 64k' 'write -P 0xf4 512k 8k'

# --- encryption and preallocation ----------------------------------------------------------------
# luks.qcow2: LUKS encryption, secret "abc123" (object sec0); kept across runs (random key material).
luks_object=(--object secret,id=sec0,data=abc123)
luks_opts=driver=qcow2,file.filename=luks.qcow2,encrypt.key-secret=sec0
if [[ ! -f luks.qcow2 ]]; then
    qemu-img create -q -f qcow2 "${luks_object[@]}" \
        -o encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10 luks.qcow2 4M
    qemu-io "${luks_object[@]}" --image-opts -c 'write -P 0x5a 0 64k' "$luks_opts" >/dev/null
fi
fixtures+=(luks.qcow2)
# prealloc-meta.qcow2: preallocation=metadata, every guest cluster has a host cluster and an L2 entry.
create prealloc-meta.qcow2 1M -o preallocation=metadata

# --- hand-damaged copies of v3.qcow2 (qcow2tool.py says exactly what each edit does) -------------
corrupt corrupt-dirty.qcow2 v3.qcow2 set-incompatible-bit 0
corrupt corrupt-flag.qcow2 v3.qcow2 set-incompatible-bit 1
corrupt corrupt-truncated.qcow2 v3.qcow2 truncate-data
corrupt corrupt-truncated-l2.qcow2 v3.qcow2 truncate-l2
corrupt corrupt-leak.qcow2 v3.qcow2 leak
corrupt corrupt-refcount-zero.qcow2 v3.qcow2 zero-refcount
corrupt corrupt-l2-past-eof.qcow2 v3.qcow2 l2-past-eof
corrupt corrupt-l2-shared.qcow2 v3.qcow2 l2-shared

# Rewrite every file without holes, so "actual-size" is the same on every run (file system allocation
# otherwise varies). A git checkout makes its own holes: tests compare "actual-size" with st_blocks.
for f in *; do cp --sparse=never "$f" "$scratch/dense" && cat "$scratch/dense" >"$f"; done

# --- QEMU's answers ------------------------------------------------------------------------------
# run OUT cmd... — stdout to OUT; a non-zero status (or stderr) is kept next to it.
run() {
    local out=$1 stem=${1%.*} status=0
    shift
    "$@" >"$out" 2>"$stem.stderr" || status=$?
    [[ -s $stem.stderr ]] || rm -f "$stem.stderr"
    if [[ $status != 0 || $out == *.check.json ]]; then echo "$status" >"$stem.status"; fi
    [[ -s $out ]] || rm -f "$out"
}

for image in "${fixtures[@]}"; do
    name=${image%.qcow2}
    out=../expected/$name
    open=(-f qcow2 "$image")
    [[ $image == luks.qcow2 ]] && open=("${luks_object[@]}" --image-opts "$luks_opts")
    run "$out.info.json" qemu-img info --output=json -f qcow2 "$image"
    run "$out.check.json" qemu-img check --output=json "${open[@]}"
    run "$out.map.json" qemu-img map --output=json "${open[@]}"
    run "$out.measure.json" qemu-img measure --output=json -O qcow2 "${open[@]}"
done
run ../expected/chain-top.info-chain.json qemu-img info --output=json --backing-chain -f qcow2 chain-top.qcow2
run ../expected/chain-mid.info-chain.json qemu-img info --output=json --backing-chain -f qcow2 chain-mid.qcow2

# Dirty ranges as an NBD client sees them (qemu-nbd started by nbdinfo through socket activation).
for bitmap in fine medium coarse frozen; do
    run "../expected/bitmaps.$bitmap.dirty.txt" \
        nbdinfo --map="qemu:dirty-bitmap:$bitmap" -- [ qemu-nbd -r -f qcow2 -B "$bitmap" bitmaps.qcow2 ]
done
# An in-use bitmap is refused ("inconsistent"): the answer is that error and its status.
run ../expected/bitmaps-inuse.open.dirty.txt \
    nbdinfo --map=qemu:dirty-bitmap:open -- [ qemu-nbd -r -f qcow2 -B open bitmaps-inuse.qcow2 ]

echo "make-fixtures.sh: ${#fixtures[@]} qcow2 fixtures in $(du -sh --apparent-size . | cut -f1)"
