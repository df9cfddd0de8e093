/*
 * modem: bringing the modem into a known state: reset, the configured
 * init strings, hardware flow control, Class 1, and the probe of what it
 * can do (AT+FCLASS=?, AT+FTM=?, AT+FRM=?).  Run at start and after
 * every call.  It never dials or answers.
 */
#include <string.h>
#include <unistd.h>

#include <tiffio.h>
#include <spandsp.h>

#include "class1.h"
#include "faxgetty.h"
#include "log.h"

static int
must(struct fg *fg, const char *cmd)
{
	enum at_reply r;

	if (cmd[0] == '\0')
		return 0;
	if ((r = at_chat(&fg->at, cmd, 5000)) == AT_OK)
		return 0;
	log_warnx("dev=%s command %s failed: %s", fg->name, cmd,
	    at_reply_name(r));
	return -1;
}

static int
query(struct fg *fg, const char *cmd, char *info, size_t sz)
{
	enum at_reply r;

	if (at_send(&fg->at, cmd) == -1)
		return -1;
	if ((r = at_wait(&fg->at, 5000, info, sz)) != AT_OK) {
		log_warnx("dev=%s %s failed: %s", fg->name, cmd,
		    at_reply_name(r));
		return -1;
	}
	return 0;
}

/* the rates T.30 may use: what the modem has, capped by fax_max_rate */
static int
cap_modems(int m, long max)
{
	if (max < 14400)
		m &= ~T30_SUPPORT_V17;
	if (max < 9600)
		m &= ~T30_SUPPORT_V29;
	return m;
}

int
modem_setup(struct fg *fg)
{
	char classes[AT_LINEMAX], ftm[AT_LINEMAX], frm[AT_LINEMAX];
	const char *init[3] = { fg->conf->modem_init, fg->conf->modem_init2,
	    fg->conf->modem_init3 };
	int i;

	at_drain(&fg->at);
	/* a modem left in a data mode needs a moment and a bare CR */
	(void)at_write(&fg->at, "\r", 1, 1000);
	(void)at_wait(&fg->at, 300, NULL, 0);
	at_drain(&fg->at);
	if (must(fg, "AT") == -1 && must(fg, "AT") == -1)
		return -1;
	if (must(fg, fg->conf->modem_reset) == -1)
		return -1;
	for (i = 0; i < 3; i++)
		if (must(fg, init[i]) == -1)
			return -1;
	if (must(fg, fg->conf->modem_flow) == -1)
		return -1;
	if (query(fg, "AT+FCLASS=?", classes, sizeof(classes)) == -1)
		return -1;
	if (strstr(classes, "1") == NULL) {
		log_warnx("dev=%s is not a Class 1 modem (%s)", fg->name,
		    classes);
		return -1;
	}
	if (must(fg, "AT+FCLASS=1") == -1 ||
	    query(fg, "AT+FTM=?", ftm, sizeof(ftm)) == -1 ||
	    query(fg, "AT+FRM=?", frm, sizeof(frm)) == -1)
		return -1;
	fg->modems = cap_modems(class1_modems(ftm, frm), fg->conf->fax_max_rate);
	if (fg->modems == 0) {
		log_warnx("dev=%s offers no fax modulation (%s / %s)",
		    fg->name, ftm, frm);
		return -1;
	}
	return 0;
}

void
modem_hangup(struct fg *fg)
{
	enum at_reply r;

	/* a data mode is left by any character; then hang up */
	(void)at_write(&fg->at, "\r", 1, 1000);
	(void)at_wait(&fg->at, 500, NULL, 0);
	at_drain(&fg->at);
	if ((r = at_chat(&fg->at, "ATH0", 5000)) != AT_OK)
		log_warnx("dev=%s ATH0: %s", fg->name, at_reply_name(r));
}
