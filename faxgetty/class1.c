/*
 * class1: drives libspandsp's T.30 engine over a Class 1 modem (T.31).
 * T.30 calls set_rx/set_tx/send_hdlc; those only record what it wants.
 * The loop in class1_run turns wants into AT+FTH/+FRH/+FTM/+FRM/+FTS/
 * +FRS, moves data with DLE stuffing, and reports back what the modem
 * did: frames to t30_hdlc_accept, image bytes to the non-ECM or ECM
 * receive path, "send step complete" when a transmission ended, and the
 * passage of time from CLOCK_MONOTONIC.  No T.30 decisions are made here.
 */
#include <sys/types.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>
#include <spandsp.h>

#include "class1.h"
#include "log.h"
#include "path.h"

#define DLE	0x10
#define ETX	0x03
#define SUB	0x1a
#define CAN	0x18

#define FRAME_MAX	300
#define NFRAMES		16
#define OUT_MAX		8192
#define IMG_CHUNK	256

enum mode {
	M_IDLE,		/* command mode, nothing outstanding */
	M_CMD,		/* +FTS/+FRS sent, OK awaited */
	M_TXWAIT,	/* +FTH/+FTM sent, CONNECT awaited */
	M_TXHDLC,	/* V.21 HDLC transmit */
	M_TXIMG,	/* image transmit (non-ECM bytes or ECM HDLC) */
	M_TXEND,	/* <DLE><ETX> sent, OK awaited */
	M_RXWAIT,	/* +FRH/+FRM sent, CONNECT awaited */
	M_RXHDLC,	/* V.21 frame bytes arriving */
	M_RXHDLC_END,	/* frame ended, OK or ERROR awaited */
	M_RXIMG,	/* image bytes arriving */
	M_RXIMG_END,	/* image ended, NO CARRIER awaited */
	M_ABORT,	/* receive cancelled, OK awaited */
	M_PAUSE		/* T.30 asked for silence: a local timer */
};

enum cmd { CMD_GAP };

struct want {
	int		type, rate, shrt, hdlc;
	unsigned	gen;
};

struct class1 {
	struct at	*at;
	t30_state_t	*t30;
	enum mode	 mode;
	int64_t		 deadline;	/* reply due by; 0: T.30 decides */
	struct want	 rx, tx, cur;	/* cur: what the modem receives */
	unsigned	 tx_started;	/* tx.gen already acted on */
	int		 tx_ecm;	/* M_TXIMG carries HDLC frames */
	enum cmd	 cmd;
	int		 gap;		/* silence needed before sending */
	int		 steps;		/* send-step-complete owed to T.30 */
	uint8_t		 fq[NFRAMES][FRAME_MAX];
	int		 fqlen[NFRAMES], fqhead, fqn;
	int		 fend;		/* T.30 asked to end HDLC transmit */
	int		 inflight, inflight_final;
	uint8_t		 out[OUT_MAX];
	size_t		 outoff, outlen;
	int		 src_done;
	hdlc_tx_state_t	*htx;
	int		 htx_busy, htx_under;
	hdlc_rx_state_t	*hrx;
	uint8_t		 rf[FRAME_MAX + 4];
	size_t		 rflen;
	int		 rf_over, dle;
	int		 carrier;	/* T.30 was told a carrier is up */
	int		 fcerror;	/* fast receive met V.21: take HDLC */
	int		 done, failed;
	int		 dialled;
	int64_t		 t_last;
	int64_t		 pause_end;
	void		(*tick)(void *);
	void		*tickarg;
	int64_t		 t_tick;
	struct class1_stats st;
};

static void	fail(struct class1 *, const char *);
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
		fail(c, "HDLC frame queue overflow");
		return;
	}
	slot = (c->fqhead + c->fqn) % NFRAMES;
	memcpy(c->fq[slot], msg, len);
	c->fqlen[slot] = len;
	c->fqn++;
}

static void
ecm_underflow(void *arg)
{
	struct class1 *c = arg;

	c->htx_under = 1;
}

/* ---- helpers ----------------------------------------------------------- */

static void
fail(struct class1 *c, const char *why)
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

static int
is_fast(int type)
{
	return type == T30_MODEM_V27TER || type == T30_MODEM_V29 ||
	    type == T30_MODEM_V17;
}

static void
out_room(struct class1 *c, size_t need)
{
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	if (OUT_MAX - c->outlen < need) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
}

/* caller made room for 2 bytes */
static void
out_byte(struct class1 *c, uint8_t b)
{
	if (b == DLE)
		c->out[c->outlen++] = DLE;
	c->out[c->outlen++] = b;
}

static void
out_end(struct class1 *c)
{
	out_room(c, 2);
	c->out[c->outlen++] = DLE;
	c->out[c->outlen++] = ETX;
}

