#!/usr/bin/env python3
"""Render terminal text with SGR colour codes (e.g. `tmux capture-pane -e -p`) as a PNG.

Used by scripts/screenshot.sh to turn a tmux capture of qcowscope (or tui-sample) into
Screenshots/NAME.png. Understands SGR 0/1/2/4/7 (and their resets 22/24/27), colours 30-37,
90-97, 40-47, 100-107, 39/49, 38;5;N / 48;5;N (256) and 38;2;R;G;B / 48;2;R;G;B (true colour).
Other escape sequences are skipped. Block elements, shades and light box-drawing lines are drawn
as shapes so bars and frames join without gaps; everything else uses DejaVu Sans Mono.

Needs Pillow and the DejaVu fonts: on Debian `apt-get install python3-pil fonts-dejavu-core`
(run it with /usr/bin/python3 when another python3 comes first on PATH).

usage: ansi2png.py INPUT.ansi OUTPUT.png [--cols N] [--rows N] [--font-size PX]
       (INPUT may be '-' for standard input)
"""
import argparse
import re
import sys
import unicodedata

try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:  # pragma: no cover - message for people without Pillow
    sys.exit("ansi2png.py needs Pillow: apt-get install python3-pil (then run with /usr/bin/python3)")

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
BACKGROUND = (24, 25, 30)
FOREGROUND = (220, 223, 228)
# A dark theme's 16 colours (Tango-like, readable on the dark background).
BASE16 = [
    (46, 52, 54), (204, 0, 0), (78, 154, 6), (196, 160, 0), (52, 101, 164), (117, 80, 123), (6, 152, 154),
    (211, 215, 207), (85, 87, 83), (239, 41, 41), (138, 226, 52), (252, 233, 79), (114, 159, 207),
    (173, 127, 168), (52, 226, 226), (238, 238, 236),
]
CUBE = [0, 95, 135, 175, 215, 255]


