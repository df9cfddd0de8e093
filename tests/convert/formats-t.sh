#!/bin/sh
# formats-t: every supported format converts to TIFF-F pages of the right
# size and resolution, with ink where the document has it.
. "$top_srcdir/tests/convert/common.sh"

plan 28

# A4: 297 mm at 3.85 or 7.7 lines/mm; Letter: 279.4 mm
check_doc "text in several scripts: one A4 page" 1 1143 98 "$C/scripts.txt"
check_doc "tabs, a wrapped long line and a form feed: two pages" 2 1143 98 "$C/layout.txt"
check_doc "150 lines of text fill three pages" 3 1143 98 "$C/long.txt"
check_doc "text at fine resolution: 2286 rows at 196 dpi" 2 2286 196 "$C/layout.txt" -F
# UTF-16 with a BOM (LE and BE) draws the very pixels of the UTF-8 text
check_doc "UTF-8 text: one page" 1 1143 98 "$C/utf8.txt"
cp "$TMP/out.tif" "$TMP/utf8.tif"
run_conv "$TMP/le.tif" "$C/utf16le.txt"
ok "UTF-16LE with a BOM: the same pages as UTF-8" "$TIFFCHECK" -r "$TMP/utf8.tif" "$TMP/le.tif"
run_conv "$TMP/be.tif" "$C/utf16be.txt"
ok "UTF-16BE with a BOM: the same pages as UTF-8" "$TIFFCHECK" -r "$TMP/utf8.tif" "$TMP/be.tif"
# 8-bit text in the charset its MIME type names: iconv makes it UTF-8
run_conv "$TMP/a.tif" "$C/cp1252-u8.txt"
run_conv "$TMP/b.tif" -T 'text/plain; charset=windows-1252' "$C/cp1252.txt"
ok "windows-1252 text with its charset: the pixels of the UTF-8 text" "$TIFFCHECK" -r "$TMP/a.tif" "$TMP/b.tif"
run_conv "$TMP/a.tif" "$C/latin1-u8.txt"
run_conv "$TMP/b.tif" --type 'text/plain; charset="ISO-8859-1"' "$C/latin1.txt"
ok "ISO-8859-1 text with its charset (quoted): the UTF-8 pixels" "$TIFFCHECK" -r "$TMP/a.tif" "$TMP/b.tif"
run_conv "$TMP/b.tif" -T 'text/plain; charset=no-such-set' "$C/latin1-u8.txt"
ok "an unknown charset: read as UTF-8" "$TIFFCHECK" -r "$TMP/a.tif" "$TMP/b.tif"
check_doc "three-page PDF: three pages" 3 1143 98 "$C/doc3.pdf"
check_doc "PDF at fine resolution (-r fine)" 3 2286 196 "$C/doc3.pdf" -r fine
check_doc "PDF on Letter paper: 1075 rows" 3 1075 98 "$C/doc3.pdf" -p letter
check_doc "PDF on Letter paper, fine: 2151 rows" 3 2151 196 "$C/doc3.pdf" -p letter -F
check_doc "landscape PDF page turned onto one portrait page" 1 1143 98 "$C/landscape.pdf"
check_doc "PDF page of 200 x 200 inches shrunk onto one page" 1 1143 98 "$C/huge.pdf"
check_doc "120-page PDF with -m 200" 120 1143 98 "$C/many.pdf" -m 200
check_doc "RGB JPEG (JFIF 100 dpi)" 1 1143 98 "$C/photo.jpg"
check_doc "Adobe CMYK JPEG" 1 1143 98 "$C/cmyk.jpg"
check_doc "16-bit grey PNG" 1 1143 98 "$C/gray16.png"
check_doc "RGBA PNG laid over white" 1 1143 98 "$C/rgba.png"
check_doc "RGB LZW TIFF" 1 1143 98 "$C/rgb.tif"
check_doc "fine TIFF-F re-rendered for a normal job" 3 1143 98 "$C/fax-fine.tif"

# compression as asked: 3 with Group3Options 0 (MH) or 1 (MR), 4 (MMR)
comp_of() { "$TIFFCHECK" "$TMP/out.tif" | sed -n '1s/.* g3=\([0-9]*\) .* comp=\([0-9]*\) .*/\2\/\1/p'; }
run_conv "$TMP/out.tif" -c mh "$C/doc3.pdf"; is "3/0" "$(comp_of)" "-c mh writes T.4 one-dimensional pages"
run_conv "$TMP/out.tif" -c mr "$C/doc3.pdf"; is "3/1" "$(comp_of)" "-c mr writes T.4 two-dimensional pages"
run_conv "$TMP/out.tif" "$C/doc3.pdf"; is "4/0" "$(comp_of)" "MMR (T.6) by default"

# a photo is dithered (many short runs), text is thresholded
black=$("$TIFFCHECK" "$TMP/out.tif" | sed -n '1s/.*black=\([0-9]*\).*/\1/p')
ok "a text PDF page has ink but is mostly white" test "$black" -gt 500 -a "$black" -lt 200000
run_conv "$TMP/out.tif" "$C/photo.jpg"
"$TIFFCHECK" -p 1 "$TMP/out.tif" "$TMP/p.pgm"
# in the ramp (lower half of the picture), a dithered row alternates often
changes=$(od -An -v -tu1 -w1728 -j $((17 + 400 * 1728)) -N 1728 "$TMP/p.pgm" |
    tr -s ' ' '\n' | awk 'NF { if (NR > 1 && $1 != p) n++; p = $1 } END { print n + 0 }')
ok "the photo's ramp is dithered ($changes changes in one row)" test "$changes" -gt 100
