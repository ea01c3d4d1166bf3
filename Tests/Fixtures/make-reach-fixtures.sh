#!/usr/bin/env bash
# Images that try to reach outside themselves (issue 17), made where the tests run them: FIFOs,
# symbolic links and a listening port cannot be committed. Nothing here opens what the names name:
# `qemu-img create -u` does not open the backing file, and data file names are written into the
# header by qcow2tool.py, after qemu-img made the image with a harmless local data file.
#
#   make-reach-fixtures.sh DIR PORT
#
# DIR/img/*.qcow2      backing or data file named /etc/passwd, file:///etc/passwd, ../../x, /dev/zero,
#                      a FIFO, a symbolic link to DIR/outside, http://127.0.0.1:PORT/x; a clean image;
#                      one whose backing file is beside it; one with no backing format
# DIR/img/kubevirt-*   CDI's invalid images: a VMDK named .img, 65,536 snapshots at offset 0, an L1
#                      table sized to exhaust memory; and an ISO 9660 image named .qcow2
# DIR/img/sparse-1t.qcow2  an empty 1 TiB image
# DIR/outside/secret.raw   what the symbolic link points at: must never be opened
set -euo pipefail
out=$1
port=$2
tool="$(cd "$(dirname "$0")" && pwd)/qcow2tool.py"
mkdir -p "$out/img" "$out/outside"
cd "$out/img"
printf 'secret' >../outside/secret.raw
mkfifo pipe.fifo
ln -s ../outside/secret.raw link.raw
qemu-img create -q -f raw inside.raw 1M
qemu-img create -q -f qcow2 clean.qcow2 1M
qemu-img create -q -f qcow2 sparse-1t.qcow2 1T

backed() { qemu-img create -q -f qcow2 -u -b "$2" -F raw "$1" 1M; }
backed backing-etc-passwd.qcow2 /etc/passwd
backed backing-file-scheme.qcow2 file:///etc/passwd
backed backing-parent.qcow2 ../../x
backed backing-dev-zero.qcow2 /dev/zero
backed backing-fifo.qcow2 pipe.fifo
backed backing-symlink.qcow2 link.raw
backed backing-url.qcow2 "http://127.0.0.1:$port/x"
backed backing-inside.qcow2 inside.raw
backed backing-no-format.qcow2 inside.raw
python3 "$tool" drop-backing-format backing-no-format.qcow2

data() {
    qemu-img create -q -f qcow2 -o data_file=inside.data "$1" 1M
    python3 "$tool" set-data-file-name "$1" "$2"
}
data data-etc-passwd.qcow2 /etc/passwd
data data-file-scheme.qcow2 file:///etc/passwd
data data-parent.qcow2 ../../x
data data-dev-zero.qcow2 /dev/zero
data data-fifo.qcow2 pipe.fifo
data data-symlink.qcow2 link.raw
data data-url.qcow2 "http://127.0.0.1:$port/x"

qemu-img create -q -f vmdk kubevirt-vmdk.img 1M
cp clean.qcow2 kubevirt-snapshots.qcow2
python3 "$tool" set-u32 kubevirt-snapshots.qcow2 60 65536   # nb_snapshots
python3 "$tool" set-u64 kubevirt-snapshots.qcow2 64 0       # snapshots_offset
cp clean.qcow2 kubevirt-l1.qcow2
python3 "$tool" set-u32 kubevirt-l1.qcow2 36 0x10000000     # l1_size: a 2 GiB table
# The primary volume descriptor of ISO 9660: sector 16 of 2048 bytes, type 1, "CD001".
truncate -s 64K kubevirt-iso.qcow2
printf '\001CD001' | dd of=kubevirt-iso.qcow2 bs=1 seek=32768 conv=notrunc status=none
