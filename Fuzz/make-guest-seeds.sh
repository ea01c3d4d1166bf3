#!/usr/bin/env bash
# Fuzz/make-guest-seeds.sh — remakes Fuzz/seeds/guest-*.img: small raw guest disks (≤ 128 KiB, the
# fuzzer's input limit) that reach the Guest module's parsers, which qcow2 seeds never do: an MBR
# with a chain of logical partitions, a GPT, an LVM2 PV with text metadata (its first 128 KiB), a
# FAT12 volume and a swap area, ext2 and ext4 volumes with a file deleted, and the first 128 KiB of
# XFS v4 and v5 filesystems (superblock, AG 0's AGF, free list and free-space B+tree roots). Needs
# sfdisk, sgdisk, mkfs.vfat, mtools, mkswap, e2fsprogs, xfsprogs, and losetup + lvm2 for the PV
# (skipped without a loop device).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Fuzz/seeds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p "$out"
fill() { head -c "$2" /dev/zero | tr '\000' '\245' >"$1"; }

fill mbr.img 131072
printf 'label: dos\nstart=8, size=40, type=83\nstart=48, type=5\nstart=56, size=40, type=82\nstart=104, size=40, type=7\nstart=152, size=40, type=c\n' |
    sfdisk -q mbr.img
cp mbr.img "$out/guest-mbr-logicals.img"

fill gpt.img 131072
sgdisk -n 1:40:+20K -t 1:8300 -c 1:root -n 3:0:+30K -t 3:8E00 -c 3:"lvm ü" gpt.img >/dev/null
cp gpt.img "$out/guest-gpt.img"

fill fat.img 65536
mkfs.vfat -F 12 -n SEED fat.img >/dev/null
head -c 3000 /dev/urandom >a && head -c 9000 /dev/urandom >b
mcopy -i fat.img a b ::/ && mdel -i fat.img ::/a
cp fat.img "$out/guest-fat12.img"

fill swap.img 65536
mkswap -L SEED swap.img >/dev/null
cp swap.img "$out/guest-swap.img"

fill pv.img 4194304
if dev=$(losetup -f --show pv.img 2>/dev/null); then
    config="activation { udev_sync=0 udev_rules=0 } devices { filter=[\"a|$dev|\",\"r|.*|\"] use_devicesfile=0 }"
    export LVM_SUPPRESS_FD_WARNINGS=1
    {
        pvcreate --config "$config" "$dev" && vgcreate --config "$config" -s 64K seedvg "$dev" &&
            lvcreate --config "$config" --driverloaded n -Zn -an -L 512K -n a seedvg &&
            lvcreate --config "$config" --driverloaded n -Zn -an -L 256K -n b seedvg &&
            lvextend --config "$config" --driverloaded n -L +256K seedvg/a
    } >/dev/null 2>&1 || echo "make-guest-seeds: lvm2 failed; no PV seed" >&2
    losetup -d "$dev"
    head -c 131072 pv.img >"$out/guest-lvm-pv.img"
else
    echo "make-guest-seeds: no loop device; no PV seed" >&2
fi
fill ext2.img 131072
head -c 20000 /dev/urandom >c
mkfs.ext2 -q -F -b 1024 -N 16 ext2.img && debugfs -w -R "write c c" ext2.img >/dev/null 2>&1 &&
    debugfs -w -R "write b b" ext2.img >/dev/null 2>&1 && debugfs -w -R "rm c" ext2.img >/dev/null 2>&1
cp ext2.img "$out/guest-ext2.img"

fill ext4.img 131072
mkfs.ext4 -q -F -b 1024 -N 16 -O ^has_journal,^resize_inode ext4.img && debugfs -w -R "write b b" ext4.img >/dev/null 2>&1
cp ext4.img "$out/guest-ext4.img"

for v in 4 5; do
    truncate -s 300M xfs.img
    mkfs.xfs -q -f -m crc=$((v - 4)) -d agcount=2 xfs.img 2>/dev/null
    head -c 131072 xfs.img >"$out/guest-xfs-v$v.img"
    rm xfs.img
done

ls -l "$out"
