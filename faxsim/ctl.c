/*
 * ctl: faxsim's command language (faxsim(8), CONTROL COMMANDS), read
 * from the UNIX control socket, from a scenario file and from -x.  One
 * command per line, one reply line per command: "OK ..." or "ERR ...".
 * Lines are bounded; a longer line is refused, never truncated.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

#define MAXWORDS	24

void
ctl_defaults(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	p->action = PROF_ANSWER;
	p->rate = 14400;
	p->ecm = 1;
	p->res = T30_SUPPORT_STANDARD_RESOLUTION |
	    T30_SUPPORT_FINE_RESOLUTION | T30_SUPPORT_SUPERFINE_RESOLUTION;
	p->comp = T30_SUPPORT_T4_1D_COMPRESSION |
	    T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION;
}

/* splits on blanks; "..." quotes a value with blanks */
static int
split(char *s, char **w, int max)
{
	int n = 0;
	char *d;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return n;
		if (n == max)
			return -1;
		w[n++] = d = s;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '"') {
				for (s++; *s != '"'; s++) {
					if (*s == '\0')
						return -1;
					*d++ = *s;
				}
				s++;
			} else
				*d++ = *s++;
		}
		if (*s != '\0')
			s++;
		*d = '\0';
	}
}

/* "a,b,c" of names into a mask; -1 on an unknown name */
static int
names(const char *v, const char *const *tab, const int *bits)
{
	char buf[128], *p, *save = NULL;
	int i, mask = 0;

	if (str_copy(buf, v, sizeof(buf)) == -1)
		return -1;
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		for (i = 0; tab[i] != NULL && strcmp(tab[i], p) != 0; i++)
			;
		if (tab[i] == NULL)
			return -1;
		mask |= bits[i];
	}
	return mask == 0 ? -1 : mask;
}

static int
number(const char *v, int lo, int hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static const char *const actions[] = { "answer", "busy", "noanswer",
	"notfax", "hangup", "rtn", NULL };
static const char *const resnames[] = { "normal", "fine", "superfine",
	NULL };
static const int resbits[] = { T30_SUPPORT_STANDARD_RESOLUTION,
	T30_SUPPORT_FINE_RESOLUTION, T30_SUPPORT_SUPERFINE_RESOLUTION };
static const char *const compnames[] = { "mh", "mr", "mmr", NULL };
static const int compbits[] = { T30_SUPPORT_T4_1D_COMPRESSION,
	T30_SUPPORT_T4_2D_COMPRESSION, T30_SUPPORT_T6_COMPRESSION };

static int
text_key(struct profile *p, const char *k, const char *v)
{
	static const struct { const char *k; size_t off, size; } keys[] = {
		{ "id", offsetof(struct profile, ident), 21 },
		{ "file", offsetof(struct profile, file), PATH_MAX },
		{ "cid", offsetof(struct profile, cid), 33 },
		{ "name", offsetof(struct profile, name), 33 },
		{ "did", offsetof(struct profile, did), 33 },
		{ "sub", offsetof(struct profile, sub), 21 },
		{ "dtmf", offsetof(struct profile, dtmf), 33 },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i].k) == 0)
			return str_copy((char *)p + keys[i].off, v,
			    keys[i].size);
	return -2;
}

/* one key=value word into the profile; -1 with a reason in err */
static int
profile_key(struct profile *p, char *word, char *err, size_t errsz)
{
	char *v;
	int r, i;

	if ((v = strchr(word, '=')) == NULL) {
		(void)snprintf(err, errsz, "ERR expected key=value: %.40s",
		    word);
		return -1;
	}
	*v++ = '\0';
	if ((r = text_key(p, word, v)) != -2)
		;
	else if (strcmp(word, "action") == 0) {
		for (i = 0; actions[i] && strcmp(actions[i], v) != 0; i++)
			;
		r = actions[i] ? (p->action = i, 0) : -1;
	} else if (strcmp(word, "hangup_after") == 0) {
		r = number(v, 1, 999, &p->hangup_after);
		p->action = PROF_HANGUP;
	} else if (strcmp(word, "rate") == 0)
		r = number(v, 2400, 14400, &p->rate);
	else if (strcmp(word, "ecm") == 0)
		r = number(v, 0, 1, &p->ecm);
	else if (strcmp(word, "noise") == 0)
		r = number(v, -99, 0, &p->noise);
	else if (strcmp(word, "res") == 0)
		r = (p->res = names(v, resnames, resbits)) == -1 ? -1 : 0;
	else if (strcmp(word, "comp") == 0)
		r = (p->comp = names(v, compnames, compbits)) == -1 ? -1 : 0;
	else
		r = -1;
	if (r != 0)
		(void)snprintf(err, errsz, "ERR bad %.20s=%.40s", word, v);
	return r == 0 ? 0 : -1;
}

