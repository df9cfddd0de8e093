/*
 * modem: one simulated Class 1 fax modem on a pty.  Owns the pty master,
 * libspandsp's T.31 modem behind it, the bytes in flight both ways, the
 * flow control towards the host and the small voice layer (+FCLASS=8,
 * +VLS, DTMF as <DLE>digit) that T.31 lacks.  It never touches another
 * modem or the remote machine directly: calls go through call.c, and
 * what libspandsp reports from inside its callbacks is only noted in
 * m->ev and acted on by modem_events() once libspandsp has returned.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

#define OUTMAX	65536
#define XOFF_AT	24576	/* queued host bytes that stop an XON/XOFF host */
#define XON_AT	12288	/* and that restart it: ~7 s at 14400 bit/s */
#define DLE	0x10
#define XON	0x11
#define XOFF	0x13
#define FEED	256	/* bytes per t31_at_rx() call: below T.31's tide gap */

static int
at_tx(at_state_t *s, void *arg, const uint8_t *buf, size_t len)
{
	(void)s;
	modem_put(arg, buf, len);
	return (int)len;
}

/*
 * A pty has no RTS/CTS.  faxsim queues up to SIM_INMAX bytes of the
 * host's data ahead of T.31 (whose own buffer holds only 1 to 2 s of
 * page data), and the pty gives back-pressure beyond that.  A host that
 * asked for XON/XOFF (+IFC=x,1, &K4, or IXON on its tty, which the
 * master sees) also gets XOFF above XOFF_AT queued bytes and XON below
 * XON_AT.  The marks are not T.31's: XOFF at T.31's high tide could
 * hold such a host (efax) to 1 or 2 s of line time ahead, whenever the
 * pty happened to be drained, so a host not scheduled for that long made
 * T.31 send fill in the middle of a row and the far end could get a
 * damaged page that non-ECM T.30 called good.
 */
static int
host_ixon(const struct modem *m)
{
	struct termios t;

	return tcgetattr(m->fd, &t) == 0 && (t.c_iflag & IXON);
}

/* called from inside libspandsp: note what happened, act later */
static int
modem_control(t31_state_t *s, void *arg, int op, const char *num)
{
	struct modem *m = arg;

	(void)s;
	log_debug("modem=%d control op=%d", m->idx, op);
	switch (op) {
	case AT_MODEM_CONTROL_CALL:
		if (str_copy(m->dialnum, num ? num : "", sizeof(m->dialnum)))
			m->dialnum[0] = '\0';
		m->ev |= MEV_DIAL;
		break;
	case AT_MODEM_CONTROL_ANSWER:
		m->ev |= MEV_ANSWER;
		break;
	case AT_MODEM_CONTROL_HANGUP:
		m->ev |= MEV_HANGUP;
		break;
	case AT_MODEM_CONTROL_CTS:
		/* T.31's transmit buffer passed a tide mark */
		m->cts = num != NULL;
		break;
	default:
		break;
	}
	return 0;
}

static void
dtmf_digits(void *arg, const char *digits, int len)
{
	struct modem *m = arg;
	uint8_t b[2];
	int i;

	for (i = 0; i < len; i++) {
		if (!m->voice_up)
			continue;
		b[0] = DLE;
		b[1] = (uint8_t)digits[i];
		modem_put(m, b, 2);
	}
}

static int
t31_start(struct modem *m)
{
	m->t31 = t31_init(NULL, at_tx, m, modem_control, m, NULL, NULL);
	if (m->t31 == NULL)
		return -1;
	t31_set_transmit_on_idle(m->t31, 1);
	m->dtmf = dtmf_rx_init(NULL, dtmf_digits, m);
	if (m->dtmf == NULL)
		return -1;
	m->cts = 1;
	m->swflow = 0;
	m->xoff = 0;
	m->voice = m->voice_up = 0;
	m->linelen = m->inlen = m->inoff = 0;
	m->ev = 0;
	return 0;
}

