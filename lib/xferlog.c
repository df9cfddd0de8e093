/*
 * xferlog: appends one record per call to log/xferlog.  The record is
 * built in memory, cleaned (tabs, newlines and control characters in
 * outside text become spaces or '?'), and written with one write() on an
 * O_APPEND descriptor, so concurrent faxgettys never interleave.
 */
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "spool.h"
#include "xferlog.h"

/* a field of outside text: never empty, one token of one line */
static void
clean(char *dst, size_t sz, const char *src)
{
	size_t i;

	if (src == NULL || *src == '\0')
		src = "-";
	for (i = 0; src[i] != '\0' && i + 1 < sz; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch == '\t' || ch == '\n' || ch == '\r')
			ch = ' ';
		else if (ch < 0x20 || ch > 0x7e || ch == '"')
			ch = '?';
		dst[i] = (char)ch;
	}
	dst[i] = '\0';
}

int
xferlog_format(const struct xferlog_rec *r, char *buf, size_t sz)
{
	char date[32], dir[8], id[64], dev[64], acct[128], num[64];
	char rid[64], cid[64], res[128];
	struct tm tm;

	if (gmtime_r(&r->start, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	clean(dir, sizeof(dir), r->dir);
	clean(id, sizeof(id), r->id);
	clean(dev, sizeof(dev), r->device);
	clean(acct, sizeof(acct), r->account);
	clean(num, sizeof(num), r->number);
	clean(rid, sizeof(rid), r->remote_id);
	clean(cid, sizeof(cid), r->caller_id);
	clean(res, sizeof(res), r->result);
	return path_fmt(buf, sz,
	    "%s\t%s\t%s\t%d\t%s\t%s\t%s\t\"%s\"\t%s\t%d\t%d\t%ld\t%d\t\"%s\"\n",
	    date, dir, id, r->try, dev, acct, num, rid, cid, r->pages,
	    r->total, r->duration, r->bit_rate, res);
}

int
xferlog_append(struct spool *sp, const struct xferlog_rec *r)
{
	char buf[1024];

	if (xferlog_format(r, buf, sizeof(buf)) == -1)
		return -1;
	return xferlog_append_line(sp, "log/xferlog", buf);
}

int
xferlog_append_line(struct spool *sp, const char *path, const char *line)
{
	size_t len = strlen(line);
	ssize_t n;
	int fd, saved;

	fd = openat(spool_dirfd(sp), path,
	    O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	n = write(fd, line, len);
	saved = errno;
	if (n == (ssize_t)len && fsync(fd) == 0) {
		if (close(fd) == -1)
			return -1;
		return 0;
	}
	(void)close(fd);
	errno = n == -1 ? saved : EIO;
	return -1;
}
