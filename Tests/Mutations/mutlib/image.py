"""A tiny qcow2 reader/patcher for the mutation corpus (spec: docs/interop/qcow2.txt).

It locates every structure of a *valid* base image (header fields, extensions, L1/L2 tables,
refcount table and blocks, snapshot table, bitmap directory and tables) so mutations can damage
exactly one thing. It trusts the base image: it is never run on a mutated file.
"""
import struct

MAGIC = 0x514649FB
EXT_END = 0
EXT_BACKING_FORMAT = 0xE2792ACA
EXT_FEATURE_NAMES = 0x6803F857
EXT_BITMAPS = 0x23852875
EXT_CRYPTO = 0x0537BE77
EXT_DATA_FILE = 0x44415441
OFFSET_MASK = 0x00FFFFFFFFFFFE00

# (name, byte offset, width) of every header field (spec, "Header").
HEADER_FIELDS = [
    ("magic", 0, 4), ("version", 4, 4), ("backing_file_offset", 8, 8), ("backing_file_size", 16, 4),
    ("cluster_bits", 20, 4), ("size", 24, 8), ("crypt_method", 32, 4), ("l1_size", 36, 4),
    ("l1_table_offset", 40, 8), ("refcount_table_offset", 48, 8), ("refcount_table_clusters", 56, 4),
    ("nb_snapshots", 60, 4), ("snapshots_offset", 64, 8), ("incompatible_features", 72, 8),
    ("compatible_features", 80, 8), ("autoclear_features", 88, 8), ("refcount_order", 96, 4),
    ("header_length", 100, 4), ("compression_type", 104, 1),
]
FMT = {1: ">B", 2: ">H", 4: ">I", 8: ">Q"}


def get(data, offset, width):
    return struct.unpack_from(FMT[width], data, offset)[0]


def put(data, offset, width, value):
    """Returns a copy of `data` with a big-endian field replaced (value wrapped to the width)."""
    out = bytearray(data)
    if offset + width > len(out):
        out.extend(bytes(offset + width - len(out)))
    struct.pack_into(FMT[width], out, offset, value & ((1 << (8 * width)) - 1))
    return out


def pad8(b):
    return b + bytes(-len(b) % 8)