int
modem_open(struct sim *sim, struct modem *m, int idx)
{
	struct termios t;
	int sfd;

	memset(m, 0, sizeof(*m));
	m->sim = sim;
	m->idx = idx;
	m->hup = 1;
	if ((m->fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK)) == -1)
		return -1;
	if (grantpt(m->fd) == -1 || unlockpt(m->fd) == -1 ||
	    ptsname_r(m->fd, m->slave, sizeof(m->slave)) != 0)
		return -1;
	/*
	 * Raw 8-bit line until a host sets its own modes.  Opening and
	 * closing the slave once makes the master report POLLHUP until
	 * a host opens it: before that first close Linux says nothing.
	 */
	if ((sfd = open(m->slave, O_RDWR | O_NOCTTY)) == -1)
		return -1;
	if (tcgetattr(sfd, &t) == 0) {
		cfmakeraw(&t);
		(void)tcsetattr(sfd, TCSANOW, &t);
	}
	(void)close(sfd);
	if (path_fmt(m->link, sizeof(m->link), "%s/ttySIM%d", sim->dir,
	    idx) == -1)
		return -1;
	(void)unlink(m->link);
	if (symlink(m->slave, m->link) == -1)
		return -1;
	if ((m->out = malloc(OUTMAX)) == NULL ||
	    (m->in = malloc(SIM_INMAX)) == NULL)
		return -1;
	return t31_start(m);
}

/* libspandsp 0.0.6's t31_free() leaves its receive queue behind */
static void
t31_stop(struct modem *m)
{
	if (m->t31 == NULL)
		return;
	call_info_clear(m);
	if (m->t31->rx_queue != NULL)
		queue_free(m->t31->rx_queue);
	m->t31->rx_queue = NULL;
	t31_free(m->t31);
	m->t31 = NULL;
}

void
modem_close(struct modem *m)
{
	if (m->link[0] != '\0')
		(void)unlink(m->link);
	t31_stop(m);
	if (m->dtmf != NULL)
		dtmf_rx_free(m->dtmf);
	if (m->fd != -1)
		(void)close(m->fd);
	free(m->out);
	free(m->in);
}

/* a fresh modem for the next host: as if power-cycled */
void
modem_reset(struct modem *m)
{
	t31_stop(m);
	dtmf_rx_free(m->dtmf);
	m->dtmf = NULL;
	m->outlen = 0;
	if (t31_start(m) == -1)
		fatalx("modem %d: cannot restart T.31", m->idx);
}

void
modem_gone(struct modem *m)
{
	if (m->hup)
		return;
	log_debug("modem=%d host closed the line", m->idx);
	m->hup = 1;
	if (m->call != NULL)
		call_hangup(m, "host-closed");
	modem_reset(m);
}

void
modem_put(struct modem *m, const void *buf, size_t len)
{
	if (m->hup)
		return;
	if (len > OUTMAX - m->outlen) {
		log_warnx("modem=%d host not reading, %zu bytes dropped",
		    m->idx, len);
		return;
	}
	memcpy(m->out + m->outlen, buf, len);
	m->outlen += len;
	m->spoke = 1;
}

void
modem_flush(struct modem *m)
{
	ssize_t n;

	while (m->outlen > 0 && !m->hup) {
		n = write(m->fd, m->out, m->outlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			modem_gone(m);
			return;
		}
		memmove(m->out, m->out + n, m->outlen - (size_t)n);
		m->outlen -= (size_t)n;
	}
}

/* a host reopened the pty after it was closed (poll says no POLLHUP) */
void
modem_check_hup(struct modem *m)
{
	struct pollfd p;

	p.fd = m->fd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) == -1 || (p.revents & POLLHUP))
		return;
	log_debug("modem=%d host opened the line", m->idx);
	m->hup = 0;
}

/* queues what the host wrote, as much as there is room for */
void
modem_read(struct modem *m)
{
	ssize_t n;

	if (m->hup)
		return;
	if (m->inoff == m->inlen)
		m->inoff = m->inlen = 0;
	else if (SIM_INMAX - m->inlen < SIM_INMAX / 8) {
		memmove(m->in, m->in + m->inoff, m->inlen - m->inoff);
		m->inlen -= m->inoff;
		m->inoff = 0;
	}
	if (m->inlen == SIM_INMAX)
		return;
	n = read(m->fd, m->in + m->inlen, SIM_INMAX - m->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		modem_gone(m);
		return;
	}
	m->spoke = 0;
	m->inlen += (size_t)n;
	modem_feed(m);
}

