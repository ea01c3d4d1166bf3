"""Backing chains (loops, devices, depth), truncation at structure boundaries, and seeded havoc."""
import random
import struct

from .image import EXT_BACKING_FORMAT, OFFSET_MASK, pad8, put
from .meta import HOSTILE_NAMES


def minimal_image(backing=None, backing_format=None, size=64 << 10):
    """A valid v3 image from scratch: 512-byte clusters, header / L1 / refcount table / block."""
    cs = 512
    l1_size = (size + cs * 64 - 1) // (cs * 64)
    exts = b""
    if backing_format is not None:
        exts += struct.pack(">II", EXT_BACKING_FORMAT, len(backing_format)) + pad8(backing_format)
    exts += bytes(8)
    name_offset = 112 + len(exts) if backing is not None else 0
    header = struct.pack(">IIQIIQIIQQIIQQQQII", 0x514649FB, 3, name_offset, len(backing or b""), 9, size, 0,
                         l1_size, cs, 2 * cs, 1, 0, 0, 0, 0, 0, 4, 112) + bytes(8)
    first = header + exts + (backing or b"")
    assert len(first) <= cs, "backing name too long for a minimal image"
    out = bytearray(first + bytes(cs - len(first)))
    out += bytes(cs)                                            # L1: unallocated
    out += struct.pack(">Q", 3 * cs) + bytes(cs - 8)            # refcount table -> block at cluster 3
    out += struct.pack(">HHHH", 1, 1, 1, 1) + bytes(cs - 8)     # clusters 0-3 in use
    return out


def chain_images():
    """(relative path, bytes, what) for backing-chain cases; names are relative to corpus/."""
    yield "chain-self.qcow2", minimal_image(b"chain-self.qcow2", b"qcow2"), "backing file is the image itself"
    yield "chain-loop-a.qcow2", minimal_image(b"chain-loop-b.qcow2", b"qcow2"), "A -> B -> A backing loop (A)"
    yield "chain-loop-b.qcow2", minimal_image(b"chain-loop-a.qcow2"), "A -> B -> A backing loop (B, no format ext)"
    yield "chain-loop3-a.qcow2", minimal_image(b"./chain-loop3-b.qcow2"), "A -> B -> C -> A loop with ./ names"
    yield "chain-loop3-b.qcow2", minimal_image(b"depth/../chain-loop3-c.qcow2"), "A -> B -> C -> A loop (B)"
    yield "chain-loop3-c.qcow2", minimal_image(b"chain-loop3-a.qcow2", b"qcow2"), "A -> B -> C -> A loop (C)"
    for label, name, fmt in [("dev-zero-raw", b"/dev/zero", b"raw"), ("dev-zero-qcow2", b"/dev/zero", b"qcow2"),
                             ("dev-zero-probe", b"/dev/zero", None), ("dev-urandom", b"/dev/urandom", None),
                             ("fifo", b"backing.fifo", b"raw"), ("dir-dot", b".", None), ("dir-root", b"/", b"qcow2"),
                             ("missing", b"does-not-exist.qcow2", b"qcow2"), ("empty-name", b"", b"qcow2"),
                             ("format-unknown", b"chain-self.qcow2", b"vmdk\x1b[2J"), ("non-qcow2", b"MANIFEST.tsv", b"qcow2"),
                             ("long-path", b"../" * 100 + b"x", None)]:
        what = f"backing file {name[:40]!r} format {fmt!r}" + (" (the test creates the FIFO)" if label == "fifo" else "")
        yield f"chain-{label}.qcow2", minimal_image(name, fmt), what
    for label in ("c1-raw", "invalid-utf8", "all"):
        name = HOSTILE_NAMES[label]
        yield f"chain-name-{label}.qcow2", minimal_image(name.replace(b"\x00", b"0"), b"raw\x1b[31m"), f"backing name and format: {label}"
    depth = 70
    yield "chain-depth-70.qcow2", minimal_image(b"depth/d01.qcow2", b"qcow2"), f"backing chain {depth} deep (past the limit of 64)"
    for k in range(1, depth):
        backing = b"d%02d.qcow2" % (k + 1) if k + 1 < depth else None
        yield f"depth/d{k:02d}.qcow2", minimal_image(backing, b"qcow2" if backing else None), f"link {k} of the 70-deep chain"


def backing_field_mutations(img):
    """Backing name offset and size damage on an image that has a backing file."""
    if not img.h["backing_file_offset"]:
        return
    o = img.h["backing_file_offset"]
    for label, off, size in [("offset-past-eof", len(img.data) + 4096, 10), ("offset-max", (1 << 64) - 1, 10),
                             ("size-past-eof", o, 0xFFFFFFFF), ("size-1024", o, 1024), ("offset-header", 0x10, 20),
                             ("offset-in-cluster-end", img.cs - 4, 64), ("offset-2nd-cluster", img.cs, 16)]:
        data = img.set_field("backing_file_offset", off)
        yield f"backing-{label}", img.set_field("backing_file_size", size, data), f"backing name at {off:#x}, {size} bytes"


def structure_boundaries(img):
    h, cs = img.h, img.cs
    marks = {0, 71, 104, img.extensions_end, cs, h["l1_table_offset"] + 8, h["refcount_table_offset"], len(img.data) - 1}
    marks |= set(img.l2_tables[:1]) | set(img.refcount_blocks[:1])
    if img.snapshots:
        marks |= {h["snapshots_offset"] + 20, img.snapshots[-1]["l1_table_offset"]}
    if img.bitmaps:
        marks |= {img.bitmaps_ext["offset"] + 12, img.bitmaps[0]["table_offset"]}
        marks |= {e & OFFSET_MASK for e in img.bitmaps[0]["table"] if e & OFFSET_MASK}
    if img.data_clusters:
        marks |= {img.data_clusters[0] + 1}
    return sorted(m for m in marks if 0 <= m < len(img.data))


def truncations(img, every=True):
    marks = structure_boundaries(img) if every else [72, img.cs, len(img.data) // 2, len(img.data) - 1]
    for m in marks:
        yield f"truncated-at-{m:#x}", img.data[:m], f"file truncated to {m} bytes"


INTERESTING = [0, 1, 0xFF, 0x1FF, 0x200, 0x7FFFFFFF, 0xFFFFFFFF, 1 << 63, (1 << 64) - 1, 0x00FFFFFFFFFFFE00]


def havoc(img, count):
    """Seeded random damage to metadata: byte flips and interesting words (like AFL's havoc)."""
    regions = [(0, img.cs), (img.h["l1_table_offset"], 8 * max(1, img.h["l1_size"])),
               (img.h["refcount_table_offset"], img.cs)] + [(t, img.cs) for t in img.l2_tables + img.refcount_blocks]
    if img.snapshots:
        regions.append((img.h["snapshots_offset"], img.snapshots_end - img.h["snapshots_offset"]))
    if img.bitmaps:
        regions.append((img.bitmaps_ext["offset"], img.bitmaps_ext["size"]))
    for n in range(count):
        rng = random.Random(f"{img.name}-havoc-{n}")
        data = bytearray(img.data)
        for _ in range(rng.randint(1, 12)):
            start, length = rng.choice(regions)
            at = start + rng.randrange(max(1, length))
            if at + 8 > len(data):
                continue
            if rng.random() < 0.5:
                data[at] ^= 1 << rng.randrange(8)
            else:
                at &= ~7
                data = put(data, at, 8, rng.choice(INTERESTING + [len(data) + rng.randrange(1 << 20)]))
        yield f"havoc-{n:02d}", data, f"seeded random damage #{n} to metadata (byte flips, boundary words)"
