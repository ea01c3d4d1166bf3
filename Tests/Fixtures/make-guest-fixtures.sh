#!/usr/bin/env bash
# make-guest-fixtures.sh — guest disks made the way they occur, converted to qcow2, for `space` and the
# guest parsers: a raw disk first filled with non-zero bytes (so free space holds old data, as on a used
# disk), then partitions (sgdisk / sfdisk), then filesystems (mkfs.ext4 -d, mkfs.xfs, mkfs.vfat, mkswap,
# mkntfs) populated with files, then some files deleted offline (debugfs for ext4, mdel for FAT), then
# `qemu-img convert -O qcow2`.
#
#   make-guest-fixtures.sh            the small committed fixtures, in guest/ beside this script
#   make-guest-fixtures.sh --all DIR  those plus every variant the tests use, and the raw disks, in DIR
#
# Committed (guest/, compressed with -c so a disk of old data stays a few hundred KiB):
#   gpt.qcow2    40 MiB GPT: 1 ext4 "root" (files, three deleted), 2 vfat "EFI" (files, one deleted),
#                3 swap "swap"; gaps between and after the partitions
#   mbr.qcow2    96 MiB MBR: 1 xfs "data" (64 MiB, files), 2 extended holding 5 ext2 "boot" and
#                6 ntfs "win"
#   whole.qcow2  16 MiB ext4 "whole" on the whole disk, no partition table (files, two deleted)
#   garbage.qcow2 4 MiB whose MBR has absurd entries (hostile input)
# With --all, for each disk NAME also: NAME.raw, NAME-plain (no compression), NAME-zstd (-c, zstd),
# NAME-4k and NAME-2m (cluster sizes), NAME-extl2 (extended L2), NAME-overlay (over NAME-plain, with
# writes) and NAME-snap (NAME-plain with an internal snapshot "before", then writes).
#
# Idempotent: every run rebuilds the same disks from nothing (fixed UUIDs, labels and times).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
all=0
if [[ ${1:-} == --all ]]; then all=1; shift; fi
out=${1:-$here/guest}
for tool in qemu-img qemu-io sgdisk sfdisk mkfs.ext4 mkfs.ext2 debugfs mkfs.xfs mkfs.vfat mcopy mdel mkswap mkntfs; do
    command -v "$tool" >/dev/null || { echo "make-guest-fixtures.sh: $tool is required (make deps)" >&2; exit 1; }
done
export LC_ALL=C TZ=UTC E2FSPROGS_FAKE_TIME=1700000000 MTOOLS_SKIP_CHECK=1
# mkfs.xfs refuses filesystems under 300 MiB unless it believes it runs under fstests.
export TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
MiB=1048576

# A file of `$2` MiB of non-zero bytes: the old data a used disk holds where nothing is now.
old_data() { head -c $(( $2 * MiB )) /dev/zero | tr '\000' '\245' > "$1"; }
# Copies partition image $2 into disk $1 at MiB $3.
put() { dd if="$2" of="$1" bs=$MiB seek="$3" conv=notrunc status=none; }
# Files of various sizes with distinct contents under $1.
populate() {
    mkdir -p "$1/docs" "$1/logs" "$1/big"
    local i
    for i in $(seq 0 11); do
        head -c $(( (i + 1) * 23456 )) /dev/zero | tr '\000' "\\$(printf '%03o' $(( i + 65 )))" > "$1/docs/file$i"
    done
    for i in $(seq 0 5); do seq $(( i * 1000 )) $(( i * 1000 + 9000 )) > "$1/logs/log$i.txt"; done
    head -c $(( 3 * MiB )) /dev/zero | tr '\000' 'B' > "$1/big/blob1"
    head -c $(( 2 * MiB )) /dev/zero | tr '\000' 'C' > "$1/big/blob2"
}

ext() { # image size_MiB mkfs label uuid
    old_data "$1" "$2"
    rm -rf "$work/tree" && populate "$work/tree"
    "$3" -q -F -b 4096 -L "$4" -U "$5" -E nodiscard,hash_seed=6f1ad1c6-5b9b-4d5c-9f0a-1a2b3c4d5e6f \
        -d "$work/tree" "$1" >/dev/null
}

