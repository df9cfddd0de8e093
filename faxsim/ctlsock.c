/*
 * ctlsock: the control socket.  A UNIX stream socket in faxsim's
 * directory (mode 0600: only the user running faxsim may steer the
 * line), a few clients at a time, line at a time, and the client side
 * used by `faxsim -x` so that tests need no other tool.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

static int
sockaddr_set(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	return str_copy(sun->sun_path, path, sizeof(sun->sun_path));
}

int
ctl_listen(const char *path)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	if (sockaddr_set(&sun, path) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	(void)unlink(path);
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1) {
		(void)umask(old);
		(void)close(fd);
		return -1;
	}
	(void)umask(old);
	return fd;
}

void
ctl_accept(struct sim *sim)
{
	int fd, i;

	if ((fd = accept4(sim->ctlfd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		return;
	for (i = 0; i < SIM_MAXCONNS; i++)
		if (sim->conns[i].fd == -1) {
			sim->conns[i].fd = fd;
			sim->conns[i].len = 0;
			return;
		}
	log_warnx("control: too many clients");
	(void)close(fd);
}

static void
conn_close(struct ctlconn *c)
{
	(void)close(c->fd);
	c->fd = -1;
	c->len = 0;
}

static void
conn_reply(struct ctlconn *c, const char *rep)
{
	size_t len = strlen(rep);

	/* replies are short; a client that does not read is dropped */
	if (write(c->fd, rep, len) != (ssize_t)len ||
	    write(c->fd, "\n", 1) != 1)
		conn_close(c);
}

void
ctl_read(struct sim *sim, struct ctlconn *c)
{
	char rep[1024], *nl;
	ssize_t n;
	size_t used;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	while (c->fd != -1 && (nl = strchr(c->buf, '\n')) != NULL) {
		*nl = '\0';
		if (nl > c->buf && nl[-1] == '\r')
			nl[-1] = '\0';
		ctl_command(sim, c->buf, rep, sizeof(rep));
		conn_reply(c, rep);
		used = (size_t)(nl + 1 - c->buf);
		memmove(c->buf, nl + 1, c->len - used + 1);
		c->len -= used;
	}
	if (c->fd != -1 && c->len == sizeof(c->buf) - 1) {
		conn_reply(c, "ERR line too long");
		conn_close(c);
	}
}

/* faxsim -x: send one command, print the reply; 0 if it was OK */
int
ctl_client(const char *path, const char *cmd)
{
	struct sockaddr_un sun;
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (sockaddr_set(&sun, path) == -1 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return 2;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    write(fd, cmd, strlen(cmd)) == -1 || write(fd, "\n", 1) == -1) {
		(void)close(fd);
		return 2;
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(buf, '\n', len) != NULL)
			break;
	}
	(void)close(fd);
	buf[len] = '\0';
	(void)fputs(buf, stdout);
	return strncmp(buf, "OK", 2) == 0 ? 0 : 1;
}
