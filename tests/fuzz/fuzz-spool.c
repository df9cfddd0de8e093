/*
 * fuzz-spool: the spool readers that exist today, on files a
 * compromised neighbour could have written: status/DEV (status_read,
 * which faxstat uses) and jobs/ID/job (spool_read, then job_parse as
 * faxgetty's send.c does), both read back from a real temporary spool
 * made by spool_init.
 *
 * Input: the file's bytes; the first byte also picks the size of
 * status_read's buffer.  Aborts when
 *  - status_read succeeds with a line that holds a newline, is not the
 *    file's first line, or does not fit; or fails on a first line that
 *    fits in a file within STATUS_MAX;
 *  - job_parse accepts a job without a number, with pages, first_page
 *    or try out of their ranges, or with fields that do not survive
 *    being written as key = value lines and parsed again;
 *  - the same bytes, written in chunks of the first byte's size into a
 *    pipe read by fifo_read (the FIFO wake-ups every daemon reads), do
 *    not come out as exactly the input's complete lines (one CR
 *    stripped) that are not empty, shorter than PIPE_BUF and without
 *    NUL, in order; or fifo_split splits a line into anything but a
 *    verb of a-z and one printable argument that make up the line.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fifo.h"
#include "log.h"
#include "path.h"
#include "spool.h"
#include "status.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

static struct spool *sp;
static char dir[] = "/tmp/fuzz-spool.XXXXXX";

static void
put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];
	int fd;

	if (path_fmt(path, sizeof(path), "%s/%s", dir, rel) == -1 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) == -1)
		abort();
}

static void
rmspool(void)
{
	char cmd[64];

	if (path_fmt(cmd, sizeof(cmd), "rm -rf %s", dir) == 0)
		(void)system(cmd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct spool_owners own = { (uid_t)-1, (gid_t)-1, (uid_t)-1 };
	char jobdir[512];

	(void)argc;
	(void)argv;
	log_init("fuzz-spool", 1, 0);
	if (mkdtemp(dir) == NULL || spool_init(dir, &own) == -1 ||
	    (sp = spool_open(dir)) == NULL ||
	    path_fmt(jobdir, sizeof(jobdir), "%s/jobs/J1", dir) == -1 ||
	    mkdir(jobdir, 0700) == -1)
		abort();
	atexit(rmspool);
	return 0;
}

static void
check_status(const uint8_t *data, size_t size)
{
	char line[STATUS_MAX + 1];
	size_t sz = 1 + (size > 0 ? data[0] : 0) * 2, first;
	int rc;

	if (sz > sizeof(line))
		sz = sizeof(line);
	put("status/ttyF", data, size);
	rc = status_read(sp, "ttyF", line, sz);
	first = strnlen((const char *)data, size);
	if (memchr(data, '\n', first) != NULL)
		first = (const uint8_t *)memchr(data, '\n', first) - data;
	if (rc == 0) {
		if (size > STATUS_MAX || strchr(line, '\n') != NULL ||
		    strlen(line) != first || strlen(line) >= sz ||
		    memcmp(line, data, first) != 0)
			abort();
	} else if (size <= STATUS_MAX && first < sz)
		abort();
}

static void
check_job(const uint8_t *data, size_t size)
{
	struct job j, k;
	char *buf, again[1024];
	size_t len;

	put("jobs/J1/job", data, size);
	if (spool_read(sp, "jobs/J1/job", 64 * 1024, &buf, &len) == -1) {
		if (size <= 64 * 1024)
			abort();
		return;
	}
	if (len != size || memcmp(buf, data, size) != 0)
		abort();
	memset(&j, 0, sizeof(j));
	j.first = j.try = 1;
	if (job_parse(&j, buf) == -1) {
		free(buf);
		return;
	}
	free(buf);
	if (j.number[0] == '\0' || strlen(j.number) >= sizeof(j.number) ||
	    strlen(j.account) >= sizeof(j.account) ||
	    strlen(j.sub) >= sizeof(j.sub) || j.pages < 1 || j.pages > 9999 ||
	    j.first < 1 || j.first > 9999 || j.try < 1 || j.try > 999 ||
	    strchr(j.number, '\n') != NULL || strchr(j.account, '\n') != NULL)
		abort();
	/* written back as queued would, it parses into the same job */
	if (path_fmt(again, sizeof(again), "number = %s\naccount = %s\n"
	    "subaddress = %s\npages = %d\nfirst_page = %d\ntry = %d\n",
	    j.number, j.account, j.sub, j.pages, j.first, j.try) == -1)
		abort();
	memset(&k, 0, sizeof(k));
	k.first = k.try = 1;
	if (job_parse(&k, again) == -1 || strcmp(k.number, j.number) != 0 ||
	    strcmp(k.account, j.account) != 0 || strcmp(k.sub, j.sub) != 0 ||
	    k.pages != j.pages || k.first != j.first || k.try != j.try)
		abort();
}

/* where the next line fifo_read hands over must come from */
static const uint8_t *fifo_in, *fifo_end;

/* the next line of the input that fifo_read must deliver, or NULL */
static const uint8_t *
fifo_next(size_t *lenp)
{
	const uint8_t *l, *nl;
	size_t len;

	while (fifo_in < fifo_end &&
	    (nl = memchr(fifo_in, '\n', fifo_end - fifo_in)) != NULL) {
		l = fifo_in;
		len = nl - l;
		fifo_in = nl + 1;
		if (len > 0 && l[len - 1] == '\r')
			len--;
		if (len > 0 && len < PIPE_BUF && memchr(l, '\0', len) == NULL) {
			*lenp = len;
			return l;
		}
	}
	return NULL;
}

static void
on_line(char *line, void *arg)
{
	char copy[PIPE_BUF], *verb, *a;
	const uint8_t *want;
	size_t len = strlen(line), wl;

	(void)arg;
	if ((want = fifo_next(&wl)) == NULL || wl != len ||
	    memcmp(want, line, len) != 0)
		abort();
	memcpy(copy, line, len + 1);
	if (fifo_split(copy, &verb, &a) == 0) {
		if (*verb == '\0' || strspn(verb, "abcdefghijklmnopqrstuvwxyz") !=
		    strlen(verb) || *a == '\0' ||
		    strlen(verb) + 1 + strlen(a) != len ||
		    memcmp(line, verb, strlen(verb)) != 0 ||
		    line[strlen(verb)] != ' ' || strcmp(line + strlen(verb) + 1,
		    a) != 0)
			abort();
		for (; *a != '\0'; a++)
			if (*a <= ' ' || *a > '~')
				abort();
	}
}

static void
check_fifo(const uint8_t *data, size_t size)
{
	static struct fifo_reader r;
	size_t chunk = size > 0 ? (size_t)data[0] * 64 + 1 : 1, off = 0, n;
	size_t wl;
	int p[2];

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) == -1)
		abort();
	memset(&r, 0, sizeof(r));
	fifo_in = data;
	fifo_end = data + size;
	while (off < size) {
		n = size - off < chunk ? size - off : chunk;
		if (write(p[1], data + off, n) != (ssize_t)n)
			abort();
		off += n;
		if (fifo_read(p[0], &r, on_line, NULL) == -1)
			abort();
	}
	close(p[0]);
	close(p[1]);
	if (fifo_next(&wl) != NULL)	/* a line that never came */
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 60000)
		return 0;
	check_status(data, size);
	check_job(data, size);
	check_fifo(data, size);
	return 0;
}
