/* path-t: bounded formatting reports truncation */
#include <errno.h>

#include "path.h"
#include "tap.h"

int
main(void)
{
	char buf[8];

	plan(6);
	is_int(0, path_fmt(buf, sizeof(buf), "%s/%s", "ab", "cd"), "a path that fits");
	is_string("ab/cd", buf, "is formatted");
	errno = 0;
	is_int(-1, path_fmt(buf, sizeof(buf), "%s/%s", "abcd", "efgh"),
	    "a path that does not fit fails");
	is_int(ENAMETOOLONG, errno, "with ENAMETOOLONG");
	is_int(0, str_copy(buf, "1234567", sizeof(buf)), "7 bytes fit in 8");
	is_int(-1, str_copy(buf, "12345678", sizeof(buf)), "8 bytes do not");
	return 0;
}
