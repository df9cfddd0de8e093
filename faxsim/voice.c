/*
 * voice: the command lines faxsim answers itself instead of libspandsp's
 * AT interpreter.  T.31 knows no voice class, so +FCLASS=8, answering
 * in voice mode, +VLS and hanging up from voice mode live here, as does
 * noticing which flow control the host asked for (+IFC, &K).  Every
 * other line goes on to T.31 unchanged.
 */
#include <ctype.h>
#include <string.h>

#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "faxsim.h"

/* the command after "AT", upper-cased, without blanks; "" if not AT */
static void
normalise(const char *line, char *cmd, size_t size)
{
	size_t n = 0;

	while (*line != '\0' && !isalpha((unsigned char)*line))
		line++;
	if (strncasecmp(line, "AT", 2) != 0) {
		cmd[0] = '\0';
		return;
	}
	for (line += 2; *line != '\0' && n + 1 < size; line++)
		if (!isspace((unsigned char)*line))
			cmd[n++] = (char)toupper((unsigned char)*line);
	cmd[n] = '\0';
}

/* V.250 +IFC=<by DTE>,<by DCE>: 1 is DC1/DC3; &K4 is the same */
static void
snoop_flow(struct modem *m, const char *cmd)
{
	const char *p;

	if ((p = strstr(cmd, "+IFC=")) != NULL) {
		p = strchr(p, ',');
		m->swflow = p != NULL && p[1] == '1';
	} else if (strstr(cmd, "&K4") != NULL) {
		m->swflow = 1;
	} else if (strstr(cmd, "&K3") != NULL || strstr(cmd, "&K0") != NULL) {
		m->swflow = 0;
	}
}

static void
reply(struct modem *m, const char *line, const char *text)
{
	at_state_t *s = &m->t31->at_state;

	if (s->p.echo) {
		modem_put(m, line, strlen(line));
		modem_put(m, "\r", 1);
	}
	at_put_response(s, text);
}

/* ATA in voice mode, answered here (the host sees OK, not CONNECT) */
static void
voice_answer(struct modem *m, const char *line)
{
	if (m->call == NULL || m->call->state != CALL_ALERTING) {
		reply(m, line, "NO CARRIER");
		return;
	}
	m->voice_up = 1;
	call_answer(m);
	reply(m, line, "OK");
}

/* returns 1 if the line was a voice command answered here */
int
modem_voice_cmd(struct modem *m, const char *line)
{
	char cmd[64];

	normalise(line, cmd, sizeof(cmd));
	snoop_flow(m, cmd);
	if (strcmp(cmd, "+FCLASS=8") == 0) {
		m->voice = 1;
		reply(m, line, "OK");
		return 1;
	}
	if (strcmp(cmd, "+FCLASS=?") == 0 ||
	    (m->voice && strcmp(cmd, "+FCLASS?") == 0)) {
		reply(m, line, m->voice && cmd[7] == '?' ? "8" : "0,1,1.0,8");
		at_put_response(&m->t31->at_state, "OK");
		return 1;
	}
	if (strncmp(cmd, "+FCLASS=", 8) == 0 || strcmp(cmd, "Z") == 0) {
		/* T.31 takes it from here; a call answered in voice
		 * mode stays up until the host's ATA starts the fax */
		m->voice = m->voice_up = 0;
		return 0;
	}
	if (cmd[0] != '\0' && atcheck(cmd) == -1) {
		reply(m, line, "ERROR");
		return 1;
	}
	if (!m->voice)
		return 0;
	if (strcmp(cmd, "A") == 0) {
		voice_answer(m, line);
		return 1;
	}
	if (strncmp(cmd, "+VLS", 4) == 0 || strncmp(cmd, "+VSM", 4) == 0) {
		reply(m, line, "OK");
		return 1;
	}
	if (strcmp(cmd, "H") == 0 || strcmp(cmd, "H0") == 0) {
		m->voice_up = 0;
		if (m->call != NULL)
			call_hangup(m, "local-hangup");
		reply(m, line, "OK");
		return 1;
	}
	return 0;
}
