/*
 * at: the AT dialogue with a fax modem: device set-up (raw 8N1, hardware
 * flow control), commands, reply lines and their result codes, each wait
 * bounded by a timeout.  Never interprets fax data; never blocks without
 * a deadline.
 */
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "at.h"
#include "log.h"
#include "path.h"

static const struct {
	const char	*text;
	enum at_reply	 reply;
} codes[] = {
	{ "OK",			AT_OK },
	{ "CONNECT",		AT_CONNECT },
	{ "NO CARRIER",		AT_NOCARRIER },
	{ "ERROR",		AT_ERROR },
	{ "+FCERROR",		AT_FCERROR },
	{ "+F4",		AT_FCERROR },	/* numeric +FCERROR */
	{ "BUSY",		AT_BUSY },
	{ "NO ANSWER",		AT_NOANSWER },
	{ "NO DIALTONE",	AT_NODIALTONE },
	{ "NO DIAL TONE",	AT_NODIALTONE },
	{ "RING",		AT_RING },
	{ "+FRH:3",		AT_FRH3 },
	{ NULL,			AT_NONE }
};

int64_t
at_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
at_open(struct at *a, const char *dev)
{
	struct termios t;

	memset(a, 0, sizeof(*a));
	if ((a->fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
	    == -1)
		return -1;
	if (!isatty(a->fd)) {
		close(a->fd);
		a->fd = -1;
		errno = ENOTTY;
		return -1;
	}
	if (tcgetattr(a->fd, &t) == 0) {
		cfmakeraw(&t);
		/* hardware flow control; a pty ignores it */
		t.c_cflag |= CRTSCTS | CLOCAL | CREAD | HUPCL;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		(void)tcsetattr(a->fd, TCSANOW, &t);
	}
	return 0;
}

void
at_close(struct at *a)
{
	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
}

int
at_fill(struct at *a, int ms)
{
	struct pollfd pfd;
	ssize_t n;

	if (a->off == a->len)
		a->off = a->len = 0;
	if (a->off > 0 && a->len == sizeof(a->buf)) {
		memmove(a->buf, a->buf + a->off, a->len - a->off);
		a->len -= a->off;
		a->off = 0;
	}
	if (a->len == sizeof(a->buf))
		return 1;	/* full: the caller must consume first */
	pfd.fd = a->fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(a->fd, a->buf + a->len, sizeof(a->buf) - a->len);
	if (n > 0) {
		a->len += n;
		return 1;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	a->eof = 1;	/* EOF, or EIO when the other side of a pty closed */
	return -1;
}

int
at_getbyte(struct at *a)
{
	if (a->off == a->len)
		return -1;
	if (a->skip_lf) {
		/* the LF of a CR LF split across two reads */
		a->skip_lf = 0;
		if (a->buf[a->off] == '\n' && ++a->off == a->len)
			return -1;
	}
	return a->buf[a->off++];
}

size_t
at_pending(const struct at *a)
{
	return a->len - a->off;
}

void
at_drain(struct at *a)
{
	while (at_fill(a, 0) == 1 && a->len < sizeof(a->buf))
		a->off = a->len;
	a->off = a->len = 0;
}

int
at_write(struct at *a, const void *buf, size_t len, int ms)
{
	const uint8_t *p = buf;
	struct pollfd pfd;
	int64_t deadline = at_clock_ms() + ms;
	ssize_t n;

	while (len > 0) {
		n = write(a->fd, p, len);
		if (n > 0) {
			p += n;
			len -= n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (at_clock_ms() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = a->fd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, 20);
	}
	return 0;
}

int
at_send(struct at *a, const char *cmd)
{
	char buf[AT_LINEMAX + 2];

	if (path_fmt(buf, sizeof(buf), "%s\r", cmd) == -1)
		return -1;
	if (a->trace)
		log_debug("modem <- %s", cmd);
	return at_write(a, buf, strlen(buf), 5000);
}

/* a line ends at CR or LF; empty lines are skipped */
int
at_getline(struct at *a, char *line, size_t size)
{
	size_t i, n;

	while (a->off < a->len && (a->buf[a->off] == '\r' ||
	    a->buf[a->off] == '\n'))
		a->off++;
	for (i = a->off; i < a->len; i++)
		if (a->buf[i] == '\r' || a->buf[i] == '\n')
			break;
	if (i == a->len) {
		if (a->len - a->off < size - 1 && a->len < sizeof(a->buf))
			return 0;
		i = a->off + size - 1;	/* overlong: cut it */
	}
	n = i - a->off;
	if (n >= size)
		n = size - 1;
	memcpy(line, a->buf + a->off, n);
	line[n] = '\0';
	/* eat the terminator, so that data after CONNECT starts clean */
	if (i < a->len && (a->buf[i] == '\r' || a->buf[i] == '\n')) {
		a->skip_lf = 0;
		if (a->buf[i++] == '\r') {
			if (i < a->len && a->buf[i] == '\n')
				i++;
			else if (i == a->len)
				a->skip_lf = 1;
		}
	}
	for (size_t k = 0; k < n; k++)	/* modem text is untrusted */
		if ((unsigned char)line[k] < 0x20 || (unsigned char)line[k] > 0x7e)
			line[k] = '?';
	a->off = i;
	return 1;
}

enum at_reply
at_classify(const char *line)
{
	size_t n;

	for (int i = 0; codes[i].text != NULL; i++) {
		n = strlen(codes[i].text);
		if (strncmp(line, codes[i].text, n) != 0)
			continue;
		/* "CONNECT 9600" is CONNECT, "OKAY" is nothing */
		if (line[n] == '\0' || line[n] == ' ' ||
		    codes[i].reply == AT_CONNECT)
			return codes[i].reply;
	}
	return AT_NONE;
}

enum at_reply
at_wait(struct at *a, int ms, char *info, size_t infosz)
{
	char line[AT_LINEMAX];
	int64_t deadline = at_clock_ms() + ms;
	enum at_reply r;
	int left;

	if (info != NULL && infosz > 0)
		info[0] = '\0';
	for (;;) {
		while (at_getline(a, line, sizeof(line)) == 1) {
			if (a->trace)
				log_debug("modem -> %s", line);
			if ((r = at_classify(line)) != AT_NONE)
				return r;
			if (info != NULL && infosz > 0) {
				size_t used = strlen(info);
				(void)path_fmt(info + used, infosz - used,
				    "%s%s", used ? "\n" : "", line);
			}
		}
		left = (int)(deadline - at_clock_ms());
		if (left <= 0)
			return AT_TIMEOUT;
		if (at_fill(a, left > 100 ? 100 : left) == -1)
			return AT_EOF;
	}
}

enum at_reply
at_chat(struct at *a, const char *cmd, int ms)
{
	if (at_send(a, cmd) == -1)
		return AT_EOF;
	return at_wait(a, ms, NULL, 0);
}

const char *
at_reply_name(enum at_reply r)
{
	switch (r) {
	case AT_OK:		return "OK";
	case AT_CONNECT:	return "CONNECT";
	case AT_NOCARRIER:	return "NO CARRIER";
	case AT_ERROR:		return "ERROR";
	case AT_FCERROR:	return "+FCERROR";
	case AT_BUSY:		return "BUSY";
	case AT_NOANSWER:	return "NO ANSWER";
	case AT_NODIALTONE:	return "NO DIALTONE";
	case AT_RING:		return "RING";
	case AT_FRH3:		return "+FRH:3";
	case AT_TIMEOUT:	return "timeout";
	case AT_EOF:		return "device closed";
	default:		return "text";
	}
}