static size_t
out_pending(const struct class1 *c)
{
	return c->outlen - c->outoff;
}

static void
out_flush(struct class1 *c)
{
	ssize_t n;

	while (c->outoff < c->outlen) {
		n = write(c->at->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n > 0) {
			c->outoff += n;
			c->st.bytes_tx += n;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		fail(c, "write to modem failed");
		return;
	}
}

static void
command(struct class1 *c, const char *cmd, enum mode m, int64_t ms)
{
	if (at_send(c->at, cmd) == -1) {
		fail(c, "cannot write command");
		return;
	}
	c->mode = m;
	c->deadline = ms ? at_clock_ms() + ms : 0;
}

static void
carrier_down(struct class1 *c)
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
		command(c, c->gap == 2 ? "AT+FRS=7" : "AT+FTS=8", M_CMD, 5000);
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
		fail(c, "bad transmit modulation");
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
		fail(c, "bad receive modulation");
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
	if (c->rx.type == T30_MODEM_V21 || is_fast(c->rx.type))
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
		fail(c, "cannot abort receive");
		return;
	}
	c->mode = M_ABORT;
	c->deadline = at_clock_ms() + 5000;
}

/* ---- feeding transmit data --------------------------------------------- */

static void
feed_hdlc(struct class1 *c)
{
	const uint8_t *f;
	int len;

	if (c->inflight || out_pending(c) > 0)
		return;
	if (c->fqn == 0) {
		if (!c->fend)
			return;
		/* end of HDLC transmit without a final frame */
		c->fend = 0;
		out_end(c);
		c->inflight = c->inflight_final = 1;
		c->deadline = at_clock_ms() + 10000;
		return;
	}
	f = c->fq[c->fqhead];
	len = c->fqlen[c->fqhead];
	out_room(c, 2 * len + 2);
	for (int i = 0; i < len; i++)
		out_byte(c, f[i]);
	out_end(c);
	c->inflight = 1;
	c->inflight_final = len >= 2 && (f[1] & 0x10);
	c->fqhead = (c->fqhead + 1) % NFRAMES;
	c->fqn--;
	c->st.frames_tx++;
	/* V.21 is 300 bit/s: allow the frame and a 1 s preamble, twice */
	c->deadline = at_clock_ms() + 3000 + (int64_t)len * 60;
}

static void
feed_nonecm(struct class1 *c)
{
	uint8_t buf[IMG_CHUNK];
	int n;

	while (!c->src_done && out_pending(c) < 2048) {
		n = t30_non_ecm_get_chunk(c->t30, buf, sizeof(buf));
		if (n < 0)
			n = 0;
		out_room(c, 2 * n + 2);
		for (int i = 0; i < n; i++)
			out_byte(c, buf[i]);
		if (n < (int)sizeof(buf)) {
			out_end(c);
			c->src_done = 1;
		}
	}
}

/* ECM: HDLC framing done here, bits sent LSB first as T.31 wants */
static void
feed_ecm(struct class1 *c)
{
	int b;

	while (!c->src_done && out_pending(c) < 2048) {
		if (!c->htx_busy) {
			if (c->fqn > 0) {
				hdlc_tx_frame(c->htx, c->fq[c->fqhead],
				    c->fqlen[c->fqhead]);
				c->fqhead = (c->fqhead + 1) % NFRAMES;
				c->fqn--;
				c->st.frames_tx++;
			} else if (c->fend) {
				c->fend = 0;
				hdlc_tx_frame(c->htx, NULL, 0);
			} else if (out_pending(c) < 64) {
				/* idle on flags while T.30 prepares a frame;
				 * the encoder's own idle octets keep the bit
				 * alignment of the flag it started */
				out_room(c, 16);
				for (int i = 0; i < 8; i++)
					out_byte(c, bit_reverse8((uint8_t)
					    hdlc_tx_get_byte(c->htx)));
				return;
			} else
				return;
			c->htx_busy = 1;
		}
		b = hdlc_tx_get_byte(c->htx);
		if (b < 0) {
			out_end(c);
			c->src_done = 1;
			c->htx_busy = 0;
			return;
		}
		out_room(c, 2);
		out_byte(c, bit_reverse8((uint8_t)b));
		if (c->htx_under) {
			c->htx_under = 0;
			c->htx_busy = 0;
			c->steps++;
			return;
		}
	}
}

static void
feed_image(struct class1 *c)
{
	if (c->tx_ecm)
		feed_ecm(c);
	else
		feed_nonecm(c);
	if (c->src_done) {
		c->mode = M_TXEND;
		/* a full T.31 buffer at 2400 bit/s takes 14 s to drain */
		c->deadline = at_clock_ms() + 60000;
	}
}

/* ---- what the modem says ----------------------------------------------- */

