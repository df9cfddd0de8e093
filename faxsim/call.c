/*
 * call: calls on the simulated line.  Owns call set-up (routes, rings,
 * busy, no answer), the 20 ms audio exchange between the two ends of
 * each call (a modem and the remote machine, or two modems), added
 * line noise, and the end of a call: hang-up signalled to the other
 * side and one record appended to the result file.  Called from the
 * poll loop and from modem_events(), never from inside libspandsp.
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

#define ANSWER_AFTER	SIM_SECS(2)	/* the remote picks up */
#define BUSY_AFTER	SIM_SECS(1)
#define NOANSWER_AFTER	SIM_SECS(30)

const struct route *
call_route(const struct sim *sim, const char *number)
{
	const struct route *r;

	for (r = sim->routes; r != NULL; r = r->next)
		if (strcmp(r->number, number) == 0 ||
		    strcmp(r->number, "*") == 0)
			return r;
	return NULL;
}

/*
 * libspandsp 0.0.6's at_reset_call_info() frees the list but not the
 * strings in it: free them here first, and clear the list as soon as a
 * call is answered or ends, so libspandsp's own resets find it empty.
 */
void
call_info_clear(struct modem *m)
{
	at_state_t *s = &m->t31->at_state;
	at_call_id_t *c;

	for (c = s->call_id; c != NULL; c = c->next) {
		free(c->id);
		free(c->value);
		c->id = c->value = NULL;
	}
	at_reset_call_info(s);
}

static struct call *
call_new(struct sim *sim, struct modem *a, const struct profile *p)
{
	struct call *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->id = ++sim->lastcall;
	c->a = a;
	c->prof = *p;
	c->start = c->next_ring = sim->now;
	c->state = CALL_ALERTING;
	if (p->noise != 0)
		c->noise = awgn_init_dbm0(NULL, (int)c->id * 7919,
		    (float)p->noise);
	c->next = sim->calls;
	sim->calls = c;
	a->call = c;
	a->late = 0;
	return c;
}

void
call_dial(struct sim *sim, struct modem *m, const char *number)
{
	const struct route *rt;
	struct modem *t = NULL;
	struct call *c;

	rt = call_route(sim, number);
	if ((c = call_new(sim, m, rt ? &rt->prof : &sim->deflt)) == NULL) {
		t31_call_event(m->t31, AT_CALL_EVENT_NO_DIALTONE);
		return;
	}
	(void)str_copy(c->number, number, sizeof(c->number));
	log_info("call=%u modem=%d dials number=%s", c->id, m->idx, number);
	if (rt != NULL && rt->modem >= 0) {
		if (rt->modem < sim->nmodems)
			t = &sim->modems[rt->modem];
		if (t == NULL || t == m || t->call != NULL || t->hup) {
			c->prof.action = PROF_BUSY;
			c->deadline = sim->now + BUSY_AFTER;
			return;
		}
		c->b = t;
		t->call = c;
		t->late = 0;
		call_info_clear(t);
		if (m->t31->at_state.local_id != NULL)
			at_set_call_info(&t->t31->at_state, "NMBR",
			    m->t31->at_state.local_id);
		at_set_call_info(&t->t31->at_state, "NDID", number);
		c->deadline = sim->now + NOANSWER_AFTER;
		return;
	}
	if (c->prof.action == PROF_BUSY)
		c->deadline = sim->now + BUSY_AFTER;
	else if (c->prof.action == PROF_NOANSWER)
		c->deadline = sim->now + NOANSWER_AFTER;
	else
		c->deadline = sim->now + ANSWER_AFTER;
}

int
call_in(struct sim *sim, int idx, const struct profile *p)
{
	struct modem *m;
	struct call *c;
	at_state_t *s;

	if (idx < 0 || idx >= sim->nmodems)
		return -1;
	m = &sim->modems[idx];
	if (m->call != NULL || m->hup)
		return -1;
	if ((c = call_new(sim, m, p)) == NULL)
		return -1;
	c->incoming = 1;
	(void)str_copy(c->number, p->did, sizeof(c->number));
	c->deadline = sim->now + NOANSWER_AFTER;
	s = &m->t31->at_state;
	call_info_clear(m);
	if (p->cid[0] != '\0')
		at_set_call_info(s, "NMBR", p->cid);
	if (p->name[0] != '\0')
		at_set_call_info(s, "NAME", p->name);
	if (p->did[0] != '\0')
		at_set_call_info(s, "NDID", p->did);
	log_info("call=%u remote calls modem=%d", c->id, idx);
	return (int)c->id;
}

/* the called modem's host answered (ATA, or auto-answer after S0 rings) */
void
call_answer(struct modem *m)
{
	struct call *c = m->call;
	struct sim *sim = m->sim;

	if (c == NULL || (c->b != m && !c->incoming)) {
		at_put_response_code(&m->t31->at_state,
		    AT_RESPONSE_CODE_NO_CARRIER);
		at_set_at_rx_mode(&m->t31->at_state, AT_MODE_ONHOOK_COMMAND);
		return;
	}
	call_info_clear(m);
	if (c->state == CALL_ALERTING) {
		c->state = CALL_UP;
		c->answered = sim->now;
		c->deadline = 0;
		if (c->b == m)
			t31_call_event(c->a->t31, AT_CALL_EVENT_CONNECTED);
		else if ((c->r = remote_new(&c->prof, 1, c->id,
		    sim->dir)) == NULL) {
			call_end(sim, c, "remote-failed");
			return;
		}
	}
	if (!m->voice_up)
		t31_call_event(m->t31, AT_CALL_EVENT_ANSWERED);
}

void
call_hangup(struct modem *m, const char *why)
{
	struct call *c = m->call;

	if (c == NULL)
		return;
	m->call = NULL;		/* no NO CARRIER to the side that hung up */
	call_end(m->sim, c, why);
}
