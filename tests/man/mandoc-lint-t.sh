#!/bin/sh
# mandoc-lint-t: every man page is clean under mandoc -Tlint
. "$top_srcdir/tests/tap.sh"
need mandoc
set -- "$top_srcdir"/man/*.[1-9]
plan $#
for page; do
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	tap_result $? "mandoc -Tlint $(basename "$page")"
	[ -n "$out" ] && diag "$out"
done