make_gpt() {
    local disk=$work/gpt.raw
    old_data "$disk" 40
    sgdisk -o -U 11111111-2222-3333-4444-555555555555 \
        -n 1:2048:+20M -t 1:8300 -c 1:root -u 1:aaaaaaaa-0000-0000-0000-000000000001 \
        -n 2:45056:+8M -t 2:ef00 -c 2:EFI -u 2:aaaaaaaa-0000-0000-0000-000000000002 \
        -n 3:63488:+6M -t 3:8200 -c 3:swap -u 3:aaaaaaaa-0000-0000-0000-000000000003 "$disk" >/dev/null
    ext "$work/p1" 20 mkfs.ext4 root 0f0e0d0c-0b0a-0908-0706-050403020100
    debugfs -w -R "rm /big/blob1" "$work/p1" >/dev/null 2>&1
    debugfs -w -R "rm /docs/file7" "$work/p1" >/dev/null 2>&1
    debugfs -w -R "rm /logs/log2.txt" "$work/p1" >/dev/null 2>&1
    put "$disk" "$work/p1" 1
    old_data "$work/p2" 8
    mkfs.vfat -n EFI -i 1234abcd "$work/p2" >/dev/null
    rm -rf "$work/tree" && populate "$work/tree"
    mcopy -s -i "$work/p2" "$work/tree/docs" "$work/tree/big" ::/
    mdel -i "$work/p2" ::/big/blob2
    put "$disk" "$work/p2" 22
    old_data "$work/p3" 6
    mkswap -L swap -U 5a5a5a5a-0000-4000-8000-000000000003 "$work/p3" >/dev/null 2>&1
    put "$disk" "$work/p3" 31
}

make_mbr() {
    local disk=$work/mbr.raw
    old_data "$disk" 96
    printf 'label: dos\nlabel-id: 0x5eed0001\nstart=2048, size=64M, type=83\nstart=133120, size=28M, type=5\n'\
'start=135168, size=12M, type=83\nstart=161792, size=12M, type=7\n' | sfdisk -q "$disk"
    old_data "$work/p1" 64
    mkfs.xfs -q -K -f -L data -m uuid=d0d0d0d0-1111-2222-3333-444444444444 "$work/p1"
    put "$disk" "$work/p1" 1
    ext "$work/p5" 12 mkfs.ext2 boot b0b0b0b0-1111-2222-3333-444444444444
    debugfs -w -R "rm /big/blob2" "$work/p5" >/dev/null 2>&1
    put "$disk" "$work/p5" 66
    old_data "$work/p6" 12
    mkntfs -q -F -f -L win -s 512 -c 4096 "$work/p6" >/dev/null 2>&1
    put "$disk" "$work/p6" 79
}

make_whole() {
    ext "$work/whole.raw" 16 mkfs.ext4 whole 3e3e3e3e-1111-2222-3333-444444444444
    debugfs -w -R "rm /big/blob1" "$work/whole.raw" >/dev/null 2>&1
    debugfs -w -R "rm /docs/file11" "$work/whole.raw" >/dev/null 2>&1
}

make_garbage() {
    local disk=$work/garbage.raw
    old_data "$disk" 4
    # A primary entry of type 0x83 starting far past the disk, an extended entry whose chain
    # points at itself (sector 0: this MBR again), one whose length runs past the disk, an empty
    # fourth slot, and the 55 AA signature.
    printf '\x00\xff\xff\xff\x83\xff\xff\xff\xff\xff\xff\x7f\xff\xff\xff\xff' | dd of="$disk" bs=1 seek=446 conv=notrunc status=none
    printf '\x00\xff\xff\xff\x05\xff\xff\xff\x00\x00\x00\x00\x10\x00\x00\x00' | dd of="$disk" bs=1 seek=462 conv=notrunc status=none
    printf '\x00\x00\x00\x00\x83\x00\x00\x00\x01\x00\x00\x00\xff\xff\xff\xff' | dd of="$disk" bs=1 seek=478 conv=notrunc status=none
    dd if=/dev/zero of="$disk" bs=1 seek=494 count=16 conv=notrunc status=none
    printf '\x55\xaa' | dd of="$disk" bs=1 seek=510 conv=notrunc status=none
}

convert() { qemu-img convert -f raw -O qcow2 "$@"; }

for name in gpt mbr whole garbage; do
    "make_$name"
    raw=$work/$name.raw
    rm -f "$out/$name"*.qcow2
    convert -c "$raw" "$out/$name.qcow2"
    [[ $all == 1 ]] || continue
    cp "$raw" "$out/$name.raw"
    convert "$raw" "$out/$name-plain.qcow2"
    convert -c -o compression_type=zstd "$raw" "$out/$name-zstd.qcow2"
    convert -o cluster_size=4k "$raw" "$out/$name-4k.qcow2"
    convert -o cluster_size=2M "$raw" "$out/$name-2m.qcow2"
    convert -o extended_l2=on "$raw" "$out/$name-extl2.qcow2"
    # An overlay written by the guest after the copy: a few clusters of new data here and there.
    qemu-img create -q -f qcow2 -b "$name-plain.qcow2" -F qcow2 "$out/$name-overlay.qcow2"
    qemu-io -f qcow2 -c "write -P 0x5c 64k 64k" -c "write -z 2M 128k" "$out/$name-overlay.qcow2" >/dev/null
    # An internal snapshot taken, then the disk changed: the snapshot keeps the old clusters.
    cp "$out/$name-plain.qcow2" "$out/$name-snap.qcow2"
    qemu-img snapshot -c before "$out/$name-snap.qcow2"
    qemu-io -f qcow2 -c "write -P 0x6d 3M 192k" -c "discard 3584k 64k" "$out/$name-snap.qcow2" >/dev/null
done
ls -l "$out"