class Image:
    """The structures of one valid base image, by absolute offset."""

    def __init__(self, name, data):
        self.name = name
        self.data = bytes(data)
        d = self.data
        h = {n: get(d, o, w) for n, o, w in HEADER_FIELDS if o + w <= 72}
        self.version = h["version"]
        if self.version >= 3:
            for n, o, w in HEADER_FIELDS[13:18]:
                h[n] = get(d, o, w)
            h["compression_type"] = d[104] if h["header_length"] > 104 else 0
        else:
            h.update(incompatible_features=0, compatible_features=0, autoclear_features=0,
                     refcount_order=4, header_length=72, compression_type=0)
        self.h = h
        self.cluster_bits = h["cluster_bits"]
        self.cs = 1 << self.cluster_bits
        self.extl2 = bool(h["incompatible_features"] & 16)
        self.l2_entry = 16 if self.extl2 else 8
        self.header_length = h["header_length"]
        self.extensions = self._extensions()
        self.l1 = [get(d, h["l1_table_offset"] + 8 * i, 8) for i in range(h["l1_size"])]
        self.l2_tables = sorted({e & OFFSET_MASK for e in self.l1 if e & OFFSET_MASK})
        rt_entries = h["refcount_table_clusters"] * self.cs // 8
        self.refcount_table = [get(d, h["refcount_table_offset"] + 8 * i, 8) for i in range(rt_entries)]
        self.refcount_blocks = [e & ~0x1FF for e in self.refcount_table if e & ~0x1FF]
        self.snapshots = self._snapshots()
        for s in self.snapshots:
            l1 = [get(d, s["l1_table_offset"] + 8 * i, 8) for i in range(s["l1_size"])]
            self.l2_tables = sorted(set(self.l2_tables) | {e & OFFSET_MASK for e in l1 if e & OFFSET_MASK})
        self.bitmaps_ext, self.bitmaps = self._bitmaps()
        self.data_clusters = self._data_clusters()

    # -- parsing -------------------------------------------------------------------------------
    def _extensions(self):
        """[(offset, type, data)] up to the end marker (spec, "Header extensions")."""
        out, pos, d = [], self.header_length, self.data
        while pos + 8 <= self.cs:
            t, n = struct.unpack_from(">II", d, pos)
            if t == EXT_END:
                break
            out.append((pos, t, d[pos + 8:pos + 8 + n]))
            pos += 8 + n + (-n % 8)
        self.extensions_end = pos
        return out

    def extension(self, ext_type):
        return next((e for e in self.extensions if e[1] == ext_type), None)

    def _snapshots(self):
        out, pos, d = [], self.h["snapshots_offset"], self.data
        for i in range(self.h["nb_snapshots"]):
            l1o, l1n, ids, ns, _, _, _, _, extra = struct.unpack_from(">QIHHIIQII", d, pos)
            e = pos + 40
            out.append(dict(offset=pos, l1_table_offset=l1o, l1_size=l1n, id_size=ids, name_size=ns,
                            extra_size=extra, id=d[e + extra:e + extra + ids],
                            name=d[e + extra + ids:e + extra + ids + ns]))
            pos += 40 + extra + ids + ns
            pos += -pos % 8
        self.snapshots_end = pos
        return out

    def _bitmaps(self):
        ext = self.extension(EXT_BITMAPS)
        if not ext:
            return None, []
        nb, _, size, off = struct.unpack_from(">IIQQ", ext[2], 0)
        out, pos = [], off
        for i in range(nb):
            toff, tsize, flags, typ, gran, nsize, extra = struct.unpack_from(">QIIBBHI", self.data, pos)
            out.append(dict(offset=pos, table_offset=toff, table_size=tsize, flags=flags, type=typ,
                            granularity_bits=gran, name_size=nsize, extra_size=extra,
                            name=self.data[pos + 24 + extra:pos + 24 + extra + nsize],
                            table=[get(self.data, toff + 8 * j, 8) for j in range(tsize)]))
            pos += 24 + extra + nsize
            pos += -pos % 8
        return dict(ext_offset=ext[0], nb=nb, size=size, offset=off), out

    def _data_clusters(self):
        """Host offsets of normal data clusters of the active L1 (for overlap mutations)."""
        out = []
        for l2 in sorted({e & OFFSET_MASK for e in self.l1 if e & OFFSET_MASK}):
            for i in range(self.cs // self.l2_entry):
                e = get(self.data, l2 + i * self.l2_entry, 8)
                if e & (1 << 62) == 0 and e & OFFSET_MASK:
                    out.append(e & OFFSET_MASK)
        return out

    def l2_entries(self, l2_offset):
        """[(absolute offset, raw entry)] of one L2 table."""
        return [(l2_offset + i * self.l2_entry, get(self.data, l2_offset + i * self.l2_entry, 8))
                for i in range(self.cs // self.l2_entry)]

    def compressed_entries(self):
        return [(o, e) for l2 in self.l2_tables for o, e in self.l2_entries(l2) if e & (1 << 62)]

    # -- patching -------------------------------------------------------------------------------
    def field(self, name):
        return next((o, w) for n, o, w in HEADER_FIELDS if n == name)

    def set_field(self, name, value, data=None):
        o, w = self.field(name)
        return put(self.data if data is None else data, o, w, value)

    def append_cluster(self, data, payload):
        """Appends `payload` at the next cluster boundary, returns (data, offset); refcount fixed."""
        out = bytearray(data)
        out.extend(bytes(-len(out) % self.cs))
        offset = len(out)
        out.extend(payload)
        out.extend(bytes(-len(out) % self.cs))
        for c in range(offset // self.cs, len(out) // self.cs):
            out = self.set_refcount(out, c, 1)
        return out, offset

    def set_refcount(self, data, cluster, value):
        """Sets one refcount in an existing refcount block (orders 3-6); unchanged if not covered."""
        order = self.h["refcount_order"]
        if order < 3:
            return data
        width = 1 << (order - 3)
        per_block = self.cs // width
        i, j = divmod(cluster, per_block)
        if i >= len(self.refcount_table) or not self.refcount_table[i] & ~0x1FF:
            return data
        return put(data, (self.refcount_table[i] & ~0x1FF) + j * width, width, value)

    def with_extensions(self, exts, data=None, tail=b""):
        """Rewrites the extension area from [(type, bytes)], followed by `tail` (a backing name)."""
        out = bytearray(self.data if data is None else data)
        start = self.header_length
        end = self.cs
        area = b"".join(struct.pack(">II", t, len(b)) + pad8(b) for t, b in exts) + bytes(8)
        blob = area + tail
        if start + len(blob) > end:
            blob = blob[:end - start]
        out[start:end] = blob + bytes(end - start - len(blob))
        return out, start + len(area)

    def plain_extensions(self):
        return [(t, b) for _, t, b in self.extensions]
