#!/usr/bin/env python3
"""Small, deliberate edits of qcow2 fixture images (used by make-fixtures.sh and Demo/make-demo.sh).

Every edit names the qcow2.txt section it relies on. The script only ever edits the file it is
given; make-fixtures.sh always hands it a *copy* of an image that QEMU made.

    qcow2tool.py set-incompatible-bit IMAGE BIT   # "Header", bytes 72-79 (0 = dirty, 1 = corrupt)
    qcow2tool.py normalize-snapshot-dates IMAGE EPOCH  # "Snapshots", bytes 16-23 of each entry
    qcow2tool.py leak IMAGE                        # append one cluster with refcount 1, referenced by nothing
    qcow2tool.py zero-refcount IMAGE               # refcount 0 for the first used data cluster
    qcow2tool.py l2-past-eof IMAGE                 # first allocated L2 entry points beyond the end of file
    qcow2tool.py l2-shared IMAGE                   # second allocated L2 entry copies the first one
    qcow2tool.py truncate-data IMAGE               # cut the file in the middle of its last data cluster
    qcow2tool.py truncate-l2 IMAGE                 # cut the file through the last used L2 entry
    qcow2tool.py set-u32 IMAGE OFFSET VALUE         # any header field ("Header": l1_size is at 36)
    qcow2tool.py set-u64 IMAGE OFFSET VALUE
    qcow2tool.py set-data-file-name IMAGE NAME     # "Header extensions": external data file name
    qcow2tool.py drop-backing-format IMAGE         # "Header extensions": remove the backing format
"""
import os
import struct
import sys

OFFSET_MASK = 0x00FFFFFFFFFFFE00  # "Cluster mapping": bits 9-55 of L1/L2 entries
COMPRESSED = 1 << 62
COPIED = 1 << 63


