/* ids-t: generated ids are valid, lowercase and distinct; bad ids refused */
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "tap.h"

static int
cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
main(void)
{
	static char ids[1000][ID_SIZE];
	int i, valid = 1, dup = 0;

	plan(12);
	for (i = 0; i < 1000; i++) {
		id_new(ids[i]);
		valid &= id_valid(ids[i]);
	}
	ok(valid, "1000 new ids are valid");
	is_int(ID_LEN, strlen(ids[0]), "an id is 36 characters");
	qsort(ids, 1000, ID_SIZE, cmp);
	for (i = 1; i < 1000; i++)
		dup += strcmp(ids[i - 1], ids[i]) == 0;
	is_int(0, dup, "1000 new ids are distinct");
	ok(id_valid("0f0e8a5c-6d2b-4a8e-9f3c-1b2a3c4d5e6f"), "a lowercase UUID is valid");
	ok(!id_valid("0F0E8A5C-6D2B-4A8E-9F3C-1B2A3C4D5E6F"), "uppercase is refused");
	ok(!id_valid("0f0e8a5c-6d2b-4a8e-9f3c-1b2a3c4d5e6"), "a short id is refused");
	ok(!id_valid("0f0e8a5c-6d2b-4a8e-9f3c-1b2a3c4d5e6fa"), "a long id is refused");
	ok(!id_valid("../../etc/passwd-aaaa-aaaa-aaaaaaaaaa"), "a path is refused");
	ok(!id_valid("0f0e8a5c06d2b-4a8e-9f3c-1b2a3c4d5e6f"), "a missing dash is refused");
	{
		char a[ID_SIZE], b[ID_SIZE], c[ID_SIZE];
		const char *p = "0f0e8a5c-6d2b-4a8e-9f3c-1b2a3c4d5e6f";

		id_derive(a, p, "dsn", 3);
		id_derive(b, p, "dsn", 3);
		id_derive(c, p, "dsm", 3);
		ok(id_valid(a), "a derived id is valid");
		is_string(a, b, "the same name gives the same id");
		ok(strcmp(a, c) != 0, "another name another id");
	}
	return 0;
}
