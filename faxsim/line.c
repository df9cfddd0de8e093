/*
 * line: what happens on the wire once a call exists.  Rings, busy and
 * no-answer timers, the 20 ms audio exchange (with optional noise),
 * the end of a call and its record in the result file.  Ended calls are
 * only marked here and freed at the end of call_tick(), so that a call
 * ended from inside the loop is never used after free.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

#define RING_EVERY	SIM_SECS(6)
#define NOTFAX_FOR	SIM_SECS(20)
#define DRAIN		(SIM_RATE / 2)	/* last frame's audio before hang-up */

static void
record(struct sim *sim, const struct call *c, const char *why)
{
	char buf[2048], peer[32], num[128], t30[1024];
	const struct carriers *other;
	double secs;
	int n;

	if (c->b != NULL)
		(void)snprintf(peer, sizeof(peer), "modem%d", c->b->idx);
	else
		(void)snprintf(peer, sizeof(peer), "remote");
	log_escape(num, sizeof(num), c->number[0] ? c->number : "-");
	if (c->r == NULL || remote_format(c->r, t30, sizeof(t30)) == -1)
		(void)snprintf(t30, sizeof(t30), "t30=-");
	secs = (double)(sim->now - c->start) / SIM_RATE;
	other = c->b != NULL ? &c->b->fast : &c->rfast;
	n = snprintf(buf, sizeof(buf), "call=%u time=%lld modem=%d dir=%s "
	    "number=%s peer=%s result=%s end=%s %s duration=%.1f late=%u "
	    "fast=%u/%u untrained=%u/%u\n",
	    c->id, (long long)time(NULL), c->a->idx, c->incoming ? "in" : "out",
	    num, peer, c->result, why, t30, secs,
	    c->a->late + (c->b != NULL ? c->b->late : 0),
	    c->a->fast.sent, other->sent, c->a->fast.untrained,
	    other->untrained);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	log_info("%.*s", n - 1, buf);
	if (sim->resfd != -1 && write(sim->resfd, buf, (size_t)n) != n)
		log_warn("result file");
}

static int
fast_tx(const struct modem *m)
{
	int t = m->t31->modem;

	return t == FAX_MODEM_V17_TX || t == FAX_MODEM_V29_TX ||
	    t == FAX_MODEM_V27TER_TX;
}

/*
 * Follows the fast carriers one end sends: each one the far end's
 * receiver never trained on (it was not listening yet, or listening for
 * something else) is counted, so that a page lost that way shows in the
 * record even when T.30 at both ends calls the call good.
 */
static void
watch(const struct call *c, struct carriers *k, int on, int heard, int who)
{
	if (on && !k->on) {
		k->on = 1;
		k->heard = 0;
		k->sent++;
	}
	if (on && heard)
		k->heard = 1;
	if (!on && k->on) {
		k->on = 0;
		if (!k->heard) {
			k->untrained++;
			if (who < 0)
				log_info("call=%u fast carrier %u from the "
				    "remote: modem%d never trained on it",
				    c->id, k->sent, c->a->idx);
			else
				log_info("call=%u fast carrier %u from "
				    "modem%d: the far end never trained on it",
				    c->id, k->sent, who);
		}
	}
}

/* once a tick, and with end set when the call ends */
static void
carriers(struct call *c, int end)
{
	struct modem *a = c->a, *b = c->b;
	int a_in, b_in;

	a_in = a->call == c;
	if (c->r != NULL) {
		watch(c, &a->fast, !end && a_in && fast_tx(a),
		    remote_trained(c->r), a->idx);
		watch(c, &c->rfast, !end && remote_fast_tx(c->r),
		    a_in && a->t31->at_state.rx_trained, -1);
		return;
	}
	if (b == NULL)
		return;
	b_in = b->call == c;
	watch(c, &a->fast, !end && a_in && fast_tx(a),
	    b_in && b->t31->at_state.rx_trained, a->idx);
	watch(c, &b->fast, !end && b_in && fast_tx(b),
	    a_in && a->t31->at_state.rx_trained, b->idx);
}