static int
profile_words(struct profile *p, char **w, int n, char *err, size_t errsz)
{
	int i;

	for (i = 0; i < n; i++)
		if (profile_key(p, w[i], err, errsz) == -1)
			return -1;
	return 0;
}

/* route NUMBER modem=N | route NUMBER key=value... */
static void
cmd_route(struct sim *sim, char **w, int n, char *rep, size_t sz)
{
	struct route *r;
	int idx;

	if (n < 2 || strlen(w[1]) >= sizeof(r->number)) {
		(void)snprintf(rep, sz, "ERR usage: route NUMBER key=value...");
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		(void)snprintf(rep, sz, "ERR out of memory");
		return;
	}
	r->prof = sim->deflt;
	r->modem = -1;
	(void)str_copy(r->number, w[1], sizeof(r->number));
	if (n == 3 && strncmp(w[2], "modem=", 6) == 0) {
		if (number(w[2] + 6, 0, sim->nmodems - 1, &idx) == -1) {
			(void)snprintf(rep, sz, "ERR no such modem");
			free(r);
			return;
		}
		r->modem = idx;
	} else if (profile_words(&r->prof, w + 2, n - 2, rep, sz) == -1) {
		free(r);
		return;
	}
	/* newest first: a later route for the same number wins */
	r->next = sim->routes;
	sim->routes = r;
	(void)snprintf(rep, sz, "OK");
}

/* call MODEM file=DOC.tif [cid= name= did= sub= id= dtmf= ...] */
static void
cmd_call(struct sim *sim, char **w, int n, char *rep, size_t sz)
{
	struct profile p;
	int idx, id;

	p = sim->deflt;
	p.action = PROF_ANSWER;
	if (n < 2 || number(w[1], 0, sim->nmodems - 1, &idx) == -1) {
		(void)snprintf(rep, sz, "ERR usage: call MODEM file=F ...");
		return;
	}
	if (profile_words(&p, w + 2, n - 2, rep, sz) == -1)
		return;
	if (p.file[0] == '\0' || access(p.file, R_OK) == -1) {
		(void)snprintf(rep, sz, "ERR file= must name a readable TIFF");
		return;
	}
	if ((id = call_in(sim, idx, &p)) == -1)
		(void)snprintf(rep, sz, "ERR modem %d busy or no host", idx);
	else
		(void)snprintf(rep, sz, "OK call=%d", id);
}

static void
cmd_status(struct sim *sim, char *rep, size_t sz)
{
	size_t len;
	int i, n;

	n = snprintf(rep, sz, "OK time=%.1f", (double)sim->now / SIM_RATE);
	for (i = 0; i < sim->nmodems && n > 0 && (size_t)n < sz; i++) {
		const struct modem *m = &sim->modems[i];
		const char *st = m->hup ? "closed" : "idle";

		if (m->call != NULL)
			st = m->call->state == CALL_ALERTING ? "alerting" :
			    "up";
		len = (size_t)n;
		n += snprintf(rep + len, sz - len, " modem%d=%s", i, st);
	}
}

void
ctl_command(struct sim *sim, char *line, char *rep, size_t sz)
{
	char *w[MAXWORDS];
	int n;

	if ((n = split(line, w, MAXWORDS)) == -1)
		(void)snprintf(rep, sz, "ERR bad quoting or too many words");
	else if (n == 0)
		(void)snprintf(rep, sz, "OK");
	else if (strcmp(w[0], "route") == 0)
		cmd_route(sim, w, n, rep, sz);
	else if (strcmp(w[0], "default") == 0) {
		if (profile_words(&sim->deflt, w + 1, n - 1, rep, sz) == 0)
			(void)snprintf(rep, sz, "OK");
	} else if (strcmp(w[0], "call") == 0)
		cmd_call(sim, w, n, rep, sz);
	else if (strcmp(w[0], "status") == 0)
		cmd_status(sim, rep, sz);
	else if (strcmp(w[0], "ping") == 0)
		(void)snprintf(rep, sz, "OK");
	else if (strcmp(w[0], "quit") == 0) {
		sim->quit = 1;
		(void)snprintf(rep, sz, "OK");
	} else
		(void)snprintf(rep, sz, "ERR unknown command %.40s", w[0]);
}
