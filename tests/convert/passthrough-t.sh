#!/bin/sh
# passthrough-t: TIFF-F pages that already fit pass through with their
# coded strips byte for byte (no decode and re-encode), behind a cover
# page too; pages that do not fit the job's resolution are re-rendered.
. "$top_srcdir/tests/convert/common.sh"

plan 15

O=$TMP/out.tif
for f in fax-mh fax-mr fax-mmr; do
	run_conv "$O" "$C/$f.tif"
	is 0 "$rc" "$f.tif converts ($err)"
	"$TIFFCHECK" -r "$C/$f.tif" "$O"
	is 0 "$?" "$f.tif: every page's coded data is byte-identical"
done
run_conv "$O" -F "$C/fax-fine.tif"
"$TIFFCHECK" -r "$C/fax-fine.tif" "$O"
is 0 "$?" "fine TIFF-F in a fine job (-F) passes through"
run_conv "$O" "$C/fax-fine.tif"
"$TIFFCHECK" -r "$C/fax-fine.tif" "$O"
is 1 "$?" "fine TIFF-F in a normal job is re-rendered, not copied"
run_conv "$O" -C "$top_srcdir/etc/cover.txt" -k to=Alice "$C/fax-mr.tif"
"$TIFFCHECK" -r "$C/fax-mr.tif" "$O" 1
is 0 "$?" "behind a cover page, the pages are still byte-identical"
is 4 "$("$TIFFCHECK" "$O" | grep -c '^page=')" "cover plus three pages"

# the MR file uses FillOrder 2: it must survive the copy (tiffcheck
# decodes through libtiff, which honours it)
"$TIFFCHECK" "$C/fax-mr.tif" | sed 's/ sum=[0-9a-f]*//; s/pn=[0-9/]* //' >"$TMP/a"
run_conv "$O" "$C/fax-mr.tif"
"$TIFFCHECK" "$O" | sed 's/ sum=[0-9a-f]*//; s/pn=[0-9/]* //' >"$TMP/b"
ok "copied pages decode to the same pixels" cmp "$TMP/a" "$TMP/b"

# -R: every page is decoded and coded again, in the coding -c asks for
nosum() { sed 's/ sum=[0-9a-f]*//; s/ g3=[0-9]*//; s/ comp=[0-9]*//'; }
run_conv "$O" -R "$C/fax-mh.tif"
is 3 "$("$TIFFCHECK" "$O" | grep -c ' comp=4 ')" "-R: the MH pages come out MMR ($err)"
"$TIFFCHECK" "$C/fax-mh.tif" | nosum >"$TMP/a"
"$TIFFCHECK" "$O" | nosum >"$TMP/b"
ok "-R: the re-encoded pages decode to the same pixels" cmp "$TMP/a" "$TMP/b"
# pages convert itself coded: re-encoding them gives the same coded data
# as passing them through (the benchmark's premise)
run_conv "$TMP/f.tif" -F "$C/doc3.pdf"
run_conv "$O" -F "$TMP/f.tif"
"$TIFFCHECK" "$O" >"$TMP/a"
run_conv "$O" -F -R "$TMP/f.tif"
"$TIFFCHECK" "$O" >"$TMP/b"
is 3 "$(grep -c '^page=' "$TMP/b")" "-R -F on convert's own pages: three pages ($err)"
ok "-R: the same coded pages as passthrough" cmp "$TMP/a" "$TMP/b"