static const char *
outcome(const struct call *c)
{
	int rd;

	if (c->state == CALL_ALERTING) {
		if (c->prof.action == PROF_BUSY)
			return "busy";
		return "no-answer";
	}
	if (c->b != NULL)
		return "connected";
	if (c->r == NULL)
		return c->prof.action == PROF_NOTFAX ? "notfax" : "failed";
	rd = remote_done(c->r);
	if (rd == 2)
		return "dropped";
	if (rd == 1)
		return remote_ok(c->r) ? "ok" : "failed";
	return "hangup";
}

/* ends a call; the modems still attached hear the line drop */
void
call_end(struct sim *sim, struct call *c, const char *why)
{
	struct modem *ends[2];
	int i;

	if (c->state == CALL_DONE)
		return;
	if (c->r != NULL)
		remote_stop(c->r);
	c->result = outcome(c);
	carriers(c, 1);
	record(sim, c, why);
	c->state = CALL_DONE;
	ends[0] = c->a;
	ends[1] = c->b;
	for (i = 0; i < 2; i++) {
		if (ends[i] == NULL || ends[i]->call != c)
			continue;
		ends[i]->call = NULL;
		ends[i]->voice_up = 0;
		call_info_clear(ends[i]);
		t31_call_event(ends[i]->t31, AT_CALL_EVENT_HANGUP);
		modem_flush(ends[i]);
	}
}

static void
ring(struct sim *sim, struct call *c)
{
	struct modem *m = c->incoming ? c->a : c->b;

	if (m == NULL || sim->now < c->next_ring)
		return;
	c->next_ring = sim->now + RING_EVERY;
	c->rings++;
	t31_call_event(m->t31, AT_CALL_EVENT_ALERTING);
	modem_events(m);	/* auto-answer (S0) answers from inside */
	modem_flush(m);
}

/* the far end picks up, is busy or never answers */
static void
alerting(struct sim *sim, struct call *c)
{
	ring(sim, c);
	if (c->state != CALL_ALERTING || sim->now < c->deadline)
		return;
	if (c->incoming || c->b != NULL || c->prof.action == PROF_BUSY ||
	    c->prof.action == PROF_NOANSWER) {
		if (!c->incoming)
			t31_call_event(c->a->t31, c->prof.action == PROF_BUSY ?
			    AT_CALL_EVENT_BUSY : AT_CALL_EVENT_NO_ANSWER);
		c->a->call = NULL;
		call_end(sim, c, c->prof.action == PROF_BUSY ? "busy" :
		    "no-answer");
		return;
	}
	c->state = CALL_UP;
	c->answered = sim->now;
	c->deadline = 0;
	if (c->prof.action == PROF_NOTFAX)
		c->deadline = sim->now + NOTFAX_FOR;
	else if ((c->r = remote_new(&c->prof, 0, c->id, sim->dir)) == NULL) {
		call_end(sim, c, "remote-failed");
		return;
	}
	t31_call_event(c->a->t31, AT_CALL_EVENT_CONNECTED);
	modem_flush(c->a);
}

static void
side_tx(struct modem *m, int16_t *amp)
{
	memset(amp, 0, SIM_TICK * sizeof(*amp));
	if (m != NULL)
		modem_tx(m, amp, SIM_TICK);
}

static void
side_rx(struct modem *m, int16_t *amp)
{
	if (m == NULL)
		return;
	if (m->voice_up)
		modem_voice_audio(m, amp, SIM_TICK);
	else
		t31_rx(m->t31, amp, SIM_TICK);
	modem_events(m);
	modem_flush(m);
}

