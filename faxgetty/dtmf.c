/*
 * dtmf: the digits a caller keys in before the fax starts (RFC 4161 3.1
 * authorisation).  Only for called numbers listed in dtmf_dids.  Voice
 * modem style: AT+FCLASS=8, ATA, AT+VLS=1, digits arrive as <DLE>digit,
 * '#' or dtmf_digits digits or dtmf_timeout end them, then AT+FCLASS=1
 * and the caller's ATA answers the fax.  The digits are a secret: they go
 * into meta for queued, never into a log.
 */
#include <string.h>

#include "config.h"
#include "faxgetty.h"
#include "log.h"
#include "path.h"

#define DLE	0x10

/* 1 if did is in the comma-separated list (or the list is "*") */
int
dtmf_wanted(const char *list, const char *did)
{
	char buf[CONF_STRMAX], *p, *save = NULL;

	if (strcmp(list, "*") == 0)
		return 1;
	if (did[0] == '\0' || str_copy(buf, list, sizeof(buf)) == -1)
		return 0;
	for (p = strtok_r(buf, ", ", &save); p != NULL;
	    p = strtok_r(NULL, ", ", &save))
		if (strcmp(p, did) == 0)
			return 1;
	return 0;
}

void
dtmf_digits(struct fg *fg, char *out, size_t sz)
{
	int64_t end = at_clock_ms() + fg->conf->dtmf_timeout * 1000;
	size_t n = 0;
	int b, dle = 0;

	while (at_clock_ms() < end && n + 1 < sz &&
	    n < (size_t)fg->conf->dtmf_digits) {
		if ((b = at_getbyte(&fg->at)) == -1) {
			if (at_fill(&fg->at, 100) == -1)
				break;
			continue;
		}
		if (!dle) {
			dle = b == DLE;
			continue;
		}
		dle = 0;
		if (b == '#')
			break;
		if ((b >= '0' && b <= '9') || b == '*')
			out[n++] = (char)b;
	}
	out[n] = '\0';
}

/* leaves the modem answered in Class 1, ready for ATA; -1 on failure */
int
dtmf_collect(struct fg *fg, const char *id, char *out, size_t sz)
{
	out[0] = '\0';
	if (at_chat(&fg->at, "AT+FCLASS=8", 5000) != AT_OK ||
	    at_chat(&fg->at, "ATA", 30000) != AT_OK ||
	    at_chat(&fg->at, "AT+VLS=1", 5000) != AT_OK) {
		log_warnx("id=%s dev=%s voice answer for DTMF failed", id,
		    fg->name);
		return -1;
	}
	dtmf_digits(fg, out, sz);
	at_drain(&fg->at);
	if (at_chat(&fg->at, "AT+FCLASS=1", 5000) != AT_OK) {
		log_warnx("id=%s dev=%s back to Class 1 failed", id, fg->name);
		return -1;
	}
	/* the digits themselves are never logged */
	log_info("id=%s dtmf digits=%zu", id, strlen(out));
	return 0;
}
