/* fifo-t: wake-up lines go through whole; no reader is not an error */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fifo.h"
#include "tap.h"

static char got[8][128];
static int ngot;

static void
collect(char *line, void *arg)
{
	(void)arg;
	if (ngot < 8)
		snprintf(got[ngot++], sizeof(got[0]), "%s", line);
}

int
main(void)
{
	struct fifo_reader r;
	char path[512], reg[512], big[PIPE_BUF * 3], buf[32], *verb, *arg;
	int fd, wfd;

	plan(19);
	snprintf(path, sizeof(path), "%s/FIFO", test_tmpdir());
	snprintf(reg, sizeof(reg), "%s/regular", test_tmpdir());
	is_int(0, fifo_send(path, "incoming x"), "sending to a missing FIFO is not an error");
	is_int(0, fifo_make(path, 0620), "fifo_make creates the FIFO");
	is_int(0, fifo_make(path, 0620), "fifo_make accepts an existing FIFO");
	close(open(reg, O_CREAT | O_WRONLY, 0600));
	is_int(-1, fifo_make(reg, 0620), "fifo_make refuses a regular file");
	is_int(-1, fifo_listen(reg), "fifo_listen refuses a regular file");
	is_int(0, fifo_send(path, "send x"), "no reader: 0, not an error");

	if ((fd = fifo_listen(path)) == -1)
		bail("fifo_listen");
	memset(&r, 0, sizeof(r));
	is_int(1, fifo_send(path, "incoming 1"), "a line is sent to a reader");
	is_int(-1, fifo_send(path, "two\nlines"), "a line with a newline is refused");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(-1, fifo_send(path, big), "an overlong line is refused");
	/* what `echo` from a shell, or a confused writer, might send */
	wfd = open(path, O_WRONLY | O_NONBLOCK);
	write(wfd, "status ttyS0\r\n", 14);
	write(wfd, big, PIPE_BUF - 1);
	write(wfd, big, PIPE_BUF - 1);
	write(wfd, "\nrecv 2\npart", 12);
	is_int(3, fifo_read(fd, &r, collect, NULL), "three whole lines read");
	is_string("incoming 1", got[0], "first line");
	is_string("status ttyS0", got[1], "CRLF stripped");
	is_string("recv 2", got[2], "an overlong line was dropped, the next kept");
	write(wfd, "\n", 1);
	is_int(1, fifo_read(fd, &r, collect, NULL), "a partial line completes later");
	is_string("part", got[3], "and is delivered whole");
	close(wfd);
	is_int(0, fifo_read(fd, &r, collect, NULL), "no data: 0 lines, no EOF");

	snprintf(buf, sizeof(buf), "send abc-1");
	ok(fifo_split(buf, &verb, &arg) == 0 && strcmp(verb, "send") == 0 &&
	    strcmp(arg, "abc-1") == 0, "fifo_split splits verb and argument");
	snprintf(buf, sizeof(buf), "send a b");
	is_int(-1, fifo_split(buf, &verb, &arg), "a third word is refused");
	snprintf(buf, sizeof(buf), "SEND a");
	is_int(-1, fifo_split(buf, &verb, &arg), "a verb not in [a-z] is refused");
	close(fd);
	return 0;
}