static void
audio(struct sim *sim, struct call *c)
{
	int16_t a[SIM_TICK], b[SIM_TICK];
	int i;

	side_tx(c->a, a);
	if (c->r != NULL)
		remote_tx(c->r, b, SIM_TICK);
	else
		side_tx(c->b, b);
	if (c->noise != NULL)
		for (i = 0; i < SIM_TICK; i++) {
			a[i] = saturate(a[i] + awgn(c->noise));
			b[i] = saturate(b[i] + awgn(c->noise));
		}
	if (c->state != CALL_UP)
		return;
	if (c->a->call == c)
		side_rx(c->a, b);
	if (c->r != NULL)
		remote_rx(c->r, a, SIM_TICK);
	else if (c->b != NULL && c->b->call == c)
		side_rx(c->b, a);
	if (c->state != CALL_UP)
		return;
	carriers(c, 0);
	if (c->r != NULL && remote_done(c->r) && c->deadline == 0)
		c->deadline = sim->now + (remote_done(c->r) == 2 ? 1 : DRAIN);
	if (c->deadline != 0 && sim->now >= c->deadline)
		call_end(sim, c, c->r != NULL ? "remote-hangup" :
		    "notfax-timeout");
}

/*
 * A host's turn: its modem, in a call, waits in off-hook command mode
 * for the host's next command (after OK, NO CARRIER or +FCERROR), or
 * has just said CONNECT to a fast receive.  What a host takes to act
 * is real time whatever the line's speed, and T.30 counts it against
 * the line: a receiver must be listening (+FRM) within 75 +- 20 ms of
 * its MCF, when the next training starts.  Sped up, those 75 ms are
 * 75/S ms of the host's time, less than a busy host (HylaFAX) takes to
 * read an OK, and the page went by untrained.  Likewise HylaFAX
 * flushes its input after CONNECT: at real speed that drops the white
 * rows of the first 100 ms, sped up it dropped the top of the page.
 * So the line runs at real speed while a modem in a call has waited
 * for its host for less than SIM_HOLD of line time (T.30's T4, the
 * longest a station waits for an answer) and for the first SIM_HOLD_RX
 * of a fast reception; only the long stretches (page data, frames,
 * trainings) are sped up.  It is the host's turn only if the modem
 * spoke last: libspandsp's T.31 stays in command mode while the host
 * waits for it (an OK held until the far end's carrier drops, +FRH or
 * a command before its answer), and that is the line's time.
 */
static int
waiting(struct sim *sim, struct modem *m, const struct call *c)
{
	at_state_t *s;

	if (m == NULL)
		return 0;
	s = &m->t31->at_state;
	if (m->call != c || s->at_rx_mode != AT_MODE_OFFHOOK_COMMAND ||
	    s->ok_is_pending || s->dte_is_waiting || !m->spoke)
		m->incmd = 0;
	else if (!m->incmd) {
		m->incmd = 1;
		m->cmd_at = sim->now;
	}
	if (m->call != c || s->at_rx_mode != AT_MODE_DELIVERY ||
	    !s->rx_trained)
		m->inrx = 0;
	else if (!m->inrx) {
		m->inrx = 1;
		m->rx_at = sim->now;
	}
	return (m->incmd && sim->now - m->cmd_at < SIM_HOLD) ||
	    (m->inrx && sim->now - m->rx_at < SIM_HOLD_RX);
}

/* 1: the next tick runs at real speed */
int
call_held(struct sim *sim)
{
	struct call *c;
	int held = 0;

	for (c = sim->calls; c != NULL; c = c->next) {
		if (c->state != CALL_UP)
			continue;
		held |= waiting(sim, c->a, c);
		held |= waiting(sim, c->b, c);
	}
	return held;
}

/* one 20 ms step of every call, then free the ones that ended */
void
call_tick(struct sim *sim)
{
	struct call *c, **pp;

	for (c = sim->calls; c != NULL; c = c->next) {
		if (c->state == CALL_ALERTING)
			alerting(sim, c);
		if (c->state == CALL_UP)
			audio(sim, c);
	}
	pp = &sim->calls;
	while ((c = *pp) != NULL) {
		if (c->state != CALL_DONE) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		if (c->r != NULL)
			remote_free(c->r);
		if (c->noise != NULL)
			awgn_free(c->noise);
		free(c);
	}
}
