/*
 * fuzz-config: rampart.conf through conf_load, the parser every program
 * starts with.  Input: the file.  Aborts when, whether the file was
 * accepted or not, a string value is not NUL-terminated within its
 * field, longer than its key allows or not one of its choices, or a
 * number is out of its key's range; and when an accepted file, written
 * back as "key = value" lines, does not load into the same struct conf.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
load(const void *buf, size_t len, struct conf *c)
{
	static int fd = -1;
	static char path[64];
	char err[4096];

	if (fd == -1) {
		if ((fd = memfd_create("rampart.conf", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, len, 0) != (ssize_t)len)
		abort();
	conf_defaults(c);
	return conf_load(c, path, err, sizeof(err));
}

static void
check_values(const struct conf *c)
{
	const struct conf_key *k;
	const char *s;
	long n, max;

	for (k = conf_keys; k->name != NULL; k++) {
		if (k->type == CONF_STR) {
			s = (const char *)c + k->offset;
			max = k->max > 0 ? k->max : CONF_STRMAX - 1;
			if (memchr(s, '\0', CONF_STRMAX) == NULL ||
			    (long)strlen(s) > max)
				abort();
			/* what is set must be settable again */
			if (k->choices != NULL && conf_set((struct conf *)c,
			    k->name, s, (char[256]){ 0 }, 256) == -1)
				abort();
			continue;
		}
		memcpy(&n, (const char *)c + k->offset, sizeof(n));
		if (k->type == CONF_BOOL ? n != 0 && n != 1 :
		    n < k->min || n > k->max)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c, d;
	static char out[65536];
	const struct conf_key *k;
	size_t used = 0;
	long n;
	int w;

	if (size > 32768)
		return 0;
	if (load(data, size, &c) == -1) {
		check_values(&c);
		return 0;
	}
	check_values(&c);
	for (k = conf_keys; k->name != NULL; k++) {
		if (k->type == CONF_STR)
			w = snprintf(out + used, sizeof(out) - used,
			    "%s = %s\n", k->name, (const char *)&c + k->offset);
		else {
			memcpy(&n, (const char *)&c + k->offset, sizeof(n));
			w = snprintf(out + used, sizeof(out) - used,
			    "%s = %ld\n", k->name, n);
		}
		if (w < 0 || (size_t)w >= sizeof(out) - used)
			abort();
		used += w;
	}
	/* field by field: a shorter value leaves bytes after its NUL */
	if (load(out, used, &d) == -1)
		abort();
	for (k = conf_keys; k->name != NULL; k++)
		if (k->type == CONF_STR ? strcmp((const char *)&c + k->offset,
		    (const char *)&d + k->offset) != 0 :
		    memcmp((const char *)&c + k->offset,
		    (const char *)&d + k->offset, sizeof(long)) != 0)
			abort();
	return 0;
}