def palette(index):
    """RGB of xterm 256-colour palette entry `index` (16 base colours from BASE16)."""
    if index < 16:
        return BASE16[index]
    if index >= 232:
        v = 8 + 10 * (index - 232)
        return (v, v, v)
    c = index - 16
    return (CUBE[c // 36], CUBE[(c // 6) % 6], CUBE[c % 6])


class Pen:
    """The current SGR state."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None = default
        self.bg = None
        self.bold = self.dim = self.underline = self.reverse = False

    def apply(self, params):
        codes = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = palette(c - 30)
            elif 90 <= c <= 97:
                self.fg = palette(c - 90 + 8)
            elif 40 <= c <= 47:
                self.bg = palette(c - 40)
            elif 100 <= c <= 107:
                self.bg = palette(c - 100 + 8)
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                colour = None
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = palette(max(0, min(255, codes[i + 2])))
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = tuple(max(0, min(255, v)) for v in codes[i + 2:i + 5])
                    i += 4
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        """(foreground, background, bold, underline) as drawn."""
        fg = self.fg or FOREGROUND
        bg = self.bg or BACKGROUND
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        return fg, bg, self.bold, self.underline


SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b.")


def parse(text):
    """Lines of cells: (character, fg, bg, bold, underline); wide characters take two cells."""
    pen = Pen()
    lines = []
    for raw in text.split("\n"):
        cells = []
        pos = 0
        for match in SEQUENCE.finditer(raw):
            for ch in raw[pos:match.start()]:
                add_char(cells, ch, pen)
            if match.group(2) == "m":
                pen.apply(match.group(1))
            pos = match.end()
        for ch in raw[pos:]:
            add_char(cells, ch, pen)
        lines.append(cells)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def add_char(cells, ch, pen):
    if ch == "\r" or (ord(ch) < 0x20 and ch != "\t"):
        return
    if ch == "\t":
        for _ in range(8 - len(cells) % 8):
            cells.append((" ",) + pen.colours())
        return
    if unicodedata.combining(ch) and cells:
        last = cells[-1]
        cells[-1] = (last[0] + ch,) + last[1:]
        return
    cells.append((ch,) + pen.colours())
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        cells.append(("",) + pen.colours())  # the right half of a wide character


def draw_shape(draw, ch, x, y, w, h, fg, bg):
    """Draws block elements, shades and light box lines as shapes; False when `ch` is not one."""
    o = ord(ch)
    if o == 0x2588:  # full block
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=fg)
        return True
    if 0x2589 <= o <= 0x258F:  # left seven eighths .. left one eighth
        eighths = 0x2590 - o
        draw.rectangle([x, y, x + round(w * eighths / 8) - 1, y + h - 1], fill=fg)
        return True
    if 0x2581 <= o <= 0x2587:  # lower one eighth .. lower seven eighths
        eighths = o - 0x2580
        top = y + h - round(h * eighths / 8)
        draw.rectangle([x, top, x + w - 1, y + h - 1], fill=fg)
        return True
    if o == 0x2580:  # upper half
        draw.rectangle([x, y, x + w - 1, y + h // 2 - 1], fill=fg)
        return True
    if o == 0x2590:  # right half
        draw.rectangle([x + w // 2, y, x + w - 1, y + h - 1], fill=fg)
        return True
    if o in (0x2591, 0x2592, 0x2593):  # light, medium, dark shade as a blend
        alpha = {0x2591: 0.25, 0x2592: 0.5, 0x2593: 0.75}[o]
        colour = tuple(round(b + (f - b) * alpha) for f, b in zip(fg, bg))
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=colour)
        return True
    lines = {  # (left, right, up, down) arms of light box drawing
        0x2500: (1, 1, 0, 0), 0x2502: (0, 0, 1, 1), 0x250C: (0, 1, 0, 1), 0x2510: (1, 0, 0, 1),
        0x2514: (0, 1, 1, 0), 0x2518: (1, 0, 1, 0), 0x251C: (0, 1, 1, 1), 0x2524: (1, 0, 1, 1),
        0x252C: (1, 1, 0, 1), 0x2534: (1, 1, 1, 0), 0x253C: (1, 1, 1, 1),
    }
    if o in lines:
        left, right, up, down = lines[o]
        cx, cy = x + w // 2, y + h // 2
        t = max(1, w // 9)
        if left:
            draw.rectangle([x, cy, cx, cy + t - 1], fill=fg)
        if right:
            draw.rectangle([cx, cy, x + w - 1, cy + t - 1], fill=fg)
        if up:
            draw.rectangle([cx, y, cx + t - 1, cy], fill=fg)
        if down:
            draw.rectangle([cx, cy, cx + t - 1, y + h - 1], fill=fg)
        return True
    return False


def render(lines, cols, rows, font_size):
    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", font_size)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", font_size)
    w = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    h = ascent + descent
    pad = w
    cols = max(cols, max((len(line) for line in lines), default=0))
    rows = max(rows, len(lines))
    image = Image.new("RGB", (cols * w + 2 * pad, rows * h + 2 * pad), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for r, line in enumerate(lines):
        for c, (ch, fg, bg, is_bold, underline) in enumerate(line):
            x, y = pad + c * w, pad + r * h
            if bg != BACKGROUND:
                draw.rectangle([x, y, x + w - 1, y + h - 1], fill=bg)
            if ch and ch != " " and not draw_shape(draw, ch[0], x, y, w, h, fg, bg):
                draw.text((x, y), ch, font=bold if is_bold else regular, fill=fg)
            if underline:
                draw.rectangle([x, y + h - 2, x + w - 1, y + h - 2], fill=fg)
    return image


def main():
    parser = argparse.ArgumentParser(description="Render SGR-coloured terminal text as a PNG.")
    parser.add_argument("input", help="text with escape sequences, or - for stdin")
    parser.add_argument("output", help="PNG file to write")
    parser.add_argument("--cols", type=int, default=0, help="pad to at least this many columns")
    parser.add_argument("--rows", type=int, default=0, help="pad to at least this many rows")
    parser.add_argument("--font-size", type=int, default=16, help="font size in pixels (default 16)")
    args = parser.parse_args()
    data = sys.stdin.buffer.read() if args.input == "-" else open(args.input, "rb").read()
    lines = parse(data.decode("utf-8", errors="replace"))
    render(lines, args.cols, args.rows, args.font_size).save(args.output)


if __name__ == "__main__":
    main()
