# common.sh: sourced by tests/convert/*-t.sh.  Builds the corpus in $TMP/c
# and offers check_doc and run_conv.
. "$top_srcdir/tests/tap.sh"

CONVERT=$top_builddir/convert/convert
TIFFCHECK=$top_builddir/tests/convert/tiffcheck
MKCORPUS=$top_builddir/tests/convert/mkcorpus
for p in "$CONVERT" "$TIFFCHECK" "$MKCORPUS"; do
	[ -x "$p" ] || bail "missing $p (make check builds it)"
done
test_tmpdir
C=$TMP/c
mkdir -p "$C" "$TMP/tmp" || bail "mkdir"
# a test that needs neither bomb.pdf nor slow.pdf sets CORPUS=light
if [ "${CORPUS:-}" = light ]; then
	"$MKCORPUS" -l "$C" || bail "mkcorpus failed"
else
	"$MKCORPUS" "$C" || bail "mkcorpus failed"
fi
# the private directories go here, so a test can see none is left
TMPDIR=$TMP/tmp
export TMPDIR

# run_conv OUT ARGS...: sets $rc and $err (stderr, one line expected)
run_conv() {
	out=$1; shift
	rm -f "$out"
	err=$("$CONVERT" -o "$out" "$@" 2>&1 >/dev/null); rc=$?
}

# check_doc DESC PAGES ROWS YRES FILE [ARGS...]: converts FILE and checks
# every output page: 1728 wide, ROWS long, 204 x YRES dpi, with black
# pixels in its top quarter (every document here starts at the top).
check_doc() {
	desc=$1 pages=$2 rows=$3 yres=$4 file=$5; shift 5
	o=$TMP/out.tif
	run_conv "$o" "$@" "$file"
	if [ "$rc" -ne 0 ]; then
		tap_result 1 "$desc"; diag "exit $rc: $err"; return
	fi
	info=$("$TIFFCHECK" "$o")
	n=$(printf '%s\n' "$info" | grep -c '^page=')
	bad=$(printf '%s\n' "$info" | grep -v "w=1728 h=$rows xres=204 yres=$yres " | head -1)
	nontop=$(printf '%s\n' "$info" | grep ' top=0$' | head -1)
	if [ "$n" -eq "$pages" ] && [ -z "$bad" ] && [ -z "$nontop" ]; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"; diag "want $pages pages of 1728x$rows at 204x$yres, inked at the top"
		printf '%s\n' "$info" | sed 's/^/# /'
	fi
}
