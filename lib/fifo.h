/*
 * fifo: wake-ups between rampart programs.  A FIFO carries one-line
 * messages shorter than PIPE_BUF ("incoming ID", "send ID", "result ID.N",
 * "recv ID", "status DEV"), never state that is not also on disk.  A
 * sender never blocks and a missing reader is not an error: the work is
 * in the spool and the reader's rescan timer finds it.
 */
#ifndef RAMPART_FIFO_H
#define RAMPART_FIFO_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* creates the FIFO if missing; an existing non-FIFO is an error (EEXIST) */
int	fifo_make(const char *path, mode_t mode);

/* opens for reading, O_RDWR|O_NONBLOCK so the reader never sees EOF;
 * refuses anything that is not a FIFO (ENOTSUP is not used: EINVAL) */
int	fifo_listen(const char *path);

/*
 * Sends one line (without its newline; at most PIPE_BUF - 2 bytes, no
 * newline or NUL inside).  Returns 1 if written, 0 if nobody listens or
 * the FIFO does not exist or is full, -1 with EINVAL for a bad line or
 * with errno for another failure.
 */
int	fifo_send(const char *path, const char *line);

struct fifo_reader {
	char	buf[PIPE_BUF * 2];
	size_t	len;
	int	discard;	/* inside an overlong line */
};

/*
 * Reads what is available on fd and calls cb for each complete line,
 * newline and a trailing CR stripped (so `echo` works).  Overlong lines
 * and lines with NUL are dropped.  Returns the number of lines handed to
 * cb, or -1 with errno on a read error (EAGAIN is not an error).
 */
int	fifo_read(int fd, struct fifo_reader *r,
	    void (*cb)(char *line, void *arg), void *arg);

/*
 * Splits "verb arg" in place; returns 0, or -1 if the line is not exactly
 * a verb of [a-z] and one argument of printable non-space characters.
 */
int	fifo_split(char *line, char **verb, char **arg);

#endif
