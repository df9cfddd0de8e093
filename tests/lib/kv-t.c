/* kv-t: strict parsing of key = value files, escaping round trips */
#include <string.h>

#include "kv.h"
#include "tap.h"

static int
parses(const char *s)
{
	struct kvlist l;
	int r = kv_parse(&l, s, strlen(s), NULL, 0);

	kv_free(&l);
	return r == 0;
}

int
main(void)
{
	struct kvlist l;
	struct kvbuf b;
	char err[128], out[64];
	long long n;
	size_t i = 0;
	const char *src = "id = abc\nrcpt = 1\nrcpt = 2\nn = 42\nempty = \n";
	const char *weird = "line\nbreak \\ \x01\xff end";

	plan(24);
	ok(kv_parse(&l, src, strlen(src), err, sizeof(err)) == 0, "a file parses");
	is_int(5, l.n, "five lines");
	is_string("abc", kv_get(&l, "id"), "kv_get");
	is_string("1", kv_next(&l, "rcpt", &i), "first rcpt");
	is_string("2", kv_next(&l, "rcpt", &i), "second rcpt");
	ok(kv_next(&l, "rcpt", &i) == NULL, "no third rcpt");
	ok(kv_num(&l, "n", 0, 100, 0, &n) == 0 && n == 42, "a number");
	ok(kv_num(&l, "n", 0, 10, 0, &n) == -1, "a number out of range");
	ok(kv_num(&l, "id", 0, 10, 0, &n) == -1, "not a number");
	ok(kv_num(&l, "absent", 0, 10, 7, &n) == 0 && n == 7, "a default");
	is_string("", kv_get(&l, "empty"), "an empty value");
	kv_free(&l);

	ok(!parses("id = x"), "no final newline is refused");
	ok(!parses("id=x\n"), "no spaces round = is refused");
	ok(!parses("Id = x\n"), "an uppercase key is refused");
	ok(!parses("id = a\tb\n"), "a tab is refused");
	ok(!parses("id = \xc3\xa9\n"), "non-ASCII is refused");
	ok(kv_parse(&l, "id = a\0b\n", 8, NULL, 0) == -1, "a NUL byte is refused");
	ok(kv_parse(&l, "a = 1\nb\n", 8, err, sizeof(err)) == -1 && l.line == 2,
	    "the bad line is named");
	is_string("line 2: not key = value", err, "and said");

	kvb_init(&b);
	kvb_str(&b, "tsi", weird);
	kvb_num(&b, "pages", 3);
	ok(!b.err && kv_parse(&l, b.buf, b.len, NULL, 0) == 0,
	    "escaped outside text parses");
	is_int(2, l.n, "as two lines");
	ok(kv_str(&l, "tsi", out, sizeof(out)) == 0 && strcmp(out, weird) == 0,
	    "and unescapes to what was written");
	kv_free(&l);
	kvb_free(&b);
	strcpy(out, "a\\x00b");
	ok(kv_unescape(out) == -1, "an escaped NUL is refused");
	strcpy(out, "a\\xZZ");
	ok(kv_unescape(out) == -1, "a bad escape is refused");
	return 0;
}
