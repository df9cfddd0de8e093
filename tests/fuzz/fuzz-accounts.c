/*
 * fuzz-accounts: the accounts file (rampart-accounts(5)) through smtpd's
 * accounts_load, linked from smtpd/auth.c as it is.  Input: the file.
 * Aborts when an accepted file holds an account whose name, hash,
 * number patterns or limits break the format (a name outside
 * [A-Za-z0-9._@+-], a ':' or newline in a field, an empty hash, a
 * negative limit), or when the accounts, written back one line each as
 * smtpd -a writes them, do not load into the same list.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smtpd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
load(struct accounts *a, const void *buf, size_t len)
{
	static int fd = -1;
	static char path[64];
	char err[512];

	if (fd == -1) {
		if ((fd = memfd_create("accounts", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, len, 0) != (ssize_t)len)
		abort();
	return accounts_load(a, path, err, sizeof(err));
}

static void
check(const struct account *a)
{
	size_t n = strlen(a->name);

	if (n == 0 || n >= NAME_MAX_ACCT || strspn(a->name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@+-") != n || a->hash == NULL ||
	    a->hash[0] == '\0' || strpbrk(a->hash, ":\n") != NULL ||
	    a->numbers == NULL || strspn(a->numbers, "+0123456789*, ") !=
	    strlen(a->numbers) || a->max_rcpts < 0 || a->per_hour < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct accounts a, b;
	static char out[1 << 20];
	size_t i, used = 0;
	int w;

	if (size > 65536 || load(&a, data, size) == -1)
		return 0;
	for (i = 0; i < a.n; i++) {
		check(&a.v[i]);
		w = snprintf(out + used, sizeof(out) - used, "%s:%s:%s:%ld:%ld\n",
		    a.v[i].name, a.v[i].hash, a.v[i].numbers, a.v[i].max_rcpts,
		    a.v[i].per_hour);
		if (w < 0 || (size_t)w >= sizeof(out) - used)
			abort();
		used += w;
	}
	if (load(&b, out, used) == -1 || b.n != a.n)
		abort();
	for (i = 0; i < a.n; i++)
		if (strcmp(a.v[i].name, b.v[i].name) != 0 ||
		    strcmp(a.v[i].hash, b.v[i].hash) != 0 ||
		    strcmp(a.v[i].numbers, b.v[i].numbers) != 0 ||
		    a.v[i].max_rcpts != b.v[i].max_rcpts ||
		    a.v[i].per_hour != b.v[i].per_hour)
			abort();
	return 0;
}
