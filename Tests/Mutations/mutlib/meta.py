"""Snapshot table and bitmap directory damage, and hostile names (spec, "Snapshots", "Bitmaps")."""
from .image import get, pad8, put

# Names that must never reach a terminal raw.
HOSTILE_NAMES = {
    "esc-clear": b"\x1b[2J\x1b[H",
    "osc52": b"\x1b]52;c;ZWNobyBwd25lZAo=\x07",
    "bel": b"\x07\x07\x07bell",
    "c1-raw": b"csi\x9b31mred",
    "c1-utf8": b"csi\xc2\x9b31mred",
    "invalid-utf8": b"\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80end",
    "rtl-override": b"gpj.\xe2\x80\xaeexe",
    "newline-cr": b"line1\nline2\rover\x08\x7f\x00nul",
    "all": b"\x1b[2J\x1b]52;c;aGk=\x07\x9b\xc2\x9b\xe2\x80\xae\xff\x00\x1b[?1049h",
}


def _rewrite_snapshots(img, renamer, data=None):
    """Re-serialises the snapshot table at EOF with new ids/names; the old table is freed."""
    data = bytearray(img.data if data is None else data)
    table = b""
    for k, s in enumerate(img.snapshots):
        fixed = bytearray(img.data[s["offset"]:s["offset"] + 40])
        extra = img.data[s["offset"] + 40:s["offset"] + 40 + s["extra_size"]]
        sid, name = renamer(k, s)
        fixed[12:14] = len(sid).to_bytes(2, "big")
        fixed[14:16] = len(name).to_bytes(2, "big")
        table += pad8(bytes(fixed) + extra + sid + name)
    data, offset = img.append_cluster(data, table)
    for c in range(img.h["snapshots_offset"] // img.cs, (img.snapshots_end + img.cs - 1) // img.cs):
        data = img.set_refcount(data, c, 0)
    return img.set_field("snapshots_offset", offset, data)


def _rewrite_bitmaps(img, renamer, data=None):
    data = bytearray(img.data if data is None else data)
    table = b""
    for k, b in enumerate(img.bitmaps):
        fixed = bytearray(img.data[b["offset"]:b["offset"] + 24])
        extra = img.data[b["offset"] + 24:b["offset"] + 24 + b["extra_size"]]
        name = renamer(k, b)
        fixed[18:20] = len(name).to_bytes(2, "big")
        table += pad8(bytes(fixed) + extra + name)
    data, offset = img.append_cluster(data, table)
    start, end = img.bitmaps_ext["offset"], img.bitmaps_ext["offset"] + img.bitmaps_ext["size"]
    for c in range(start // img.cs, (end + img.cs - 1) // img.cs):
        data = img.set_refcount(data, c, 0)
    ext = img.bitmaps_ext["ext_offset"] + 8
    data = put(data, ext + 8, 8, len(table))
    return put(data, ext + 16, 8, offset)


def hostile_name_mutations(img):
    """Each hostile name in every snapshot id, snapshot name and bitmap name of one image."""
    for label, name in HOSTILE_NAMES.items():
        data = img.data
        if img.snapshots:
            data = _rewrite_snapshots(img, lambda k, s: (name + b"#%d" % k, name + b"%d" % k))
        if img.bitmaps:
            data = _rewrite_bitmaps(img, lambda k, b: name + b"%d" % k, data)
        yield f"names-{label}", data, f"snapshot ids and names, bitmap names: {label}"
    if img.snapshots:
        yield "snapshot-names-max", _rewrite_snapshots(img, lambda k, s: (b"\x1b" * 1023, b"\x9b" * 65535)), "snapshot id 1023 ESC, name 65535 C1 bytes"
        yield "snapshot-names-empty", _rewrite_snapshots(img, lambda k, s: (b"", b"")), "empty snapshot ids and names"
        yield "snapshot-names-dup", _rewrite_snapshots(img, lambda k, s: (b"1", b"same")), "duplicate snapshot ids and names"
    if img.bitmaps:
        yield "bitmap-names-dup", _rewrite_bitmaps(img, lambda k, b: b"same"), "duplicate bitmap names"
        yield "bitmap-name-1024", _rewrite_bitmaps(img, lambda k, b: b"\x1b" * 1024), "bitmap name of 1024 ESC bytes"


def snapshot_mutations(img):
    if not img.snapshots:
        return
    s0 = img.snapshots[0]
    o = s0["offset"]
    eof = len(img.data)
    for label, value in [("65536", 65536), ("plus-one", len(img.snapshots) + 1)]:
        yield f"nb-snapshots-{label}", img.set_field("nb_snapshots", value), f"nb_snapshots = {value}"
    for label, value in [("last-bytes", eof - 16), ("l1", img.h["l1_table_offset"])]:
        yield f"snapshots-offset-{label}", img.set_field("snapshots_offset", value), f"snapshots_offset = {label} ({value:#x})"
    # Table overrunning the file: move the table to the last cluster and claim many entries.
    data, offset = img.append_cluster(img.data, img.data[o:img.snapshots_end])
    data = data[:offset + (img.snapshots_end - o) - 4]
    yield "snapshot-table-overruns-eof", img.set_field("snapshots_offset", offset, data), "snapshot table cut 4 bytes before its end"
    for label, value in [("max", 0xFFFFFFFF), ("0", 0), ("odd", 17)]:
        yield f"snapshot-extra-{label}", put(img.data, o + 36, 4, value), f"snapshot 0 extra data size {value}"
    yield "snapshot-idsize-max", put(img.data, o + 12, 2, 0xFFFF), "snapshot 0 id_size 65535 (past EOF / next entry)"
    yield "snapshot-namesize-max", put(img.data, o + 14, 2, 0xFFFF), "snapshot 0 name_size 65535"
    for label, value in [("past-eof", eof + img.cs * 8), ("misaligned", s0["l1_table_offset"] + 8),
                         ("active-l1", img.h["l1_table_offset"]), ("itself", o & ~(img.cs - 1))]:
        yield f"snapshot-l1-{label}", put(img.data, o, 8, value), f"snapshot 0 L1 table at {label} ({value:#x})"
    for label, value in [("max", 0xFFFFFFFF), ("huge-in-file", eof // 8)]:
        yield f"snapshot-l1size-{label}", put(img.data, o + 8, 4, value), f"snapshot 0 l1_size {value}"
    yield "snapshot-vmstate-huge", put(put(img.data, o + 32, 4, 0xFFFFFFFF), o + 40, 8, (1 << 64) - 1), "snapshot VM state sizes at max"
    yield "snapshot-disk-size-max", put(img.data, o + 48, 8, (1 << 64) - 1), "snapshot virtual disk size 2^64-1"
    data = put(put(put(img.data, o + 16, 4, 0xFFFFFFFF), o + 20, 4, 0xFFFFFFFF), o + 24, 8, (1 << 64) - 1)
    yield "snapshot-date-clock-max", data, "snapshot date seconds/nanoseconds and vm clock at max"
    data = bytearray(img.data)
    data[o:img.snapshots_end] = bytes([0xC3]) * (img.snapshots_end - o)
    yield "snapshot-table-garbage", data, "snapshot table bytes all 0xc3"


def bitmap_mutations(img):
    if not img.bitmaps:
        return
    b0 = img.bitmaps[0]
    o = b0["offset"]
    eof = len(img.data)
    for label, value in [("0", 0), ("63", 63)]:
        yield f"bitmap-granularity-{label}", put(img.data, o + 17, 1, value), f"bitmap 0 granularity_bits {value}"
    for label, value in [("header", 0), ("past-eof", eof + img.cs * 4), ("misaligned", b0["table_offset"] + 8),
                         ("directory", img.bitmaps_ext["offset"])]:
        yield f"bitmap-table-{label}", put(img.data, o, 8, value), f"bitmap 0 table at {label} ({value:#x})"
    for label, value in [("max", 0xFFFFFFFF), ("in-file", eof // 8)]:
        yield f"bitmap-tablesize-{label}", put(img.data, o + 8, 4, value), f"bitmap 0 table_size {value}"
    for label, value in [("all", 0xFFFFFFFF)]:
        yield f"bitmap-flags-{label}", put(img.data, o + 12, 4, value), f"bitmap 0 flags {value:#x}"
    for label, value in [("255", 255)]:
        yield f"bitmap-type-{label}", put(img.data, o + 16, 1, value), f"bitmap 0 type {value}"
    yield "bitmap-namesize-max", put(img.data, o + 18, 2, 0xFFFF), "bitmap 0 name_size 65535"
    yield "bitmap-extra-max", put(img.data, o + 20, 4, 0xFFFFFFFF), "bitmap 0 extra data size 2^32-1"
    data = bytearray(img.data)
    end = img.bitmaps_ext["offset"] + img.bitmaps_ext["size"]
    data[o:end] = bytes((k * 37 + 11) & 0xFF for k in range(end - o))
    yield "bitmap-directory-garbage", data, "bitmap directory bytes replaced with a byte ramp"
    used = [b for b in img.bitmaps if any(b["table"])]
    if used:
        b = used[0]
        j = next(k for k, e in enumerate(b["table"]) if e)
        at = b["table_offset"] + 8 * j
        for label, value in [("past-eof", (eof + 64 * img.cs) & ~511), ("reserved", b["table"][j] | 0xFF000000000001FE),
                             ("l2", img.l2_tables[0] if img.l2_tables else 512), ("ones-flag", 1)]:
            yield f"bitmap-entry-{label}", put(img.data, at, 8, value), f"bitmap table entry {j} of {b['name'].decode(errors='replace')} -> {label}"
    yield "bitmaps-autoclear-clear", img.set_field("autoclear_features", img.h["autoclear_features"] & ~1), "bitmaps autoclear bit cleared"
