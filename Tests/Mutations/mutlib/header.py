"""Header field extremes and header extension damage (spec, "Header", "Header extensions")."""
import struct
from .image import (EXT_BACKING_FORMAT, EXT_BITMAPS, EXT_CRYPTO, EXT_DATA_FILE, EXT_FEATURE_NAMES,
                    HEADER_FIELDS, get, put)

U32, U64 = (1 << 32) - 1, (1 << 64) - 1


def boundary_values(img, name, width):
    """The values each field is set to: 0, 1, max, max-1, and field-specific ones."""
    top = (1 << (8 * width)) - 1
    values = {"0": 0, "1": 1, "max": top}
    past_eof = (len(img.data) + 64 * img.cs) & ~(img.cs - 1)
    current = get(img.data, img.field(name)[0], width)
    if name.endswith("_offset"):
        values = {"0": 0, "max": top, "misaligned": current + 8 if current else 8, "past-eof": past_eof}
    if name == "magic":
        return {"0": 0}
    specific = {
        "version": {"2": 2, "3": 3, "4": 4},
        "cluster_bits": {"8": 8, "21": 21, "22": 22, "63": 63},
        "size": {"1<<62": 1 << 62, "odd": 12345},
        "crypt_method": {"aes": 1, "luks": 2, "3": 3},
        "l1_size": {"qemu-limit+1": (32 << 20) // 8 + 1, "double": current * 2, "half": current // 2},
        "refcount_table_clusters": {"qemu-limit+1": (8 << 20) // img.cs + 1, "huge": 1 << 24},
        "nb_snapshots": {"65537": 65537},
        "incompatible_features": {"unknown-bit5": 1 << 5, "all": top, "corrupt": 2, "dirty": 1,
                                  "extl2-flip": current ^ 16, "datafile": 4, "compression": 8},
        "compatible_features": {"all": top, "lazy": 1},
        "autoclear_features": {"all": top, "raw-without-datafile": 2, "bitmaps-clear": current & ~1},
        "refcount_order": {"6": 6, "7": 7, "255": 255},
        "header_length": {"103": 103, "105-odd": 105, "cluster": img.cs, "65536": 65536},
        "compression_type": {"2": 2, "255": 255, "zstd": 1},
        "backing_file_size": {"1023": 1023, "1024": 1024},
    }.get(name, {})
    values.update(specific)
    for dull in {"version": ("0", "1", "3"), "cluster_bits": ("1", "max"), "refcount_order": ("1", "max"),
                 "header_length": ("0", "1"), "size": ("1",), "l1_size": ("1", "half"),
                 "refcount_table_clusters": ("1",), "nb_snapshots": ("0",), "compatible_features": ("1",),
                 "crypt_method": ("1", "3"), "backing_file_size": ("1", "1023")}.get(name, ()):
        values.pop(dull, None)
    return values


def header_mutations(img, only=None):
    """Every header field (or those in `only`) set to every boundary value, one image each."""
    for name, offset, width in HEADER_FIELDS:
        if (only and name not in only) or (img.version < 3 and offset >= 72):
            continue
        for label, value in boundary_values(img, name, width).items():
            data = put(img.data, offset, width, value)
            yield f"{name}={label}", data, f"header {name} (offset {offset}, {width} bytes) set to {label} ({value:#x})"


def extension_mutations(img, full=True):
    """Header extensions with overrunning lengths, duplicates, garbage and hostile bytes; with
    `full` false only the framing damage (lengths, duplicates, no end marker, garbage)."""
    exts = img.plain_extensions()
    start = img.header_length
    first = img.extensions[0][0] if img.extensions else start
    yield "ext-len-max", put(img.data, first + 4, 4, U32), "first extension length 0xffffffff (overruns cluster)"
    left = img.cs - first - 8
    yield "ext-len-cluster+1", put(img.data, first + 4, 4, left + 1), "first extension length one past the cluster"
    yield "ext-len-exact", put(img.data, first + 4, 4, left), "first extension length exactly fills the cluster"
    data, _ = img.with_extensions(exts + exts)
    yield "ext-duplicated", data, "every header extension appears twice"
    filler = [(0x7EADBEEF, bytes(range(256)) * 4)] * 64
    data, _ = img.with_extensions(exts + filler)
    yield "ext-no-end-marker", data, "unknown extensions fill the cluster: no end marker"
    data, _ = img.with_extensions([(0x1234, b"\x1b[2J\x1b]52;c;SGVsbG8=\x07\x9b\xc2\x9b\xff")] + exts)
    yield "ext-unknown-hostile", data, "unknown extension whose bytes are terminal escapes"
    data, _ = img.with_extensions(exts + [(0xFFFFFFFF, b"")] * 3)
    yield "ext-empty-unknowns", data, "three zero-length unknown extensions"
    data = bytearray(img.data)
    data[start:img.cs] = bytes([0xA5]) * (img.cs - start)
    yield "ext-area-garbage", data, "extension area filled with 0xa5 bytes"
    if not full:
        return

    # Feature name table garbage (spec, "Feature name table").
    fnt = [(EXT_FEATURE_NAMES, bytes(range(48)) * 2 + b"\x03\xff" + b"\xff" * 46 + b"\x00\x07" + b"\x1b[31mRED\x07" + bytes(36))]
    others = [(t, b) for t, b in exts if t != EXT_FEATURE_NAMES]
    data, _ = img.with_extensions(fnt + others)
    yield "fnt-garbage", data, "feature name table: bad types, bit 255, no NUL, escape codes in names"
    data, _ = img.with_extensions([(EXT_FEATURE_NAMES, b"\x00\x05" + b"A" * 20)] + others)
    yield "fnt-short", data, "feature name table of 22 bytes (not a multiple of 48)"
    big = b"".join(bytes([k % 3, k]) + (b"\x1b]0;title\x07 feature %d" % k).ljust(46, b"\xff") for k in range(64))
    data, _ = img.with_extensions([(EXT_FEATURE_NAMES, big[: (img.cs - start - 64) // 48 * 48])] + others)
    yield "fnt-huge", data, "feature name table filling the cluster with hostile names"
    data = put(img.data, 72, 8, (1 << 40) | (1 << 5))
    data, _ = img.with_extensions([(EXT_FEATURE_NAMES, b"\x00\x28" + b"\x1b[2Jevil\xc2\x9b" + bytes(35))] + others, data)
    yield "fnt-names-unknown-bit", data, "unknown incompatible bits 5 and 40, bit 40 named with escapes"

    # Bitmaps extension (spec, "Bitmaps extension").
    bext = next((b for t, b in exts if t == EXT_BITMAPS), None)
    nob = [(t, b) for t, b in exts if t != EXT_BITMAPS]
    if bext is not None:
        for label, patch in [("short", bext[:8]), ("nb-max", put(bext, 0, 4, U32)), ("nb-0", put(bext, 0, 4, 0)),
                             ("dirsize-0", put(bext, 8, 8, 0)), ("dirsize-max", put(bext, 8, 8, U64)),
                             ("diroff-0", put(bext, 16, 8, 0)), ("diroff-past-eof", put(bext, 16, 8, len(img.data) + img.cs))]:
            data, _ = img.with_extensions(nob + [(EXT_BITMAPS, bytes(patch))])
            yield f"bitmaps-ext-{label}", data, f"bitmaps extension {label}"
        data, _ = img.with_extensions(exts + [(EXT_BITMAPS, put(bext, 0, 4, 1))])
        yield "bitmaps-ext-dup", data, "second bitmaps extension with a different count"
    else:
        data, _ = img.with_extensions(exts + [(EXT_BITMAPS, struct.pack(">IIQQ", 3, 0, img.cs, 0))])
        yield "bitmaps-ext-at-header", data, "bitmaps extension whose directory is the header cluster"

    # Crypto header pointer and string extensions.
    for label, payload in [("past-eof", struct.pack(">QQ", 1 << 40, 4096)), ("len-max", struct.pack(">QQ", img.cs, U64))]:
        data, _ = img.with_extensions(exts + [(EXT_CRYPTO, payload)])
        data = put(data, 32, 4, 2)
        yield f"crypto-ext-{label}", data, f"crypt_method luks with a full disk encryption pointer {label}"
    hostile = b"\x1b[2J\x1b]52;c;cm0gLXJmIC8K\x07\x08\x9b\xc2\x9b\xe2\x80\xae\xff\xfe\x00x"
    data, _ = img.with_extensions(exts + [(EXT_DATA_FILE, hostile)])
    yield "datafile-name-hostile", put(data, 72, 8, img.h["incompatible_features"] | 4), "external data file with a hostile name"
    for label, name in [("dev-zero", b"/dev/zero"), ("missing", b"no-such-data-file")]:
        data, _ = img.with_extensions(exts + [(EXT_DATA_FILE, name)])
        data = put(data, 72, 8, img.h["incompatible_features"] | 4)
        yield f"datafile-{label}", data, f"external data file named {name.decode()}"
    data, _ = img.with_extensions(exts + [(EXT_BACKING_FORMAT, hostile)])
    yield "backing-format-hostile", data, "backing format extension with escapes (no backing file)"
