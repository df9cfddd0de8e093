/*
 * fakeio: write(), fsync() and renameat2() that fail or misbehave on request,
 * linked with -Wl,--wrap so production code stays free of test hooks.
 */
#ifndef RAMPART_FAKEIO_H
#define RAMPART_FAKEIO_H

#include <sys/types.h>

struct fakeio {
	int	write_fail_after;	/* fail the Nth write from now (1 = next), 0 off */
	int	write_errno;
	int	write_short;		/* write at most this many bytes per call */
	int	write_eintr;		/* fail this many writes with EINTR first */
	int	fsync_fail;		/* errno for the next fsync, 0 off */
	int	rename_fail;		/* errno for the next renameat2, 0 off */
};

extern struct fakeio fakeio;

#endif
