#!/usr/bin/env python3
# pixcmp: the pages of an uncompressed fax TIFF (made with
# "tiffcp -c none -f msb2lsb") against PBM renderings of a PDF's pages
# (mutool draw -c mono), bit for bit.  Prints one line per difference and
# exits 1 if any; 0 if every page has the same size and the same pixels.
#   pixcmp.py RAW.tif PAGE1.pbm PAGE2.pbm ...
import struct
import sys


def tiff_pages(path):
    d = open(path, 'rb').read()
    bo = '<' if d[:2] == b'II' else '>'
    off = struct.unpack(bo + 'I', d[4:8])[0]
    pages = []
    while off:
        n = struct.unpack(bo + 'H', d[off:off + 2])[0]
        tags = {}
        for i in range(n):
            e = d[off + 2 + 12 * i:off + 14 + 12 * i]
            t, ty, c = struct.unpack(bo + 'HHI', e[:8])
            sz = {3: 2, 4: 4, 5: 8}.get(ty, 1)
            fmt = {3: 'H', 4: 'I', 5: 'II'}.get(ty, 'B')
            if c * sz <= 4:
                v = struct.unpack(bo + fmt * c, e[8:8 + c * sz])
            else:
                p = struct.unpack(bo + 'I', e[8:12])[0]
                v = struct.unpack(bo + fmt * c, d[p:p + c * sz])
            tags[t] = v
        if tags.get(259, (1,))[0] != 1 or tags.get(266, (1,))[0] != 1:
            sys.exit('pixcmp: %s is not uncompressed msb2lsb' % path)
        w, h = tags[256][0], tags[257][0]
        data = b''.join(d[o:o + n] for o, n in zip(tags[273], tags[279]))
        st = (w + 7) // 8
        rows = [data[y * st:(y + 1) * st] for y in range(h)]
        if tags[262][0] == 1:       # min-is-black: 1 = white
            rows = [bytes(255 - b for b in r) for r in rows]
        pages.append((w, h, rows))
        off = struct.unpack(bo + 'I', d[off + 2 + 12 * n:off + 6 + 12 * n])[0]
    return pages


def pbm(path):
    d = open(path, 'rb').read()
    fields = []
    i = 0
    while len(fields) < 3:
        while d[i:i + 1].isspace():
            i += 1
        if d[i:i + 1] == b'#':
            while d[i:i + 1] != b'\n':
                i += 1
            continue
        j = i
        while not d[j:j + 1].isspace():
            j += 1
        fields.append(d[i:j])
        i = j
    if fields[0] != b'P4':
        sys.exit('pixcmp: %s is not a raw PBM' % path)
    w, h = int(fields[1]), int(fields[2])
    data = d[i + 1:]
    st = (w + 7) // 8
    return w, h, [data[y * st:(y + 1) * st] for y in range(h)]


def main():
    pages = tiff_pages(sys.argv[1])
    pbms = sys.argv[2:]
    bad = 0
    if len(pages) != len(pbms):
        print('pages: TIFF %d, PDF %d' % (len(pages), len(pbms)))
        bad = 1
    for n, (tp, path) in enumerate(zip(pages, pbms), 1):
        w, h, a = tp
        pw, ph, b = pbm(path)
        if (w, h) != (pw, ph):
            print('page %d: TIFF %dx%d, PDF %dx%d' % (n, w, h, pw, ph))
            bad = 1
            continue
        mask = (0xff << ((8 - w % 8) % 8)) & 0xff
        for y in range(h):
            ra, rb = a[y], b[y]
            if ra[:-1] != rb[:-1] or (ra[-1] & mask) != (rb[-1] & mask):
                print('page %d: row %d differs' % (n, y))
                bad = 1
                break
    return bad


sys.exit(main())
