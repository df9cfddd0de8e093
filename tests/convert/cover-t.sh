#!/bin/sh
# cover-t: the cover page comes first, filled from -k keys and the page
# count, and PageNumber counts the cover.
. "$top_srcdir/tests/convert/common.sh"

plan 8

O=$TMP/out.tif
COVER=$top_srcdir/etc/cover.txt
run_conv "$O" -C "$COVER" -k to=+15551234 -k from=alice@example.org \
    -k subject="Quarterly report" -k note="Please call back." "$C/doc3.pdf"
is 0 "$rc" "a PDF with a cover converts ($err)"
info=$("$TIFFCHECK" "$O")
is 4 "$(printf '%s\n' "$info" | grep -c '^page=')" "cover plus three pages"
is "pn=0/4" "$(printf '%s\n' "$info" | sed -n '1s/.*\(pn=[0-9/]*\).*/\1/p')" \
    "the cover is page 0 of 4"
is "pn=3/4" "$(printf '%s\n' "$info" | sed -n '4s/.*\(pn=[0-9/]*\).*/\1/p')" \
    "the last page is page 3 of 4"
ok "the cover page has ink at the top" \
    sh -c "printf '%s\n' '$(printf '%s\n' "$info" | head -1)' | grep -qv ' top=0$'"
"$CONVERT" -o "$O.2" -C "$TMP/no-such-cover" -k to=x "$C/doc3.pdf" 2>/dev/null
is 16 "$?" "a missing cover template is an internal error (16)"

# an empty template still makes one cover page; form feeds (in the
# template or smuggled in a value) cannot make it two
: >"$TMP/empty-cover"
run_conv "$O" -C "$TMP/empty-cover" "$C/doc3.pdf"
is 4 "$("$TIFFCHECK" "$O" | grep -c '^page=')" "an empty template: still a cover page"
printf 'one\f%%{subject}\ftwo\n' >"$TMP/ff-cover"
run_conv "$O" -C "$TMP/ff-cover" -k "subject=a$(printf '\f')b" "$C/doc3.pdf"
is 4 "$("$TIFFCHECK" "$O" | grep -c '^page=')" "form feeds: the cover is still one page"
