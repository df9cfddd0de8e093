/*
 * class1: drives libspandsp's T.30 engine over a Class 1 modem (T.31).
 * T.30 calls set_rx/set_tx/send_hdlc; those only record what it wants.
 * The loop in class1_run turns wants into AT+FTH/+FRH/+FTM/+FRM/+FRS,
 * lets class1_io.c move the bytes, and tells T.30 what happened: "send
 * step complete" when a transmission ended and the passage of time from
 * CLOCK_MONOTONIC.  No T.30 decisions are made here.
 */
#include <sys/types.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "class1_int.h"
#include "log.h"
#include "path.h"

static void	begin(struct class1 *);
/* ---- what T.30 asks for ---------------------------------------------- */

static void
want_set(struct class1 *c, struct want *w, int type, int rate, int shrt,
    int hdlc)
{
	w->type = type;
	w->rate = rate;
	w->shrt = shrt;
	w->hdlc = hdlc;
	w->gen++;
	if (type == T30_MODEM_DONE)
		c->done = 1;
}

static void
t30_set_rx(void *arg, int type, int rate, int shrt, int hdlc)
{
	struct class1 *c = arg;

	want_set(c, &c->rx, type, rate, shrt, hdlc);
}

static void
t30_set_tx(void *arg, int type, int rate, int shrt, int hdlc)
{
	struct class1 *c = arg;

	want_set(c, &c->tx, type, rate, shrt, hdlc);
}

static void
t30_send_hdlc(void *arg, const uint8_t *msg, int len)
{
	struct class1 *c = arg;
	int slot;

	if (msg == NULL || len <= 0) {
		c->fend = 1;
		return;
	}
	if (c->fqn == NFRAMES || len > FRAME_MAX) {
		class1_fail(c, "HDLC frame queue overflow");
		return;
	}
	slot = (c->fqhead + c->fqn) % NFRAMES;
	memcpy(c->fq[slot], msg, len);
	c->fqlen[slot] = len;
	c->fqn++;
}

/* ---- helpers ----------------------------------------------------------- */

void
class1_fail(struct class1 *c, const char *why)
{
	if (!c->failed)
		log_warnx("class1: %s (mode %d)", why, (int)c->mode);
	c->failed = 1;
}

/* T.31 modulation codes: 24 48 72 96 for V.27ter/V.29, V.17 long/short */
static int
mod_code(const struct want *w)
{
	switch (w->type) {
	case T30_MODEM_V27TER:
	case T30_MODEM_V29:
		return w->rate / 100;
	case T30_MODEM_V17:
		return w->rate / 100 + (w->shrt ? 2 : 1);
	default:
		return -1;
	}
}

int
class1_is_fast(int type)
{
	return type == T30_MODEM_V27TER || type == T30_MODEM_V29 ||
	    type == T30_MODEM_V17;
}

static void
command(struct class1 *c, const char *cmd, enum mode m, int64_t ms)
{
	if (at_send(c->at, cmd) == -1) {
		class1_fail(c, "cannot write command");
		return;
	}
	c->mode = m;
	c->deadline = ms ? at_clock_ms() + ms : 0;
}

void
class1_carrier_down(struct class1 *c)
{
	if (!c->carrier)
		return;
	c->carrier = 0;
	if (c->cur.type == T30_MODEM_V21 || c->fcerror)
		t30_hdlc_accept(c->t30, NULL, SIG_STATUS_CARRIER_DOWN, 1);
	else if (c->cur.hdlc)
		hdlc_rx_put_byte(c->hrx, SIG_STATUS_CARRIER_DOWN);
	else
		t30_non_ecm_put_bit(c->t30, SIG_STATUS_CARRIER_DOWN);
}

/* ---- starting transmissions and receptions ---------------------------- */

static int
tx_pending(const struct class1 *c)
{
	switch (c->tx.type) {
	case T30_MODEM_V21:
		return c->fqn > 0;
	case T30_MODEM_V27TER:
	case T30_MODEM_V29:
	case T30_MODEM_V17:
		return c->tx.hdlc ? c->fqn > 0 : c->tx.gen != c->tx_started;
	case T30_MODEM_PAUSE:
	case T30_MODEM_CED:
		return c->tx.gen != c->tx_started;
	default:
		return 0;
	}
}

