/*
 * class1: the adapter between libspandsp's T.30 engine and a Class 1
 * modem (ITU-T T.31).  T.30 says which modulation it wants to send or
 * receive and hands over HDLC frames; this module turns that into
 * AT+FTH/+FRH (V.21 HDLC), AT+FTM/+FRM (image data), AT+FTS/+FRS
 * (silence), DLE stuffing, and feeds what the modem reports back into
 * the engine.  It holds no T.30 state of its own.
 */
#ifndef FAXGETTY_CLASS1_H
#define FAXGETTY_CLASS1_H

#include <signal.h>
#include <stdint.h>

#include "at.h"

struct class1;
struct t30_state_s;

enum class1_start {
	CLASS1_START_ANSWERED,	/* ATA gave CONNECT: V.21 transmit is on */
	CLASS1_START_DIALLED	/* ATD gave CONNECT: V.21 receive is on */
};

/* what the modem said it can do (AT+FTM=? / AT+FRM=?), as T30_SUPPORT_* */
int	class1_modems(const char *ftm, const char *frm);

/*
 * Creates the adapter and its T.30 engine for one call on modem a.
 * The caller configures the engine (class1_t30) before class1_run.
 */
struct class1 *class1_new(struct at *a, int calling, enum class1_start how);
struct t30_state_s *class1_t30(struct class1 *c);
void	class1_free(struct class1 *c);

/* *stop set (by a signal handler) ends the call at once, as a failure */
void	class1_set_stop(struct class1 *c, volatile sig_atomic_t *stop);

/* called from the loop about ten times a second (status, page counts) */
void	class1_set_tick(struct class1 *c, void (*tick)(void *), void *arg);

/*
 * Runs the call until T.30 is done, the modem fails or max_ms passes.
 * Returns 0 when T.30 finished by itself, -1 when the line or the modem
 * failed (T.30 was then terminated and its phase E handler has run).
 */
int	class1_run(struct class1 *c, int64_t max_ms);

/* counters for the log */
struct class1_stats {
	uint64_t	bytes_tx, bytes_rx;
	int		frames_tx, frames_rx, frames_bad;
	int		fcerrors;
};
void	class1_stats(const struct class1 *c, struct class1_stats *st);

#endif
