/*
 * fuzz-accounts: the accounts file (rampart-accounts(5)) through smtpd's
 * accounts_load, linked from smtpd/auth.c as it is.  Input: the file.
 * Aborts when an accepted file holds an account whose name, hash,
 * number patterns or limits break the format (a name outside
 * [A-Za-z0-9._@+-], a ':' or newline in a field, an empty hash, a
 * negative limit), or when the accounts, written back one line each as
 * smtpd -a writes them, do not load into the same list.  The same
 * bytes are then read as tls_client_map (certmap_load, also auth.c):
 * every fingerprint must be 32 "XX:" bytes in upper-case hex, every
 * account a good name, and the map written back must load the same.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smtpd.h"
#include "tls.h"

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

static void
certmap(const uint8_t *data, size_t size)
{
	static struct server a, b;
	static char out[1 << 20];
	char err[512], path[64];
	size_t i, j, used = 0, n;
	int fd, w;

	if ((fd = memfd_create("client-map", 0)) == -1 ||
	    write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	free(a.certmap);
	a.certmap = NULL;
	a.ncertmap = 0;
	if (certmap_load(&a, path, err, sizeof(err)) == -1) {
		close(fd);
		return;
	}
	for (i = 0; i < a.ncertmap; i++) {
		const char *f = a.certmap[i][0], *acct = a.certmap[i][1];

		n = strlen(acct);
		if (strlen(f) != TLS_FPR_SIZE - 1 || n == 0 ||
		    n >= NAME_MAX_ACCT || strspn(acct, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-") != n)
			abort();
		for (j = 0; j < TLS_FPR_SIZE - 1; j++)
			if (j % 3 == 2 ? f[j] != ':' :
			    strchr("0123456789ABCDEF", f[j]) == NULL || f[j] == 0)
				abort();
		if (certmap_find(&a, f) == NULL)
			abort();
		w = snprintf(out + used, sizeof(out) - used, "%s %s\n", f, acct);
		if (w < 0 || (size_t)w >= sizeof(out) - used)
			abort();
		used += w;
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, out, used, 0) !=
	    (ssize_t)used)
		abort();
	free(b.certmap);
	b.certmap = NULL;
	b.ncertmap = 0;
	if (certmap_load(&b, path, err, sizeof(err)) == -1 ||
	    b.ncertmap != a.ncertmap)
		abort();
	for (i = 0; i < a.ncertmap; i++)
		if (strcmp(a.certmap[i][0], b.certmap[i][0]) != 0 ||
		    strcmp(a.certmap[i][1], b.certmap[i][1]) != 0)
			abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct accounts a, b;
	static char out[1 << 20];
	size_t i, used = 0;
	int w;

	if (size > 65536)
		return 0;
	certmap(data, size);
	if (load(&a, data, size) == -1)
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