static void
start_tx(struct class1 *c)
{
	char cmd[32];
	int code;

	if (c->gap) {
		/* T.30 5.3.2.2: 75 ms of silence between signals */
		command(c, c->gap == 2 ? "AT+FRS=7" : "AT+FTS=8", M_CMD, 1500);
		c->cmd = CMD_GAP;
		c->gap = 0;
		return;
	}
	c->tx_started = c->tx.gen;
	if (c->tx.type == T30_MODEM_V21) {
		c->tx_ecm = 0;
		command(c, "AT+FTH=3", M_TXWAIT, 5000);
		return;
	}
	code = mod_code(&c->tx);
	if (path_fmt(cmd, sizeof(cmd), "AT+FTM=%d", code) == -1 || code < 0) {
		class1_fail(c, "bad transmit modulation");
		return;
	}
	c->tx_ecm = c->tx.hdlc;
	command(c, cmd, M_TXWAIT, 5000);
}

static void
start_rx(struct class1 *c)
{
	char cmd[32];
	int code;

	c->cur = c->rx;
	if (c->rx.type == T30_MODEM_V21 || c->fcerror) {
		command(c, "AT+FRH=3", M_RXWAIT, 0);
		return;
	}
	code = mod_code(&c->rx);
	if (path_fmt(cmd, sizeof(cmd), "AT+FRM=%d", code) == -1 || code < 0) {
		class1_fail(c, "bad receive modulation");
		return;
	}
	command(c, cmd, M_RXWAIT, 0);
}

/*
 * A pause is kept here, not with AT+FTS: the modem is silent between
 * commands anyway, and after the last DCN the far end may hang up
 * before an FTS would have answered.
 */
static void
start_pause(struct class1 *c)
{
	c->tx_started = c->tx.gen;
	if (c->tx.shrt <= 0) {
		c->steps++;
		return;
	}
	c->mode = M_PAUSE;
	c->deadline = 0;
	c->pause_end = at_clock_ms() + c->tx.shrt;
}

static void
start_next(struct class1 *c)
{
	if (c->fend && c->fqn == 0) {
		/* the carrier is already off: that step is done */
		c->fend = 0;
		c->steps++;
		return;
	}
	if (tx_pending(c)) {
		if (c->tx.type == T30_MODEM_PAUSE)
			start_pause(c);
		else if (c->tx.type == T30_MODEM_CED) {
			/* ATA sent CED and left V.21 transmit on */
			c->tx_started = c->tx.gen;
			c->steps++;
		} else
			start_tx(c);
		return;
	}
	if (c->rx.type == T30_MODEM_V21 || class1_is_fast(c->rx.type))
		start_rx(c);
}

/* a receive in progress that T.30 no longer wants is cancelled */
static int
rx_unwanted(const struct class1 *c)
{
	if (tx_pending(c) || (c->fend && c->fqn == 0))
		return 1;
	if (c->rx.gen == c->cur.gen)
		return 0;
	return c->rx.type != c->cur.type || c->rx.rate != c->cur.rate ||
	    c->rx.hdlc != c->cur.hdlc;
}

static void
abort_rx(struct class1 *c)
{
	uint8_t can = CAN;

	/* T.31: any character from the DTE ends a receive; OK follows */
	if (at_write(c->at, &can, 1, 2000) == -1) {
		class1_fail(c, "cannot abort receive");
		return;
	}
	c->mode = M_ABORT;
	c->abort_gap = 0;
	c->deadline = at_clock_ms() + 5000;
}

/* ---- the loop ------------------------------------------------------------ */

static void
timers(struct class1 *c)
{
	int64_t now = at_clock_ms(), ms = now - c->t_last;

	if (ms > 0) {
		/* T.30 counts in 8 kHz samples */
		t30_timer_update(c->t30, (int)(ms > 10000 ? 80000 : ms * 8));
		c->t_last = now;
	}
	if (c->mode == M_PAUSE && now >= c->pause_end) {
		c->mode = M_IDLE;
		c->steps++;
	}
	if (c->mode == M_CMD && c->deadline != 0 && now > c->deadline) {
		/*
		 * AT+FRS never ends on a noisy line: stop waiting for
		 * silence (any character cancels it) and send anyway.
		 */
		abort_rx(c);
		c->abort_gap = 1;
		return;
	}
	if (c->deadline != 0 && now > c->deadline)
		class1_fail(c, "modem did not answer in time");
	if (c->tick != NULL && now - c->t_tick >= 100) {
		c->t_tick = now;
		c->tick(c->tickarg);
	}
}

static void
drive(struct class1 *c)
{
	if (c->tx.type == T30_MODEM_CED && c->tx.gen != c->tx_started) {
		/* ATA sent CED and left V.21 transmit on */
		c->tx_started = c->tx.gen;
		c->steps++;
		return;
	}
	switch (c->mode) {
	case M_IDLE:
		start_next(c);
		break;
	case M_RXWAIT:
	case M_RXIMG:
		if (rx_unwanted(c))
			abort_rx(c);
		break;
	case M_TXHDLC:
		class1_feed_hdlc(c);
		break;
	case M_TXIMG:
		class1_feed_image(c);
		break;
	default:
		break;
	}
	if (class1_out_pending(c) > 0)
		class1_out_flush(c);
}

