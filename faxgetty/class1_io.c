/*
 * class1_io: the bytes of a Class 1 call.  Transmit: V.21 frames and
 * image data DLE-stuffed into an output buffer, ECM frames HDLC-framed
 * here (bit order reversed: T.31 sends the least significant bit first).
 * Receive: result codes mapped to mode changes, frames and image data
 * unstuffed and handed to T.30.  Every length from the modem is bounded.
 */
#include <sys/types.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "class1_int.h"
#include "log.h"
#include "path.h"

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

size_t
class1_out_pending(const struct class1 *c)
{
	return c->outlen - c->outoff;
}

void
class1_out_flush(struct class1 *c)
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
		class1_fail(c, "write to modem failed");
		return;
	}
}

static void
ecm_underflow(void *arg)
{
	struct class1 *c = arg;

	c->htx_under = 1;
}

/* ---- feeding transmit data --------------------------------------------- */

void
class1_feed_hdlc(struct class1 *c)
{
	const uint8_t *f;
	int len;

	if (c->inflight || class1_out_pending(c) > 0)
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

	while (!c->src_done && class1_out_pending(c) < 2048) {
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

	while (!c->src_done && class1_out_pending(c) < 2048) {
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
			} else if (class1_out_pending(c) < 64) {
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

void
class1_feed_image(struct class1 *c)
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
		class1_carrier_down(c);
		c->fcerror = 0;
	}
}

/* the receive carrier is down: T.30 hears of it, the adapter idles */
static void
carrier_gone(struct class1 *c)
{
	class1_carrier_down(c);
	c->mode = M_IDLE;
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
			carrier_gone(c);
		} else if (r == AT_ERROR)
			class1_fail(c, "modem refused to receive (line dropped?)");
		break;
	case M_RXHDLC:
		if (r == AT_NOCARRIER) {
			carrier_gone(c);
		} else if (r == AT_ERROR)
			class1_fail(c, "modem error while receiving");
		break;
	case M_RXHDLC_END:
		if (r == AT_OK || r == AT_ERROR)
			rx_frame_done(c, r == AT_OK);
		else if (r == AT_NOCARRIER) {
			carrier_gone(c);
		}
		break;
	case M_RXIMG_END:
		if (r == AT_NOCARRIER || r == AT_OK || r == AT_ERROR) {
			carrier_gone(c);
			c->gap = 2;
		}
		break;
	case M_ABORT:
		if (r == AT_OK || r == AT_NOCARRIER || r == AT_ERROR) {
			carrier_gone(c);
			c->fcerror = 0;
			c->gap = c->abort_gap ? 0 : 2;
		}
		break;
	default:
		break;
	}
}

/* the modem's OK after a transmission: the next step may start */
static void
tx_done(struct class1 *c)
{
	c->mode = M_IDLE;
	c->gap = 1;
	c->steps++;
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
			class1_fail(c, at_reply_name(r));
			return;
		}
		c->mode = M_IDLE;
		return;
	case M_TXWAIT:
		if (r == AT_CONNECT)
			tx_connected(c);
		else
			class1_fail(c, at_reply_name(r));
		return;
	case M_TXHDLC:
		if (!c->inflight)
			return;	/* CONNECT after the preamble: ignore */
		if (r == AT_CONNECT && !c->inflight_final) {
			c->inflight = 0;
			c->steps++;
		} else if (r == AT_OK) {
			c->inflight = 0;
			tx_done(c);
		} else if (r != AT_CONNECT)
			class1_fail(c, at_reply_name(r));
		return;
	case M_TXIMG:
	case M_TXEND:
		if (r == AT_OK && c->mode == M_TXEND)
			tx_done(c);
		else if (r != AT_CONNECT)
			class1_fail(c, at_reply_name(r));
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
 * CONNECT, NO CARRIER).  T.31 puts CR LF before each (V1), and frame
 * data follows the CR LF that ended CONNECT: a CR or LF where a frame
 * would start means text.
 */
static int
frame_start_text(struct class1 *c)
{
	struct at *a = c->at;
	int b;

	if (a->skip_lf && a->off < a->len) {
		/* the LF of the CR LF that ended CONNECT, read late */
		if (a->buf[a->off] == '\n')
			a->off++;
		a->skip_lf = 0;
	}
	if (c->rflen != 0 || c->dle || a->off == a->len)
		return 0;
	b = a->buf[a->off];
	return b == '\r' || b == '\n';
}

void
class1_input(struct class1 *c)
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
