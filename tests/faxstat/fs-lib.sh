# fs-lib.sh: a spool for faxstat's tests, written file by file in the
# formats of rampart-spool(5) (the writers below are that page in shell;
# nothing here runs queued or notifyd).
#   fs_setup                         $TMP/spool made by rampart-setup
#   put PATH                         stdin to $SPOOL/PATH (0640), as a
#                                    daemon would: temporary, then rename
#   job DIR ID KEY=VALUE...          DIR/ID/job with the page's keys
#   FS ARGS...                       faxstat -S $SPOOL ARGS (TZ=UTC, UTF-8)
B=$top_builddir
FAXSTAT=$B/faxstat/faxstat
SETUP=$B/setup/rampart-setup
for p in "$FAXSTAT" "$SETUP"; do
	[ -x "$p" ] || bail "$p not built"
done
need jq python3 flock setpriv timeout

fs_setup() {
	test_tmpdir
	SPOOL=$TMP/spool
	printf 'spool = %s\nhostname = rampart.test\n' "$SPOOL" > "$TMP/rampart.conf"
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
	NOW=$(date +%s)
}

put() {
	mkdir -p "$(dirname "$SPOOL/$1")"
	cat > "$SPOOL/$1.tmp.$$" && chmod 0640 "$SPOOL/$1.tmp.$$" &&
	    mv "$SPOOL/$1.tmp.$$" "$SPOOL/$1"
}

# job DIR ID [key=value ...]: the keys in the page's order; key=value
# replaces the default, -key drops it, +key=value adds a line at the end
job() {
	dir=$1 id=$2; shift 2
	awk -v id="$id" -v now="$NOW" '
	BEGIN {
		n = split("id number pages first_page try account subaddress " \
		    "version message e164 address mail_from message_id subject " \
		    "recipients notify notify_success priority created state " \
		    "device not_before busy_tries last_outcome last_reason", K, " ")
		d["id"] = id; d["number"] = "0301234567"; d["pages"] = 3
		d["first_page"] = 1; d["try"] = 1; d["account"] = "alice"
		d["subaddress"] = ""; d["version"] = 1
		d["message"] = "00000000-0000-4000-8000-000000000001"
		d["e164"] = "+49301234567"; d["address"] = "+49301234567@fax.test"
		d["mail_from"] = "alice@clinic.test"; d["message_id"] = "<m1@clinic.test>"
		d["subject"] = "Lab results"; d["recipients"] = 1
		d["notify"] = "per-recipient"; d["notify_success"] = 1
		d["priority"] = 127; d["created"] = now - 600; d["state"] = "ready"
		d["device"] = ""; d["not_before"] = 0; d["busy_tries"] = 0
		d["last_outcome"] = ""; d["last_reason"] = ""
		for (i = 1; i < ARGC; i++) {
			a = ARGV[i]; ARGV[i] = ""
			if (sub(/^-/, "", a)) { drop[a] = 1; continue }
			add = sub(/^\+/, "", a)
			k = a; sub(/=.*/, "", k); v = a; sub(/^[^=]*=/, "", v)
			if (add) { extra[++ne] = k " = " v; continue }
			if (!(k in d)) { K[++n] = k }
			d[k] = v
		}
		for (i = 1; i <= n; i++)
			if (!(K[i] in drop)) printf "%s = %s\n", K[i], d[K[i]]
		printf "document = 2 letter.pdf\ndocument = 1 scan.tif\n"
		for (i = 1; i <= ne; i++) print extra[i]
	}' "$@" | put "$dir/$id/job"
}

# a here-document's "key =" line gets the space an empty value has
kvfix() { sed 's/ =$/ = /'; }

FS() { TZ=UTC LC_ALL=C.UTF-8 "$FAXSTAT" -S "$SPOOL" "$@"; }
