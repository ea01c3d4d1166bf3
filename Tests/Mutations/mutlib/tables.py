"""L1, L2 and refcount table damage (spec, "Cluster mapping", "Host cluster management")."""
from .image import OFFSET_MASK, get, put

COPIED = 1 << 63
COMPRESSED = 1 << 62


def pointer_targets(img):
    """Offsets an entry can be pointed at: past EOF, into the header, at other metadata, misaligned."""
    h = img.h
    eof = (len(img.data) + img.cs - 1) & ~(img.cs - 1)
    targets = {"past-eof": eof + 16 * img.cs, "far-past-eof": 0x00FFFFFFFFFFFE00,
               "l1": h["l1_table_offset"], "refcount-table": h["refcount_table_offset"],
               "misaligned": (img.l2_tables[0] if img.l2_tables else img.cs) + 512}
    if img.refcount_blocks:
        targets["refcount-block"] = img.refcount_blocks[0]
    if img.snapshots:
        targets["snapshot-table"] = h["snapshots_offset"] & ~(img.cs - 1)
    if img.data_clusters:
        targets["data"] = img.data_clusters[0]
    return targets


def l1_mutations(img):
    l1o = img.h["l1_table_offset"]
    used = [i for i, e in enumerate(img.l1) if e & OFFSET_MASK] or [0]
    i = used[0]
    for label, target in pointer_targets(img).items():
        if label == "l1":
            label = "itself"
        yield f"l1-entry-{label}", put(img.data, l1o + 8 * i, 8, COPIED | target), f"active L1[{i}] points at {label} ({target:#x})"
    yield "l1-entry-reserved", put(img.data, l1o + 8 * i, 8, img.l1[i] | 0x7F000000000001FF), f"L1[{i}] with every reserved bit set"
    yield "l1-entry-ones", put(img.data, l1o + 8 * i, 8, (1 << 64) - 1), f"L1[{i}] is all ones"
    yield "l1-entry-nocopied", put(img.data, l1o + 8 * i, 8, img.l1[i] & ~COPIED), f"L1[{i}] COPIED flag cleared"
    data = bytearray(img.data)
    first = img.l1[used[0]]
    for j in range(len(img.l1)):
        data = put(data, l1o + 8 * j, 8, first)
    yield "l1-all-same-l2", data, "every L1 entry points at the same L2 table"
    data = bytearray(img.data)
    for j in range(len(img.l1)):
        data = put(data, l1o + 8 * j, 8, COPIED | ((j * 0x9E3779B97F4A7C15) & OFFSET_MASK))
    yield "l1-random-pointers", data, "every L1 entry points at a pseudo-random offset"


def l2_mutations(img):
    """Damage to the first allocated entries of the first active L2 table."""
    l2 = next((e & OFFSET_MASK for e in img.l1 if e & OFFSET_MASK), None)
    if l2 is None:
        return
    entries = img.l2_entries(l2)
    normal = next(((o, e) for o, e in entries if e & OFFSET_MASK and not e & COMPRESSED), entries[0])
    o, e = normal
    for label, target in pointer_targets(img).items():
        yield f"l2-entry-{label}", put(img.data, o, 8, COPIED | target), f"L2 entry at {o:#x} points at {label} ({target:#x})"
    yield "l2-entry-itself", put(img.data, o, 8, COPIED | l2), "an L2 entry points at its own L2 table"
    yield "l2-entry-reserved", put(img.data, o, 8, e | 0x3F000000000001FE), "L2 entry with every reserved bit set"
    yield "l2-entry-ones", put(img.data, o, 8, (1 << 64) - 1), "L2 entry all ones (compressed, huge size)"
    yield "l2-entry-zero-alloc", put(img.data, o, 8, e | 1), "L2 data entry with the zero flag (zero-alloc)"
    second = next(((p, f) for p, f in entries if f & OFFSET_MASK and p != o and not f & COMPRESSED), None)
    if second:
        yield "l2-two-share-cluster", put(img.data, second[0], 8, e), "two L2 entries point at one cluster (refcount 1)"
    data = bytearray(img.data)
    for p, _ in entries:
        data = put(data, p, 8, e)
    yield "l2-all-same-cluster", data, "every entry of an L2 table points at the same cluster"
    data = bytearray(img.data)
    for k, (p, _) in enumerate(entries):
        data = put(data, p, 8, COMPRESSED | (k * 0x2545F4914F6CDD1D) & ((1 << 62) - 1))
    yield "l2-all-compressed-garbage", data, "every entry of an L2 table is a garbage compressed descriptor"
    yield from compressed_mutations(img)


