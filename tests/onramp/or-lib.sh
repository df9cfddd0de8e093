# or-lib.sh: shared set-up for the onramp's tests: queued over a spool
# made by rampart-setup (fg-lib.sh's, when faxsim and faxgetty take part),
# received faxes (real ones from faxgetty, or entries made by hand in the
# shape faxgetty publishes), and checks of the mail queued publishes.
#   or_conf                   rampart.conf keys for the onramp (appended)
#   qd_start / qd_stop        queued in the foreground, logging to queued.log
#   inject TIF key=value...   a recv/new entry + "recv ID"; prints the id
#   wait_mail FAXID [secs]    sets M to the notify/new entry about FAXID
#                             and takes it apart into $TMP/m (mailpart.py
#                             dump: env-rcpt, header-subject, text, att.pdf...)
#   m FILE                    cat $TMP/m/FILE
#   part M ARGS...            mailpart.py on M
#   pdf_same PDF TIFF         PDF pages render to the TIFF's pixels
QUEUED=$B/queued/queued
# Debian's python3 (scripts/install-deps) starts faster than a shim
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
MAILPART="$PY $top_srcdir/tests/onramp/mailpart.py"
PIXCMP="$PY $top_srcdir/tests/onramp/pixcmp.py"
[ -x "$QUEUED" ] || bail "$QUEUED not built"

or_conf() {
	printf 'route_file = %s/routes\nadmin = admin@gw.test\n' "$TMP" \
	    >> "$TMP/rampart.conf"
}

qd_stop() {
	[ -n "$QD_PID" ] || return 0
	kill "$QD_PID" 2>/dev/null
	wait "$QD_PID" 2>/dev/null
	QD_PID=
}

qd_start() {
	"$QUEUED" -d -v -f "$TMP/rampart.conf" -L "$B" >> "$TMP/queued.log" 2>&1 &
	QD_PID=$!
	n=0
	until grep -q "started pid=$QD_PID" "$TMP/queued.log" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 100 ] || ! kill -0 "$QD_PID" 2>/dev/null; then
			cat "$TMP/queued.log"; bail "queued did not start"
		fi
		sleep 0.1
	done
}

# inject TIF key=value...: meta keys as faxgetty writes them, overridable
inject() {
	id=$(cat /proc/sys/kernel/random/uuid)
	d=$TMP/spool/recv/tmp/$id
	tif=$1
	shift
	mkdir "$d" && cp "$tif" "$d/fax.tif" || bail "inject"
	pages=$(tiffinfo "$tif" 2>/dev/null | grep -c "Image Width")
	{
		for kv in "id=$id" device=ttySIM0 caller_id=5551234 \
		    caller_name=ACME did=7001 subaddress= tsi=CALLER9 \
		    "pages=$pages" bit_rate=14400 ecm=1 t30_status=0 \
		    t30_text=OK complete=1 dtmf= started=1764400000 \
		    duration=42; do
			k=${kv%%=*}
			for o; do [ "${o%%=*}" = "$k" ] && kv=$o; done
			echo "$kv" | sed 's/=/ = /'
		done
	} > "$d/meta"
	[ "$(id -u)" = 0 ] && chown -R rampart:rampart "$d"
	mv "$d" "$TMP/spool/recv/new/$id" || bail "inject publish"
	timeout 10 sh -c "echo 'recv $id' > '$TMP/spool/FIFO'" ||
	    bail "could not write to the FIFO: is queued running?"
	echo "$id"
}

# the notify/new entry about fax $1, once the fax is in done/
wait_mail() {
	M=
	n=0
	lim=$(( ${2:-30} * 10 ))
	until [ -d "$TMP/spool/done/$1" ]; do
		n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1
	done
	M=$(grep -l "^about = $1\$" "$TMP"/spool/notify/new/* 2>/dev/null |
	    head -1)
	rm -rf "$TMP/m"
	[ -n "$M" ] && $MAILPART "$M" dump "$TMP/m"
}

m() { cat "$TMP/m/$1" 2>/dev/null; }
part() { mp=$1; shift; $MAILPART "$mp" "$@"; }

# pdf_same PDF TIFF: every page of PDF, rendered at the TIFF's pixel size
# by mupdf, equals the TIFF's page bit for bit; the page count and size
# (from poppler's pdfinfo) are checked by the caller
pdf_same() {
	rm -f "$TMP"/pg-*.pbm "$TMP/raw.tif"
	tiffcp -c none -f msb2lsb "$2" "$TMP/raw.tif" || return 1
	tiffinfo "$2" 2>/dev/null | sed -n 's/.*Image Width: \([0-9]*\) Image Length: \([0-9]*\).*/\1 \2/p' > "$TMP/sizes"
	np=$(wc -l < "$TMP/sizes")
	if [ "$(sort -u "$TMP/sizes" | wc -l)" = 1 ]; then
		# one size: one mutool for all pages
		read -r w h < "$TMP/sizes"
		mutool draw -q -A 0 -c mono -w "$w" -h "$h" -f \
		    -o "$TMP/pg-%03d.pbm" "$1" 2>/dev/null || return 1
		[ "$(ls "$TMP"/pg-*.pbm | wc -l)" = "$np" ] || return 1
		$PIXCMP "$TMP/raw.tif" "$TMP"/pg-*.pbm
		return
	fi
	i=1
	while read -r w h; do
		mutool draw -q -A 0 -c mono -w "$w" -h "$h" -f \
		    -o "$TMP/pg-$(printf %03d $i).pbm" "$1" "$i" 2>/dev/null ||
		    return 1
		i=$((i + 1))
	done < "$TMP/sizes" || return 1
	[ "$(ls "$TMP"/pg-*.pbm | wc -l)" = "$np" ] || return 1
	$PIXCMP "$TMP/raw.tif" "$TMP"/pg-*.pbm
}