/* XOFF/XON for a host that uses them, on faxsim's queue */
static void
host_flow(struct modem *m)
{
	size_t queued = m->inlen - m->inoff;

	if (m->hup)
		return;
	if (!m->xoff && queued > XOFF_AT && (m->swflow || host_ixon(m))) {
		m->xoff = 1;
		modem_put(m, "\023", 1);
	} else if (m->xoff && queued < XON_AT) {
		m->xoff = 0;
		modem_put(m, "\021", 1);
	}
}

static int
command_mode(const struct modem *m)
{
	int mode = m->t31->at_state.at_rx_mode;

	return mode == AT_MODE_ONHOOK_COMMAND ||
	    mode == AT_MODE_OFFHOOK_COMMAND;
}

/* a whole command line typed by the host: ours, or T.31's */
static void
line_done(struct modem *m)
{
	m->line[m->linelen] = '\0';
	if (!modem_voice_cmd(m, m->line)) {
		m->line[m->linelen++] = '\r';
		t31_at_rx(m->t31, m->line, (int)m->linelen);
	}
	m->linelen = 0;
}

/*
 * Hands the host's bytes to T.31 while it has room (CTS).  Command
 * lines are collected first so that the voice commands can be taken
 * out; data goes through in slices small enough for T.31's buffer.
 */
void
modem_feed(struct modem *m)
{
	size_t n;
	uint8_t c;

	while (m->inoff < m->inlen && m->cts && !m->hup) {
		if (!command_mode(m)) {
			n = m->inlen - m->inoff;
			if (n > FEED)
				n = FEED;
			t31_at_rx(m->t31, (char *)m->in + m->inoff, (int)n);
			m->inoff += n;
			modem_events(m);
			continue;
		}
		c = m->in[m->inoff++];
		if (c == '\r') {
			line_done(m);
			modem_events(m);
		} else if (m->linelen < sizeof(m->line) - 2) {
			m->line[m->linelen++] = (char)c;
		} else {
			m->linelen = 0;
			at_put_response_code(&m->t31->at_state,
			    AT_RESPONSE_CODE_ERROR);
		}
	}
	host_flow(m);
	modem_flush(m);
}

/*
 * One tick of the modem's audio.  In the middle of non-ECM page data,
 * a T.31 buffer holding less than this tick's bits means the host's
 * data is late: T.31 sends zero fill instead, inside a coded row, and
 * the far end decodes a corrupt page that non-ECM T.30 cannot detect.
 * Counted (late= in the call record) so that a test can tell.
 */
void
modem_tx(struct modem *m, int16_t *amp, int len)
{
	t31_state_t *t = m->t31;

	if (t->at_state.at_rx_mode == AT_MODE_STUFFED &&
	    t->tx.data_started && !t->tx.final && t->bit_rate > 0 &&
	    (int64_t)(t->tx.in_bytes - t->tx.out_bytes) * 8 * SIM_RATE <
	    (int64_t)t->bit_rate * len) {
		if (m->late++ == 0)
			log_debug("modem=%d host data late: T.31 holds %d "
			    "bytes", m->idx, t->tx.in_bytes - t->tx.out_bytes);
	}
	(void)t31_tx(t, amp, len);
	modem_feed(m);		/* T.31 may have made room (CTS) */
}

void
modem_events(struct modem *m)
{
	int ev;

	while ((ev = m->ev) != 0) {
		m->ev = 0;
		if (ev & MEV_HANGUP) {
			m->voice_up = 0;
			if (m->call != NULL)
				call_hangup(m, "local-hangup");
		}
		if (ev & MEV_DIAL)
			call_dial(m->sim, m, m->dialnum);
		if (ev & MEV_ANSWER)
			call_answer(m);
	}
}

void
modem_voice_audio(struct modem *m, const int16_t *amp, int len)
{
	dtmf_rx(m->dtmf, amp, len);
}
