/*
 * lock: the UUCP-style modem lock, LCK..NAME in the lock directory,
 * holding the owner's pid as ten ASCII digits and a newline.  Taken by
 * writing a temporary file and linking it into place, so a lock file is
 * never seen half written.  A lock whose pid no longer runs is stale and
 * is taken over (kill -9 of a faxgetty must not wedge the modem).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faxgetty.h"
#include "path.h"

static int
write_tmp(const char *tmp)
{
	char buf[16];
	int fd, ok;

	(void)path_fmt(buf, sizeof(buf), "%10ld\n", (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		return -1;
	ok = write(fd, buf, 11) == 11 && fsync(fd) == 0;
	if (close(fd) == -1 || !ok) {
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

/* 1 if the lock at path belongs to a live process other than us */
static int
lock_alive(const char *path)
{
	char buf[32];
	ssize_t n;
	long pid;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : 1;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return 0;	/* empty or unreadable: stale */
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0 || pid == getpid())
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int
lock_take(const char *dir, const char *name, char *path, size_t sz)
{
	char tmp[PATH_MAX];
	int tries;

	if (path_fmt(path, sz, "%s/LCK..%s", dir, name) == -1 ||
	    path_fmt(tmp, sizeof(tmp), "%s/LTMP.%ld", dir, (long)getpid())
	    == -1)
		return -1;
	(void)unlink(tmp);
	if (write_tmp(tmp) == -1)
		return -1;
	for (tries = 0; tries < 3; tries++) {
		if (link(tmp, path) == 0) {
			(void)unlink(tmp);
			return 0;
		}
		if (errno != EEXIST)
			break;
		if (lock_alive(path)) {
			errno = EBUSY;
			break;
		}
		(void)unlink(path);	/* stale: its owner is gone */
	}
	(void)unlink(tmp);
	return -1;
}

void
lock_release(const char *path)
{
	if (path[0] != '\0' && !lock_alive(path))
		(void)unlink(path);
}