static void
wait_io(struct class1 *c)
{
	struct pollfd pfd;
	int r;

	/* class1_input() consumed all it could: what is left is a partial line */
	pfd.fd = c->at->fd;
	pfd.events = POLLIN;
	if (class1_out_pending(c) > 0)
		pfd.events |= POLLOUT;
	r = poll(&pfd, 1, c->steps > 0 ? 0 : 20);
	if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)))
		if (at_fill(c->at, 0) == -1)
			class1_fail(c, "modem device closed");
}

int
class1_run(struct class1 *c, int64_t max_ms)
{
	int64_t end = at_clock_ms() + max_ms;

	c->t_last = c->t_tick = at_clock_ms();
	begin(c);
	while (!c->done && !c->failed) {
		while (c->steps > 0 && !c->done) {
			c->steps--;
			t30_front_end_status(c->t30,
			    T30_FRONT_END_SEND_STEP_COMPLETE);
		}
		if (c->done)
			break;
		drive(c);
		wait_io(c);
		class1_input(c);
		timers(c);
		if (at_clock_ms() > end)
			class1_fail(c, "call took too long");
		if (c->stop != NULL && *c->stop)
			class1_fail(c, "stopped by a signal");
	}
	if (c->failed) {
		t30_terminate(c->t30);
		return -1;
	}
	return 0;
}

/* ---- set-up ------------------------------------------------------------ */

static int
has_code(const char *list, int code)
{
	const char *p = list;
	char *end;
	long v;

	while (*p != '\0') {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		v = strtol(p, &end, 10);
		if (v == code)
			return 1;
		p = end;
	}
	return 0;
}

int
class1_modems(const char *ftm, const char *frm)
{
	int m = 0;

	if (has_code(ftm, 48) && has_code(frm, 48))
		m |= T30_SUPPORT_V27TER;
	if (has_code(ftm, 96) && has_code(frm, 96))
		m |= T30_SUPPORT_V29;
	if (has_code(ftm, 145) && has_code(frm, 145) &&
	    has_code(ftm, 146) && has_code(frm, 146))
		m |= T30_SUPPORT_V17;
	return m;
}

struct class1 *
class1_new(struct at *a, int calling, enum class1_start how)
{
	struct class1 *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->at = a;
	c->tx_started = 0;
	if (how == CLASS1_START_ANSWERED) {
		c->mode = M_TXHDLC;	/* ATA: CONNECT means V.21 is on */
		c->tx.type = T30_MODEM_V21;
	} else {
		/* ATD: CONNECT means V.21 flags were heard (T.31 8.3.1) */
		c->cur.type = T30_MODEM_V21;
		c->cur.rate = 300;
		c->cur.hdlc = 1;
		c->mode = M_RXHDLC;
	}
	c->htx = hdlc_tx_init(NULL, 0, 2, 0, NULL, NULL);
	c->hrx = hdlc_rx_init(NULL, 0, 1, 5, NULL, NULL);
	c->t30 = t30_init(NULL, calling, t30_set_rx, c, t30_set_tx, c,
	    t30_send_hdlc, c);
	if (c->t30 == NULL || c->htx == NULL || c->hrx == NULL) {
		class1_free(c);
		return NULL;
	}
	c->dialled = how == CLASS1_START_DIALLED;
	return c;
}

/* after the caller configured T.30: restart it so DIS/DCS see that */
static void
begin(struct class1 *c)
{
	c->fqn = c->fend = 0;
	t30_restart(c->t30);
	if (c->dialled) {
		c->cur.gen = c->rx.gen;
		c->carrier = 1;
		t30_hdlc_accept(c->t30, NULL, SIG_STATUS_CARRIER_UP, 1);
		t30_hdlc_accept(c->t30, NULL, SIG_STATUS_FRAMING_OK, 1);
	}
}

struct t30_state_s *
class1_t30(struct class1 *c)
{
	return c->t30;
}

void
class1_set_stop(struct class1 *c, volatile sig_atomic_t *stop)
{
	c->stop = stop;
}

void
class1_set_tick(struct class1 *c, void (*tick)(void *), void *arg)
{
	c->tick = tick;
	c->tickarg = arg;
}

void
class1_stats(const struct class1 *c, struct class1_stats *st)
{
	*st = c->st;
}

void
class1_free(struct class1 *c)
{
	if (c == NULL)
		return;
	if (c->t30 != NULL)
		t30_free(c->t30);
	if (c->htx != NULL)
		hdlc_tx_free(c->htx);
	if (c->hrx != NULL)
		hdlc_rx_free(c->hrx);
	free(c);
}
