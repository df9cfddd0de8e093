#!/usr/bin/env python3
# mktiff: an uncompressed bilevel test page of any width (B4's 2048 dots
# among them) for tiffcp to compress: a frame at the very edges, so that a
# page cut short or narrowed shows, diagonals and bars.
#   mktiff.py OUT.tif WIDTH ROWS XRES YRES [minisblack]
import struct
import sys

out, w, h, xres, yres = sys.argv[1], *map(int, sys.argv[2:6])
black_is_1 = len(sys.argv) < 7      # min-is-white: 1 = black
st = (w + 7) // 8
rows = []
for y in range(h):
    r = bytearray(st)

    def dot(x):
        if 0 <= x < w:
            r[x // 8] |= 0x80 >> (x % 8)
    if y < 2 or y >= h - 2 or y % 97 == 0:
        for x in range(w):
            dot(x)
    for x in (0, 1, w - 2, w - 1, (y * 3) % w, w - 1 - (y * 2) % w):
        dot(x)
    if 100 <= y < 140:
        for x in range(w - 300, w - 10):
            dot(x)
    if not black_is_1:
        r = bytearray(255 - b for b in r)
    rows.append(bytes(r))
data = b''.join(rows)
tags = [(256, 4, w), (257, 4, h), (258, 3, 1), (259, 3, 1),
        (262, 3, 0 if black_is_1 else 1), (273, 4, 0), (277, 3, 1),
        (278, 4, h), (279, 4, len(data)), (282, 5, 0), (283, 5, 0),
        (296, 3, 2)]
n = len(tags)
ifd = 8
extra = ifd + 2 + 12 * n + 4
rat = extra
img = rat + 16
ent = b''
for t, ty, v in tags:
    if t == 273:
        v = img
    if t in (282, 283):
        ent += struct.pack('<HHII', t, ty, 1, rat + (0 if t == 282 else 8))
    elif ty == 3:
        ent += struct.pack('<HHIHH', t, ty, 1, v, 0)
    else:
        ent += struct.pack('<HHII', t, ty, 1, v)
buf = b'II*\x00' + struct.pack('<I', ifd) + struct.pack('<H', n) + ent + \
    struct.pack('<I', 0) + struct.pack('<IIII', xres, 1, yres, 1) + data
open(out, 'wb').write(buf)
