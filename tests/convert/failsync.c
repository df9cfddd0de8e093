/*
 * failsync: a test-only preload (LD_PRELOAD) whose fsync fails with the
 * errno in FAILSYNC_ERRNO (default EIO), as a failing disk's would.
 * errors-t uses it on convert's supervisor, the one process that syncs.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int
fsync(int fd)
{
	const char *e = getenv("FAILSYNC_ERRNO");

	(void)fd;
	errno = e != NULL ? atoi(e) : EIO;
	return -1;
}
