#!/bin/sh
# postscript-t: PostScript and EPS are rendered by Ghostscript in its
# sandbox, not faxed as their source text; hostile PostScript is
# stopped by -dSAFER, the CPU limit, the deadline or the memory limit.
# The pages are decoded and their pixels counted where the drawing is.
CORPUS=light
. "$top_srcdir/tests/convert/common.sh"
need gs

plan 23

O=$TMP/out.tif
# box N X0 Y0 X1 Y1: black pixels of page N of the output in that box
box() { "$TIFFCHECK" -b "$1" "$O" "$2" "$3" "$4" "$5"; }

# doc.ps page 1 is A4 (595 x 842 pt) scaled by 0.9974 onto 1728 x 1143
# at 204 x 98 dpi, centred (21 pixels each side): its box (100-300 pt
# across, 100-400 pt up) covers about x 304-869, y 600-1007.
check_doc "PostScript: two pages of 1728 x 1143 at 204 x 98" 2 1143 98 "$C/doc.ps"
is 196100 "$(box 1 320 620 850 990)" "the filled box is black, all of it"
is 0 "$(box 1 0 130 1728 590)" "between the text line and the box: white (no source listing)"
is 0 "$(box 1 0 1020 1728 1143)" "below the box: white"
n=$(box 1 0 60 1728 125)
ok "the line of text is drawn at the top ($n black)" test "$n" -gt 1000 -a "$n" -lt 20000
# page 2 is landscape (842 x 595): turned onto the portrait fax page;
# its 600 x 200 pt box is about 460000 pixels wherever it lands
n=$("$TIFFCHECK" "$O" | sed -n '2s/.*black=\([0-9]*\).*/\1/p')
ok "the landscape page is turned: its box is all there ($n black)" \
    test "$n" -gt 440000 -a "$n" -lt 480000
check_doc "PostScript at fine resolution: 2286 rows" 2 2286 196 "$C/doc.ps" -F
is 392200 "$(box 1 320 1240 850 1980)" "at fine resolution the box has twice the rows"

# a printer job (PJL) holding the same PostScript: the same pages
run_conv "$TMP/ps.tif" "$C/doc.ps"
run_conv "$O" "$C/pjl.prn"
ok "PostScript in a PJL printer job: the same pages" "$TIFFCHECK" -r "$TMP/ps.tif" "$O"

# the EPS is cropped to its bounding box (100 x 200 pt, filled), shown at
# its size at the top, centred: 283 x 272 pixels from x 722
# (a figure wider than tall is turned, like a landscape PDF page)
check_doc "EPS: one page" 1 1143 98 "$C/figure.eps"
n=$("$TIFFCHECK" "$O" | sed -n '1s/.*black=\([0-9]*\).*/\1/p')
ok "EPS: the filled bounding box and nothing else ($n black)" \
    test "$n" -gt 75000 -a "$n" -lt 80000
is "$n" "$(box 1 712 0 1016 280)" "EPS: centred at the top"

# expect DESC STATUS MESSAGE ARGS...: exit status, the line, no output
expect() {
	desc=$1 st=$2 msg=$3; shift 3
	run_conv "$O" "$@"
	if [ "$rc" -eq "$st" ] && [ "$err" = "$msg" ] && [ ! -e "$O" ]; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		diag "want $st '$msg', got $rc '$err'$( [ -e "$O" ] && echo ' and an output file')"
	fi
}
expect "an endless loop: the CPU limit (14)" 14 \
    "convert: loop.ps: CPU limit of 1 s reached" -x 1 -t 20 "$C/loop.ps"
expect "an endless loop: the wall-clock deadline (14)" 14 \
    "convert: loop.ps: timeout after 1 s" -x 20 -t 1 "$C/loop.ps"
expect "a memory eater: the address-space limit (13)" 13 \
    "convert: eatmem.ps: PostScript: out of memory (limit 200 MB)" \
    -M 200 "$C/eatmem.ps"
# -dSAFER answers these before the file system is asked (the sandbox's
# own answer, no such file and no fork, is checked by seccomp-t)
expect "reading /etc/passwd: refused by -dSAFER (11)" 11 \
    "convert: passwd.ps: PostScript: Error: /invalidfileaccess in --file--" \
    "$C/passwd.ps"
expect "reading a file that is in the sandbox (/usr): refused by -dSAFER" 11 \
    "convert: osrel.ps: PostScript: Error: /invalidfileaccess in --file--" \
    "$C/osrel.ps"
expect "a %pipe% to a command: refused by -dSAFER" 11 \
    "convert: pipe.ps: PostScript: Error: /invalidfileaccess in --file--" \
    "$C/pipe.ps"
expect "a %pipe% to a socket: refused by -dSAFER" 11 \
    "convert: socket.ps: PostScript: Error: /invalidfileaccess in --file--" \
    "$C/socket.ps"
is "" "$(ls "$TMP/tmp")" "no private directory is left"

# Office documents, without LibreOffice: refused, never faxed as text
expect "a PCL printer job: unsupported (10), not text" 10 \
    "convert: pcl.prn: unsupported format" "$C/pcl.prn"
expect "RTF: unsupported (10), send a PDF" 10 \
    "convert: letter.rtf: unsupported format: Office documents need LibreOffice, which convert does not run yet; send a PDF" \
    "$C/letter.rtf"
expect "DOCX: unsupported (10), send a PDF" 10 \
    "convert: letter.docx: unsupported format: Office documents need LibreOffice, which convert does not run yet; send a PDF" \
    "$C/letter.docx"
