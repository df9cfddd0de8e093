/*
 * class1_int: what class1.c (T.30's side: wants, modem commands, the
 * loop) and class1_io.c (the bytes: DLE stuffing, HDLC framing for ECM,
 * result codes) share about one call.  Not for use outside class1*.c.
 */
#ifndef FAXGETTY_CLASS1_INT_H
#define FAXGETTY_CLASS1_INT_H

#include <stddef.h>
#include <stdint.h>

#include <tiffio.h>
#include <spandsp.h>

#include "at.h"
#include "class1.h"

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
	int		 abort_gap;	/* M_ABORT cancels a gap, not a receive */
	volatile sig_atomic_t *stop;
	int64_t		 t_last;
	int64_t		 pause_end;
	void		(*tick)(void *);
	void		*tickarg;
	int64_t		 t_tick;
	struct class1_stats st;
};

/* class1.c */
void	class1_fail(struct class1 *, const char *);
void	class1_carrier_down(struct class1 *);
int	class1_is_fast(int);

/* class1_io.c */
size_t	class1_out_pending(const struct class1 *);
void	class1_out_flush(struct class1 *);
void	class1_feed_hdlc(struct class1 *);
void	class1_feed_image(struct class1 *);
void	class1_input(struct class1 *);

#endif
