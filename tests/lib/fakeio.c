/* fakeio: injected I/O faults for spool tests (see fakeio.h) */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "fakeio.h"

struct fakeio fakeio;

ssize_t __real_write(int, const void *, size_t);
int __real_fsync(int);
int __real_renameat2(int, const char *, int, const char *, unsigned int);
ssize_t __wrap_write(int, const void *, size_t);
int __wrap_fsync(int);
int __wrap_renameat2(int, const char *, int, const char *, unsigned int);

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	if (fd > 2 && fakeio.write_eintr > 0) {
		fakeio.write_eintr--;
		errno = EINTR;
		return -1;
	}
	if (fd > 2 && fakeio.write_fail_after > 0 &&
	    --fakeio.write_fail_after == 0) {
		errno = fakeio.write_errno;
		return -1;
	}
	if (fd > 2 && fakeio.write_short > 0 && len > (size_t)fakeio.write_short)
		len = fakeio.write_short;
	return __real_write(fd, buf, len);
}

int
__wrap_fsync(int fd)
{
	if (fakeio.fsync_fail) {
		errno = fakeio.fsync_fail;
		fakeio.fsync_fail = 0;
		return -1;
	}
	return __real_fsync(fd);
}

int
__wrap_renameat2(int fd1, const char *from, int fd2, const char *to,
    unsigned int flags)
{
	if (fakeio.rename_fail) {
		errno = fakeio.rename_fail;
		fakeio.rename_fail = 0;
		return -1;
	}
	return __real_renameat2(fd1, from, fd2, to, flags);
}
