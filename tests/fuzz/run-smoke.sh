#!/bin/sh
# run-smoke.sh: runs every fuzz target for a short while (CI) or longer
# by hand.  convert's seeds come from the test corpus (mkcorpus), the
# other targets' from tests/fuzz/seeds/NAME/.  Usage:
#   make fuzz && tests/fuzz/run-smoke.sh [SECONDS] [BUILDDIR] [TARGET...]
# SECONDS is per target (CI: 20).  With 6 convert targets and 7 others
# (smtp accounts faxaddr config spool modem mime) CI's fuzz step is 13 x 20 s
# = 4.3 min of fuzzing; the 7 others add 2.3 min and their build (14 s of
# CPU, 41 s wall on a loaded 2-core machine),
# within the 3 minutes issue 21 gave them of CI's 40.  TARGETs (e.g.
# "smtp tiff" or "fuzz-smtp") run only those; an unknown one exits 2.
# Exits non-zero if any target finds a crash; the reproducer is left in
# BUILDDIR/tests/fuzz/crashes/.
set -u
secs=${1:-20}
b=${2:-.}
[ $# -gt 2 ] && shift 2 && only=" $* " || only=
# a TARGET may be given as fuzz-NAME too; an unknown one is an error, not
# a run that fuzzes nothing and passes
only=$(echo "$only" | sed 's/ fuzz-/ /g; s/^fuzz-//')
[ -n "$only" ] && only=" $only "
for t in $only; do
	case " pdf png tiff jpeg text faxenc smtp accounts faxaddr config spool modem mime " in
	*" $t "*) ;;
	*) echo "run-smoke.sh: unknown target $t" >&2; exit 2 ;;
	esac
done
seeddir=$(cd "$(dirname "$0")" && pwd)/seeds
want() { [ -z "$only" ] || case $only in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/all" "$b/tests/fuzz/crashes"
"$b/tests/convert/mkcorpus" "$work/all" || exit 1
status=0
# PostScript reaches the worker as the PDF Ghostscript makes of it (with
# embedded fonts and object streams that mkcorpus's PDFs lack): a seed
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dAutoRotatePages=/None \
    -dEPSCrop -sOutputFile="$work/all/from-ps.pdf" - <"$work/all/doc.ps" ||
    exit 1
# faxenc's seeds: a width of 1728 (two bytes), then rows of text-like
# runs and of noise
printf '\300\006' > "$work/all/faxenc-runs"
head -c 21600 /dev/zero | tr '\0' '\360' >> "$work/all/faxenc-runs"
printf '\300\006' > "$work/all/faxenc-noise"
head -c 21600 /dev/urandom >> "$work/all/faxenc-noise"
for t in pdf png tiff jpeg text faxenc; do
	want $t || continue
	bin=$b/tests/fuzz/fuzz-$t
	[ -x "$bin" ] || { echo "missing $bin: run make fuzz" >&2; exit 1; }
	mkdir -p "$work/$t"
	case $t in
	pdf) seeds="doc3.pdf landscape.pdf encrypted.pdf truncated.pdf from-ps.pdf" ;;
	png) seeds="gray16.png rgba.png" ;;
	tiff) seeds="fax-mh.tif fax-mr.tif fax-mmr.tif absurd.tif" ;;
	jpeg) seeds="photo.jpg cmyk.jpg" ;;
	text) seeds="scripts.txt layout.txt utf8.txt" ;;
	faxenc) seeds="faxenc-runs faxenc-noise" ;;
	esac
	for s in $seeds; do cp "$work/all/$s" "$work/$t/"; done
	# an odd last byte asks fuzz-convert for -R: fax pages decoded too
	[ "$t" = tiff ] && { cat "$work/all/fax-mr.tif"; printf '\001'; } \
	    >"$work/$t/fax-mr-R.tif"
	echo "fuzz-$t: $secs s"
	"$bin" -max_total_time="$secs" -max_len=200000 -rss_limit_mb=2048 \
	    -timeout=10 -artifact_prefix="$b/tests/fuzz/crashes/$t-" \
	    -print_final_stats=1 "$work/$t" 2>"$work/$t.log"
	st=$?
	grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" \
	    "$work/$t.log" | sed "s/^/  /"
	if [ $st -ne 0 ]; then
		echo "fuzz-$t: FAILED ($st)"; tail -40 "$work/$t.log"; status=1
	fi
done
# the other parsers of outside input; their logs (lib/log.c to stderr)
# are closed off with -close_fd_mask=2, libFuzzer's own report stays
for t in smtp accounts faxaddr config spool modem mime; do
	want $t || continue
	bin=$b/tests/fuzz/fuzz-$t
	[ -x "$bin" ] || { echo "missing $bin: run make fuzz" >&2; exit 1; }
	mkdir -p "$work/$t"
	cp "$seeddir/$t"/* "$work/$t/" || exit 1
	echo "fuzz-$t: $secs s"
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	    -close_fd_mask=2 -artifact_prefix="$b/tests/fuzz/crashes/$t-" \
	    -print_final_stats=1 "$work/$t" 2>"$work/$t.log"
	st=$?
	grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" \
	    "$work/$t.log" | sed "s/^/  /"
	if [ $st -ne 0 ]; then
		echo "fuzz-$t: FAILED ($st)"; tail -40 "$work/$t.log"; status=1
	fi
done
exit $status