class Image:
    def __init__(self, path):
        self.path = path
        self.f = open(path, "r+b")
        h = self.read(0, 104)
        magic, version = struct.unpack_from(">4sI", h, 0)
        if magic != b"QFI\xfb":
            sys.exit(f"{path}: not a qcow2 image")
        self.version = version
        self.cluster_bits = struct.unpack_from(">I", h, 20)[0]
        self.cluster_size = 1 << self.cluster_bits
        self.l1_size, self.l1_offset = struct.unpack_from(">IQ", h, 36)
        self.rt_offset, self.rt_clusters = struct.unpack_from(">QI", h, 48)
        self.nb_snapshots, self.snapshots_offset = struct.unpack_from(">IQ", h, 60)
        self.refcount_order = struct.unpack_from(">I", h, 96)[0] if version >= 3 else 4
        self.incompatible = struct.unpack_from(">Q", h, 72)[0] if version >= 3 else 0
        if self.incompatible & 0x10:
            sys.exit(f"{path}: extended L2 entries are not supported by this tool")

    def read(self, offset, length):
        self.f.seek(offset)
        return self.f.read(length)

    def write(self, offset, data):
        self.f.seek(offset)
        self.f.write(data)

    def size(self):
        return os.fstat(self.f.fileno()).st_size

    def l2_entries(self):
        """Yields (entry file offset, entry value) for every non-zero entry of the active L2 tables."""
        l1 = self.read(self.l1_offset, self.l1_size * 8)
        for i in range(self.l1_size):
            l2_offset = struct.unpack_from(">Q", l1, i * 8)[0] & OFFSET_MASK
            if l2_offset == 0:
                continue
            table = self.read(l2_offset, self.cluster_size)
            for j in range(self.cluster_size // 8):
                value = struct.unpack_from(">Q", table, j * 8)[0]
                if value != 0:
                    yield l2_offset + j * 8, value

    def data_entries(self):
        """Standard (not compressed) allocated L2 entries: "Standard Cluster Descriptor"."""
        return [(at, v) for at, v in self.l2_entries() if not v & COMPRESSED and v & OFFSET_MASK]

    def refcount_location(self, host_offset):
        """File offset of the refcount block entry of a host cluster ("Host cluster management")."""
        if self.refcount_order != 4:
            sys.exit(f"{self.path}: only refcount_bits=16 is supported by this tool")
        entries = self.cluster_size * 8 // 16
        index = host_offset // self.cluster_size
        table_index, block_index = divmod(index, entries)
        rt = self.read(self.rt_offset + table_index * 8, 8)
        block = struct.unpack(">Q", rt)[0] & ~0x1FF
        if block == 0:
            sys.exit(f"{self.path}: no refcount block covers offset {host_offset:#x}")
        return block + block_index * 2

    def set_refcount(self, host_offset, value):
        self.write(self.refcount_location(host_offset), struct.pack(">H", value))


def set_incompatible_bit(img, bit):
    if img.version < 3:
        sys.exit(f"{img.path}: version 2 images have no incompatible_features field")
    img.write(72, struct.pack(">Q", img.incompatible | (1 << int(bit))))


def normalize_snapshot_dates(img, epoch):
    """Snapshot dates are wall-clock time; fixing them makes the fixtures reproducible."""
    at = img.snapshots_offset
    for n in range(img.nb_snapshots):
        fixed = struct.unpack_from(">QIHHIIQII", img.read(at, 40))
        id_len, name_len, extra = fixed[2], fixed[3], fixed[8]
        img.write(at + 16, struct.pack(">II", int(epoch) + 3600 * n, 0))
        length = 40 + extra + id_len + name_len
        at += (length + 7) // 8 * 8


def leak(img):
    end = (img.size() + img.cluster_size - 1) // img.cluster_size * img.cluster_size
    img.write(end, b"\x4c" * img.cluster_size)  # 'L' pattern: easy to spot in a hex view
    img.set_refcount(end, 1)


def zero_refcount(img):
    at, value = img.data_entries()[0]
    img.set_refcount(value & OFFSET_MASK, 0)


def l2_past_eof(img):
    at, value = img.data_entries()[0]
    beyond = (img.size() // img.cluster_size + 16) * img.cluster_size
    img.write(at, struct.pack(">Q", (value & ~OFFSET_MASK) | beyond))


def l2_shared(img):
    entries = img.data_entries()
    if len(entries) < 2:
        sys.exit(f"{img.path}: needs two allocated data clusters")
    img.write(entries[1][0], struct.pack(">Q", entries[0][1]))


def truncate_data(img):
    last = max(v & OFFSET_MASK for _, v in img.data_entries())
    img.f.truncate(last + img.cluster_size // 2 + 1234)


def truncate_l2(img):
    """Keeps half of the last non-zero L2 entry: every cluster after that L2 table is gone too."""
    at = max(at for at, _ in img.l2_entries())
    img.f.truncate(at + 4)


def set_u32(img, offset, value):
    img.write(int(offset, 0), struct.pack(">I", int(value, 0)))


def set_u64(img, offset, value):
    img.write(int(offset, 0), struct.pack(">Q", int(value, 0)))


DATA_FILE_EXT = 0x44415441
BACKING_FORMAT_EXT = 0xE2792ACA


def rewrite_extensions(img, edit):
    """Reads the extension list (from header_length to the end marker), lets `edit` change it,
    and writes it back in place. The area ends at the backing file name or the first cluster."""
    start = struct.unpack_from(">I", img.read(100, 4))[0] if img.version >= 3 else 72
    backing_offset = struct.unpack_from(">Q", img.read(8, 8))[0]
    end = backing_offset or img.cluster_size
    exts, at = [], start
    while at + 8 <= end:
        kind, length = struct.unpack_from(">II", img.read(at, 8))
        if kind == 0:
            break
        exts.append((kind, img.read(at + 8, length)))
        at += 8 + (length + 7) // 8 * 8
    area = b"".join(struct.pack(">II", k, len(d)) + d + b"\0" * (-len(d) % 8) for k, d in edit(exts))
    area += b"\0" * 8
    if start + len(area) > end:
        sys.exit(f"{img.path}: the extensions do not fit before {end}")
    img.write(start, area + b"\0" * (max(0, at + 8 - start - len(area))))


def set_data_file_name(img, name):
    rewrite_extensions(img, lambda exts: [(k, d) for k, d in exts if k != DATA_FILE_EXT] + [(DATA_FILE_EXT, os.fsencode(name))])


def drop_backing_format(img):
    rewrite_extensions(img, lambda exts: [(k, d) for k, d in exts if k != BACKING_FORMAT_EXT])


COMMANDS = {
    "set-u32": set_u32,
    "set-u64": set_u64,
    "set-data-file-name": set_data_file_name,
    "drop-backing-format": drop_backing_format,
    "set-incompatible-bit": set_incompatible_bit,
    "normalize-snapshot-dates": normalize_snapshot_dates,
    "leak": leak,
    "zero-refcount": zero_refcount,
    "l2-past-eof": l2_past_eof,
    "l2-shared": l2_shared,
    "truncate-data": truncate_data,
    "truncate-l2": truncate_l2,
}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    image = Image(sys.argv[2])
    COMMANDS[sys.argv[1]](image, *sys.argv[3:])
    image.f.close()
