/* config-t: rampart.conf parsing, typed values, errors as file:line */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "tap.h"

static const char *
write_conf(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	if ((fp = fopen(path, "w")) == NULL)
		bail("fopen %s", path);
	fputs(text, fp);
	fclose(fp);
	return path;
}

int
main(void)
{
	struct conf c;
	char err[1024], line[600];
	const char *p;

	plan(20);
	conf_defaults(&c);
	is_string("rampart", c.user, "default user");
	is_int(6, c.max_tries, "default max_tries");
	is_int(300, c.retry_interval, "default retry_interval is 5m");

	p = write_conf("good.conf", "# a comment\n\n  spool = /x/y  # trailing\n"
	    "max_tries=3\nretry_interval = 2h\nkeep = 7\n");
	is_int(0, conf_load(&c, p, err, sizeof(err)), "a good file loads");
	is_string("/x/y", c.spool, "string value trimmed, comment cut");
	is_int(3, c.max_tries, "integer value");
	is_int(7200, c.retry_interval, "duration with h suffix");
	is_int(3, conf_get_int(&c, "max_tries"), "typed getter by name");
	is_string("/x/y", conf_get_str(&c, "spool"), "string getter by name");

	p = write_conf("bad.conf", "spool = /a\nbogus = 1\nmax_tries = many\n"
	    "keep = 99999\nno equals sign\n");
	is_int(-1, conf_load(&c, p, err, sizeof(err)), "a bad file fails");
	snprintf(line, sizeof(line), "%s:2: unknown key \"bogus\"\n", p);
	ok(strstr(err, line) != NULL, "unknown key reported with file:line");
	snprintf(line, sizeof(line), "%s:3: max_tries: bad value \"many\"\n", p);
	ok(strstr(err, line) != NULL, "bad value reported with file:line");
	snprintf(line, sizeof(line), "%s:4: keep: 99999 is out of range 0..3650\n", p);
	ok(strstr(err, line) != NULL, "out of range value reported");
	snprintf(line, sizeof(line), "%s:5: expected \"key = value\"\n", p);
	ok(strstr(err, line) != NULL, "line without '=' reported: all errors, not the first");

	is_int(-1, conf_load(&c, "/nonexistent/rampart.conf", err, sizeof(err)),
	    "a missing file fails");
	ok(strstr(err, "No such file") != NULL, "with the reason");
	is_int(-1, conf_set(&c, "retry_interval", "5x", err, sizeof(err)),
	    "a bad duration suffix is refused");
	is_int(-1, conf_set(&c, "paper", "a5", err, sizeof(err)),
	    "a value outside a key's choices is refused");
	is_string("paper: \"a5\" is not one of a4|letter", err, "and the choices are named");
	ok(conf_set(&c, "paper", "letter", err, sizeof(err)) == 0 &&
	    conf_set(&c, "convert_memory", "1G", err, sizeof(err)) == 0 &&
	    c.convert_memory == 1073741824L, "a listed choice and a size with G");
	return 0;
}
