/*
 * fifo: named-pipe wake-ups (see fifo.h).  A send never blocks and never
 * fails a job; a reader keeps its own write end open so it never sees EOF.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fifo.h"

int
fifo_make(const char *path, mode_t mode)
{
	struct stat st;

	if (mkfifo(path, mode) == 0)
		return chmod(path, mode);	/* umask cut the mode */
	if (errno != EEXIST)
		return -1;
	if (lstat(path, &st) == -1)
		return -1;
	if (!S_ISFIFO(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

int
fifo_listen(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int
fifo_send(const char *path, const char *line)
{
	char buf[PIPE_BUF];
	size_t len = strlen(line);
	struct stat st;
	ssize_t n;
	int fd;

	if (len == 0 || len > PIPE_BUF - 2 || strchr(line, '\n') != NULL) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return errno == ENXIO || errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	memcpy(buf, line, len);
	buf[len++] = '\n';
	/* one write under PIPE_BUF is atomic: whole line or nothing */
	do
		n = write(fd, buf, len);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n == -1)
		return errno == EAGAIN || errno == EPIPE ? 0 : -1;
	return 1;
}

static int
deliver(struct fifo_reader *r, void (*cb)(char *, void *), void *arg)
{
	char *nl, *line = r->buf;
	size_t left = r->len;
	int count = 0;

	while ((nl = memchr(line, '\n', left)) != NULL) {
		size_t len = nl - line;

		*nl = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (r->discard)
			r->discard = 0;	/* end of an overlong line */
		else if (len > 0 && len < PIPE_BUF && strlen(line) == len) {
			cb(line, arg);
			count++;
		}
		left -= (nl + 1) - line;
		line = nl + 1;
	}
	memmove(r->buf, line, left);
	r->len = left;
	if (r->len == sizeof(r->buf)) {
		r->len = 0;	/* no newline in a full buffer: drop it */
		r->discard = 1;
	}
	return count;
}

int
fifo_read(int fd, struct fifo_reader *r, void (*cb)(char *, void *),
    void *arg)
{
	ssize_t n;
	int count = 0;

	for (;;) {
		n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return count;
			return -1;
		}
		if (n == 0)
			return count;
		r->len += n;
		count += deliver(r, cb, arg);
	}
}

int
fifo_split(char *line, char **verb, char **arg)
{
	char *sp, *p;

	if ((sp = strchr(line, ' ')) == NULL)
		return -1;
	*sp = '\0';
	for (p = line; *p != '\0'; p++)
		if (*p < 'a' || *p > 'z')
			return -1;
	for (p = sp + 1; *p != '\0'; p++)
		if (!isgraph((unsigned char)*p))
			return -1;
	if (sp == line || sp[1] == '\0')
		return -1;
	*verb = line;
	*arg = sp + 1;
	return 0;
}
