/*
 * tap: TAP output for C tests (see tap.h).  Owns the plan counters and the
 * per-test temporary directory; never touches anything outside it.
 */
#include <errno.h>
#include <sys/stat.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static int planned = -1, run, failed;
static char tmpdir[256];
static pid_t owner;

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static void
finish(void)
{
	if (getpid() != owner)
		return;		/* a forked child exiting */
	if (tmpdir[0] != '\0' && !(failed && getenv("TAP_KEEP") != NULL))
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (planned >= 0 && run != planned) {
		printf("# planned %d tests but ran %d\n", planned, run);
		fflush(stdout);
		_exit(1);
	}
	if (failed) {
		printf("# failed %d of %d tests\n", failed, run);
		fflush(stdout);
		_exit(1);
	}
}

void
plan(int n)
{
	owner = getpid();
	planned = n;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", n);
	atexit(finish);
}

static int
vresult(int success, const char *fmt, va_list ap)
{
	run++;
	if (!success)
		failed++;
	printf("%sok %d - ", success ? "" : "not ", run);
	vprintf(fmt, ap);
	printf("\n");
	return success;
}

int
ok(int success, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(success, fmt, ap);
	va_end(ap);
	return success;
}

int
is_int(long want, long got, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(want == got, fmt, ap);
	va_end(ap);
	if (want != got)
		diag("want %ld, got %ld", want, got);
	return want == got;
}

int
is_string(const char *want, const char *got, const char *fmt, ...)
{
	va_list ap;
	int success;

	success = want != NULL && got != NULL ? strcmp(want, got) == 0 :
	    want == got;
	va_start(ap, fmt);
	vresult(success, fmt, ap);
	va_end(ap);
	if (!success)
		diag("want \"%s\", got \"%s\"", want ? want : "(null)",
		    got ? got : "(null)");
	return success;
}

int
is_blob(const void *want, const void *got, size_t len, const char *fmt, ...)
{
	va_list ap;
	int success;

	success = memcmp(want, got, len) == 0;
	va_start(ap, fmt);
	vresult(success, fmt, ap);
	va_end(ap);
	return success;
}

void
diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

void
bail(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	printf("Bail out! ");
	vprintf(fmt, ap);
	if (saved != 0)
		printf(": %s", strerror(saved));
	printf("\n");
	va_end(ap);
	fflush(stdout);
	exit(1);
}

void *
bmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (p == NULL)
		bail("calloc %zu", n);
	return p;
}

char *
bstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		bail("strdup");
	return p;
}

const char *
test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0] != '\0')
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/rampart-t.XXXXXX",
	    base ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		bail("mkdtemp %s", tmpdir);
	return tmpdir;
}

int
file_exists(const char *fmt, ...)
{
	char path[1024];
	struct stat st;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return lstat(path, &st) == 0;
}