def compressed_mutations(img):
    comp = img.compressed_entries()
    if not comp:
        return
    o, e = comp[0]
    shift = 62 - (img.cluster_bits - 8)
    size_mask = ((1 << (img.cluster_bits - 8)) - 1) << shift
    host = e & ((1 << shift) - 1)
    yield "comp-sectors-max", put(img.data, o, 8, e | size_mask), "compressed descriptor with the largest sector count"
    yield "comp-offset-past-eof", put(img.data, o, 8, (e & ~((1 << shift) - 1)) | (len(img.data) + 4096)), "compressed data past EOF"
    yield "comp-offset-header", put(img.data, o, 8, (e & size_mask) | COMPRESSED | 0x10), "compressed data read from the header"
    yield "comp-offset-last-byte", put(img.data, o, 8, COMPRESSED | (len(img.data) - 1)), "compressed data at the last byte of the file"
    data = bytearray(img.data)
    for k in range(host, min(host + 64, len(data))):
        data[k] ^= 0x5A
    yield "comp-data-corrupt", data, "compressed stream bytes flipped"
    data = bytearray(img.data)
    data[host:host + 32] = bytes(32)
    yield "comp-data-zeroed", data, "compressed stream starts with zeros"
    if img.extl2:
        yield "comp-extl2-bitmap", put(img.data, o + 8, 8, 0xFFFF), "extended L2 compressed entry with a subcluster bitmap"


def extl2_mutations(img):
    if not img.extl2:
        return
    l2 = next((e & OFFSET_MASK for e in img.l1 if e & OFFSET_MASK), None)
    entries = img.l2_entries(l2)
    o, e = next(((p, f) for p, f in entries if f & OFFSET_MASK), entries[0])
    yield "extl2-alloc-and-zero", put(img.data, o + 8, 8, (1 << 64) - 1), "subcluster both allocated and zero everywhere"
    o2, _ = next(((p, f) for p, f in entries if not f & OFFSET_MASK), entries[-1])
    yield "extl2-unalloc-with-bits", put(img.data, o2 + 8, 8, 0xFFFFFFFF), "unallocated cluster with allocation bits"


def refcount_mutations(img):
    rto = img.h["refcount_table_offset"]
    for label, target in pointer_targets(img).items():
        if label == "refcount-table":
            label = "itself"
        yield f"reftable-entry-{label}", put(img.data, rto, 8, target), f"refcount table entry 0 points at {label} ({target:#x})"
    yield "reftable-entry-reserved", put(img.data, rto, 8, img.refcount_table[0] | 0x1FF), "refcount table entry 0 reserved bits"
    yield "reftable-entry-zero", put(img.data, rto, 8, 0), "refcount table entry 0 cleared (every refcount reads 0)"
    if img.l2_tables:
        yield "refblock-is-l2", put(img.data, rto, 8, img.l2_tables[0]), "refcount block overlaps an L2 table"
    data = bytearray(img.data)
    n = len(img.refcount_table)
    for j in range(n):
        data = put(data, rto + 8 * j, 8, rto)
    yield "reftable-all-itself", data, "every refcount table entry points into the refcount table itself"
    if img.refcount_blocks:
        block = img.refcount_blocks[0]
        data = bytearray(img.data)
        data[block:block + img.cs] = b"\xff" * img.cs
        yield "refblock-all-max", data, "first refcount block: every refcount at its maximum"
        data = bytearray(img.data)
        data[block:block + img.cs] = bytes(img.cs)
        yield "refblock-all-zero", data, "first refcount block zeroed: every cluster refcount 0"
        data = bytearray(img.data)
        for c in range(0, img.cs, 2):
            data[block + c] = 0
            data[block + c + 1] = 3
        yield "refblock-all-three", data, "first refcount block: every refcount 3 (16-bit) or mixed"