static void
rx_connected(struct class1 *c)
{
	c->dle = 0;
	c->rflen = 0;
	c->rf_over = 0;
	if (c->cur.type == T30_MODEM_V21 || c->fcerror) {
		if (!c->carrier) {
			c->carrier = 1;
			t30_hdlc_accept(c->t30, NULL, SIG_STATUS_CARRIER_UP, 1);
		}
		t30_hdlc_accept(c->t30, NULL, SIG_STATUS_FRAMING_OK, 1);
		c->mode = M_RXHDLC;
		return;
	}
	c->carrier = 1;
	if (c->cur.hdlc) {
		hdlc_rx_init(c->hrx, 0, 1, 5, t30_hdlc_accept, c->t30);
		hdlc_rx_put_byte(c->hrx, SIG_STATUS_TRAINING_SUCCEEDED);
	} else
		t30_non_ecm_put_bit(c->t30, SIG_STATUS_TRAINING_SUCCEEDED);
	c->mode = M_RXIMG;
}

static void
rx_frame_done(struct class1 *c, int ok)
{
	int final;

	final = c->rflen >= 2 && (c->rf[1] & 0x10);
	ok = ok && !c->rf_over && c->rflen >= 5;
	c->st.frames_rx++;
	if (!ok)
		c->st.frames_bad++;
	/* T.31 passes the two FCS octets on; T.30 does not want them */
	t30_hdlc_accept(c->t30, c->rf, c->rflen >= 2 ? (int)c->rflen - 2 : 0,
	    ok);
	c->gap = 2;
	c->mode = M_IDLE;
	if (final && ok) {
		carrier_down(c);
		c->fcerror = 0;
	}
}

static void
reply_rx(struct class1 *c, enum at_reply r)
{
	switch (c->mode) {
	case M_RXWAIT:
		if (r == AT_CONNECT)
			rx_connected(c);
		else if (r == AT_FCERROR) {
			/* V.21 where image data was expected (T.31 8.3.4) */
			c->st.fcerrors++;
			c->fcerror = 1;
			c->mode = M_IDLE;
		} else if (r == AT_NOCARRIER || r == AT_OK) {
			carrier_down(c);
			c->mode = M_IDLE;
		} else if (r == AT_ERROR)
			fail(c, "modem refused to receive (line dropped?)");
		break;
	case M_RXHDLC:
		if (r == AT_NOCARRIER) {
			carrier_down(c);
			c->mode = M_IDLE;
		} else if (r == AT_ERROR)
			fail(c, "modem error while receiving");
		break;
	case M_RXHDLC_END:
		if (r == AT_OK || r == AT_ERROR)
			rx_frame_done(c, r == AT_OK);
		else if (r == AT_NOCARRIER) {
			carrier_down(c);
			c->mode = M_IDLE;
		}
		break;
	case M_RXIMG_END:
		if (r == AT_NOCARRIER || r == AT_OK || r == AT_ERROR) {
			carrier_down(c);
			c->gap = 2;
			c->mode = M_IDLE;
		}
		break;
	case M_ABORT:
		if (r == AT_OK || r == AT_NOCARRIER || r == AT_ERROR) {
			carrier_down(c);
			c->fcerror = 0;
			c->gap = 2;
			c->mode = M_IDLE;
		}
		break;
	default:
		break;
	}
}

static void
tx_connected(struct class1 *c)
{
	if (c->mode != M_TXWAIT)
		return;
	c->deadline = 0;
	c->src_done = 0;
	c->inflight = 0;
	if (c->tx.type == T30_MODEM_V21) {
		c->mode = M_TXHDLC;
		return;
	}
	if (c->tx_ecm) {
		hdlc_tx_init(c->htx, 0, 2, 0, ecm_underflow, c);
		/* 200 ms of flags before the first frame, as fax.c does */
		hdlc_tx_flags(c->htx, c->tx.rate / (8 * 5));
		c->htx_busy = 0;
		c->htx_under = 0;
	}
	c->mode = M_TXIMG;
}

static void
reply(struct class1 *c, enum at_reply r)
{
	if (r == AT_NONE || r == AT_RING || r == AT_FRH3)
		return;
	switch (c->mode) {
	case M_CMD:
		if (r != AT_OK) {
			fail(c, at_reply_name(r));
			return;
		}
		c->mode = M_IDLE;
		return;
	case M_TXWAIT:
		if (r == AT_CONNECT)
			tx_connected(c);
		else
			fail(c, at_reply_name(r));
		return;
	case M_TXHDLC:
		if (!c->inflight)
			return;	/* CONNECT after the preamble: ignore */
		if (r == AT_CONNECT && !c->inflight_final) {
			c->inflight = 0;
			c->steps++;
		} else if (r == AT_OK) {
			c->inflight = 0;
			c->mode = M_IDLE;
			c->gap = 1;
			c->steps++;
		} else if (r != AT_CONNECT)
			fail(c, at_reply_name(r));
		return;
	case M_TXIMG:
	case M_TXEND:
		if (r == AT_OK && c->mode == M_TXEND) {
			c->mode = M_IDLE;
			c->gap = 1;
			c->steps++;
		} else if (r != AT_CONNECT)
			fail(c, at_reply_name(r));
		return;
	default:
		reply_rx(c, r);
	}
}

