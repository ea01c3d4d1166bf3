#!/usr/bin/env python3
"""Writes Sources/Pictures/CellFont+Glyphs.swift: the glyphs of a fixed-cell X11 bitmap font as a
Swift string table, so PNG pictures need no font engine (and no font file) at run time.

    scripts/make-font-table.py [FONT.pcf.gz] > Sources/Pictures/CellFont+Glyphs.swift

The default font is Debian's xfonts-base 9x18 (-misc-fixed-medium-r-normal--18-120-100-100-c-90-
iso10646-1, from X.Org's font-misc-misc: "Public domain font. Share and enjoy." — see
/usr/share/doc/xfonts-base/copyright). The table keeps the characters qcowscope draws: ASCII,
Latin-1, general punctuation, arrows, a few mathematical signs, box drawing, block elements,
geometric shapes, check marks and braille; anything else is drawn as a replacement box.

Each output line is one glyph: the code point in hex, a space, then one hex number per pixel row
(the cell's width in bits, leftmost pixel in the highest bit), rows top to bottom.
"""
import gzip
import struct
import sys

DEFAULT = "/usr/share/fonts/X11/misc/9x18.pcf.gz"
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203A), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x2500, 0x259F), (0x25A0, 0x25FF), (0x2713, 0x2718), (0x2800, 0x28FF),
          (0xFFFD, 0xFFFD)]

PROPERTIES, ACCELERATORS, METRICS, BITMAPS, ENCODINGS, BDF_ACCELERATORS = 1, 2, 4, 8, 32, 256


class PCF:
    """The parts of X11's Portable Compiled Format a fixed-cell font needs (see the X.Org
    libXfont pcfread.c layout: a table of contents, then metrics, bitmaps and encodings)."""

    def __init__(self, data):
        if data[:4] != b"\x01fcp":
            raise SystemExit("not a PCF font")
        count = struct.unpack("<i", data[4:8])[0]
        self.data = data
        self.tables = {}
        for i in range(count):
            kind, fmt, size, offset = struct.unpack("<iiii", data[8 + 16 * i:24 + 16 * i])
            self.tables[kind] = (fmt, offset)

    def table(self, kind):
        fmt, offset = self.tables[kind]
        inner = struct.unpack("<i", self.data[offset:offset + 4])[0]
        return inner, offset + 4, ">" if inner & 4 else "<"

    def accelerators(self):
        fmt, at, e = self.table(BDF_ACCELERATORS if BDF_ACCELERATORS in self.tables else ACCELERATORS)
        ascent, descent = struct.unpack(e + "ii", self.data[at + 8:at + 16])
        return ascent, descent

    def metrics(self):
        fmt, at, e = self.table(METRICS)
        out = []
        if fmt & 0x100:
            n = struct.unpack(e + "h", self.data[at:at + 2])[0]
            for i in range(n):
                lb, rb, w, a, d = (b - 0x80 for b in self.data[at + 2 + 5 * i:at + 7 + 5 * i])
                out.append((lb, rb, w, a, d))
        else:
            n = struct.unpack(e + "i", self.data[at:at + 4])[0]
            for i in range(n):
                out.append(struct.unpack(e + "hhhhh", self.data[at + 4 + 12 * i:at + 14 + 12 * i]))
        return out

    def bitmaps(self):
        fmt, at, e = self.table(BITMAPS)
        if not fmt & 8 or not fmt & 4:
            raise SystemExit("only most-significant-bit-first PCF bitmaps are supported")
        n = struct.unpack(e + "i", self.data[at:at + 4])[0]
        offsets = struct.unpack(e + "%di" % n, self.data[at + 4:at + 4 + 4 * n])
        base = at + 4 + 4 * n + 16
        return offsets, base, 1 << (fmt & 3)

    def encodings(self):
        fmt, at, e = self.table(ENCODINGS)
        min2, max2, min1, max1, _ = struct.unpack(e + "hhhhh", self.data[at:at + 10])
        per_row = max2 - min2 + 1
        count = per_row * (max1 - min1 + 1)
        indices = struct.unpack(e + "%dH" % count, self.data[at + 10:at + 10 + 2 * count])
        table = {}
        for i, glyph in enumerate(indices):
            if glyph != 0xFFFF:
                table[(min1 + i // per_row) * 256 + min2 + i % per_row] = glyph
        return table


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    font = PCF(gzip.open(path).read())
    ascent, descent = font.accelerators()
    metrics = font.metrics()
    offsets, base, pad = font.bitmaps()
    encodings = font.encodings()
    width = max(m[2] for m in metrics)
    height = ascent + descent
    lines = []
    for low, high in RANGES:
        for code in range(low, high + 1):
            glyph = encodings.get(code)
            if glyph is None:
                continue
            lb, rb, _, a, d = metrics[glyph]
            stride = ((rb - lb + 7) // 8 + pad - 1) // pad * pad
            rows = [0] * height
            for y in range(a + d):
                row_y = ascent - a + y
                if not 0 <= row_y < height:
                    continue
                at = base + offsets[glyph] + y * stride
                bits = int.from_bytes(font.data[at:at + stride], "big")
                for x in range(rb - lb):
                    if bits >> (stride * 8 - 1 - x) & 1:
                        column = lb + x
                        if 0 <= column < width:
                            rows[row_y] |= 1 << (width - 1 - column)
            lines.append("%04X %s" % (code, " ".join("%X" % r for r in rows)))
    name = path.rsplit("/", 1)[-1]
    print("// Generated by scripts/make-font-table.py from Debian xfonts-base's %s" % name)
    print("// (X.Org font-misc-misc, public domain: \"Public domain font. Share and enjoy.\"). Do not edit.")
    print()
    print("extension CellFont {")
    print("    /// The %dx%d cell font: %d glyphs, one per line (code point, then %d rows as hex bit masks)." % (width, height, len(lines), height))
    print("    static let misc9x18 = CellFont(width: %d, height: %d, table: \"\"\"" % (width, height))
    for line in lines:
        print("        " + line)
    print("        \"\"\")")
    print("}")


main()