/* V.21 frame bytes: <DLE><ETX> ends the frame */
static void
data_hdlc(struct class1 *c, uint8_t b)
{
	if (c->dle) {
		c->dle = 0;
		if (b == ETX) {
			c->mode = M_RXHDLC_END;
			return;
		}
		if (b == SUB) {		/* T.31: <DLE><SUB> is two DLEs */
			if (c->rflen + 2 > sizeof(c->rf))
				c->rf_over = 1;
			else {
				c->rf[c->rflen++] = DLE;
				c->rf[c->rflen++] = DLE;
			}
			return;
		}
		if (b != DLE)
			return;		/* other shielded codes: ignore */
	} else if (b == DLE) {
		c->dle = 1;
		return;
	}
	if (c->rflen >= sizeof(c->rf))
		c->rf_over = 1;
	else
		c->rf[c->rflen++] = b;
}

static void
img_flush(struct class1 *c, uint8_t *buf, int *n)
{
	if (*n == 0)
		return;
	c->st.bytes_rx += *n;
	if (c->cur.hdlc) {
		for (int i = 0; i < *n; i++)
			hdlc_rx_put_byte(c->hrx, bit_reverse8(buf[i]));
	} else
		t30_non_ecm_put_chunk(c->t30, buf, *n);
	*n = 0;
}

/* image bytes: undo DLE stuffing, hand over in chunks */
static void
data_img(struct class1 *c)
{
	uint8_t buf[IMG_CHUNK];
	int b, n = 0;

	while (c->mode == M_RXIMG && (b = at_getbyte(c->at)) != -1) {
		if (c->dle) {
			c->dle = 0;
			if (b == ETX) {
				c->mode = M_RXIMG_END;
				break;
			}
			if (b == SUB) {
				buf[n++] = DLE;
				b = DLE;
			} else if (b != DLE)
				continue;
		} else if (b == DLE) {
			c->dle = 1;
			continue;
		}
		buf[n++] = (uint8_t)b;
		if (n >= IMG_CHUNK - 1)
			img_flush(c, buf, &n);
	}
	img_flush(c, buf, &n);
}

/*
 * Between frames the modem may still print result codes (a queued
 * CONNECT, NO CARRIER): a V.21 frame starts with the address 0xff, so
 * anything else there is a text line.
 */
static int
frame_start_text(struct class1 *c)
{
	const struct at *a = c->at;
	int b;

	if (c->rflen != 0 || c->dle || a->off == a->len)
		return 0;
	b = a->buf[a->off];
	if (a->skip_lf && b == '\n')
		return 1;
	return b != 0xff && b != DLE;
}

static void
input(struct class1 *c)
{
	char line[AT_LINEMAX];
	int b;

	while (!c->failed && !c->done) {
		if (c->mode == M_RXHDLC && !frame_start_text(c)) {
			if ((b = at_getbyte(c->at)) == -1)
				return;
			data_hdlc(c, (uint8_t)b);
		} else if (c->mode == M_RXIMG) {
			data_img(c);
			if (c->mode == M_RXIMG)
				return;
		} else {
			if (at_getline(c->at, line, sizeof(line)) != 1)
				return;
			if (c->at->trace)
				log_debug("modem -> %s", line);
			reply(c, at_classify(line));
		}
	}
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
	if (c->deadline != 0 && now > c->deadline)
		fail(c, "modem did not answer in time");
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
		feed_hdlc(c);
		break;
	case M_TXIMG:
		feed_image(c);
		break;
	default:
		break;
	}
	if (out_pending(c) > 0)
		out_flush(c);
}

static void
wait_io(struct class1 *c)
{
	struct pollfd pfd;
	int r;

	/* input() consumed all it could: what is left is a partial line */
	pfd.fd = c->at->fd;
	pfd.events = POLLIN;
	if (out_pending(c) > 0)
		pfd.events |= POLLOUT;
	r = poll(&pfd, 1, c->steps > 0 ? 0 : 20);
	if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)))
		if (at_fill(c->at, 0) == -1)
			fail(c, "modem device closed");
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
		input(c);
		timers(c);
		if (at_clock_ms() > end)
			fail(c, "call took too long");
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
	c->htx = hdlc_tx_init(NULL, 0, 2, 0, ecm_underflow, c);
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
