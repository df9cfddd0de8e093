/*
 * send: one try of one job.  Reads jobs/ID/job (key = value) and
 * jobs/ID/pages.tif without changing either, dials, sends from the first
 * page not yet confirmed, and hands the outcome to queued as
 * results/new/ID.TRY.  Never writes into jobs/: that is queued's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>
#include <spandsp.h>

#include "call.h"
#include "faxgetty.h"
#include "ids.h"
#include "log.h"
#include "path.h"
#include "spool.h"
#include "text.h"
#include "xferlog.h"

struct result {
	enum outcome	 out;
	const char	*reason;
	int		 dialled;	/* the call was answered */
};

static int
job_read(struct fg *fg, const char *id, struct job *j)
{
	char path[PATH_MAX], *buf;
	size_t len;
	int r;

	memset(j, 0, sizeof(*j));
	(void)str_copy(j->id, id, sizeof(j->id));
	j->first = j->try = 1;
	if (path_fmt(path, sizeof(path), "jobs/%s/job", id) == -1 ||
	    spool_read(fg->sp, path, 64 * 1024, &buf, &len) == -1)
		return -1;
	r = job_parse(j, buf);
	free(buf);
	if (r == -1)
		errno = EINVAL;
	return r;
}

/* a dial string: digits and the few modem dial modifiers, nothing else */
static int
number_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 40)
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s) && strchr("*#,", *s) == NULL)
			return 0;
	return 1;
}

static void
dial(struct fg *fg, const struct job *j, struct result *res)
{
	char cmd[AT_LINEMAX];
	enum at_reply r;

	res->out = OUT_RECOVERABLE;
	if (!number_ok(j->number)) {
		res->out = OUT_PERMANENT;
		res->reason = "number_invalid";
		return;
	}
	(void)path_fmt(cmd, sizeof(cmd), "%s%s%s", fg->conf->dial_command,
	    fg->conf->dial_prefix, j->number);
	fg_status(fg, "state=dialing id=%s number=%s", j->id, j->number);
	r = at_chat(&fg->at, cmd, (int)fg->conf->dial_timeout * 1000);
	switch (r) {
	case AT_CONNECT:	res->dialled = 1; res->reason = "ok"; return;
	case AT_BUSY:		res->reason = "busy"; return;
	case AT_NOANSWER:	res->reason = "no_answer"; return;
	case AT_TIMEOUT:	res->reason = "no_answer"; return;
	case AT_NOCARRIER:	res->reason = "no_carrier"; return;
	case AT_NODIALTONE:	res->reason = "no_dialtone"; return;
	case AT_ERROR:
		res->out = OUT_PERMANENT;
		res->reason = "number_invalid";
		return;
	default:		res->reason = "modem_failure"; return;
	}
}

static void
transmit(struct fg *fg, const struct job *j, struct callrec *cr,
    struct result *res)
{
	char tif[PATH_MAX];
	struct class1 *c;
	t30_state_t *t;

	if (path_fmt(tif, sizeof(tif), "%s/jobs/%s/pages.tif",
	    spool_dir(fg->sp), j->id) == -1 ||
	    (c = call_setup(fg, cr, 1, CLASS1_START_DIALLED)) == NULL) {
		res->reason = "internal_error";
		return;
	}
	t = class1_t30(c);
	/* spandsp counts pages from 0: start at the first unconfirmed one */
	t30_set_tx_file(t, tif, j->first - 1, -1);
	if (j->sub[0] != '\0')
		t30_set_tx_sub_address(t, j->sub);
	(void)class1_run(c, fg->conf->call_timeout * 1000);
	call_finish(cr, c);
	class1_free(c);
	res->out = t30err_class(cr->code);
	res->reason = t30err_name(cr->code);
	/* RTN again and again: the remote will not take this document */
	if (res->out != OUT_OK && cr->rtn >= 3) {
		res->out = OUT_PERMANENT;
		res->reason = "too_many_rtn";
	}
	if (j->first - 1 + cr->pages >= j->pages) {
		res->out = OUT_OK;	/* all confirmed, whatever came after */
		res->reason = "ok";
	}
}

static int
result_write(struct fg *fg, const struct job *j, const struct callrec *cr,
    const struct result *res)
{
	char buf[2048], name[ID_SIZE + 8], rid[64];
	int confirmed = j->first - 1 + cr->pages;

	call_clean(rid, sizeof(rid), cr->remote);
	(void)path_fmt(name, sizeof(name), "%s.%d", j->id, j->try);
	if (path_fmt(buf, sizeof(buf),
	    "id = %s\ntry = %d\ndevice = %s\noutcome = %s\nreason = %s\n"
	    "t30_status = %d\nt30_text = %s\npages_total = %d\n"
	    "first_page = %d\npages_sent = %d\npages_confirmed = %d\n"
	    "next_page = %d\nremote_id = %s\nbit_rate = %d\necm = %d\n"
	    "rtn = %d\nstarted = %lld\nduration = %lld\n",
	    j->id, j->try, fg->name, outcome_name(res->out), res->reason,
	    cr->code < 0 ? 0 : cr->code,
	    cr->code < 0 ? "no call" : t30_completion_code_to_str(cr->code),
	    j->pages, j->first, cr->pages, confirmed, confirmed + 1, rid,
	    cr->rate, cr->ecm, cr->rtn, (long long)cr->start,
	    (long long)((at_clock_ms() - cr->t0 + 500) / 1000)) == -1)
		return -1;
	return spool_put(fg->sp, "results", name, buf, strlen(buf));
}

static void
account(struct fg *fg, const struct job *j, const struct callrec *cr,
    const struct result *res)
{
	struct xferlog_rec x;

	call_xferlog(fg, cr, &x);
	x.dir = "SEND";
	x.try = j->try;
	x.account = j->account;
	x.number = j->number;
	x.total = j->pages;
	x.result = res->reason;
	if (xferlog_append(fg->sp, &x) == -1)
		log_warn("id=%s xferlog", j->id);
}

int
send_job(struct fg *fg, const char *id)
{
	struct callrec cr;
	struct result res;
	struct job j;
	char line[ID_SIZE + 32], fifo[PATH_MAX];

	if (!id_valid(id)) {
		log_warnx("send: bad job id from FIFO");
		return -1;
	}
	if (job_read(fg, id, &j) == -1) {
		log_warn("id=%s cannot read job", id);
		return -1;
	}
	memset(&cr, 0, sizeof(cr));
	memset(&res, 0, sizeof(res));
	cr.dir = "sending";
	cr.id = j.id;
	cr.total = j.pages;
	cr.first = j.first;
	cr.code = -1;
	cr.start = time(NULL);
	cr.t0 = at_clock_ms();
	log_info("id=%s try=%d dialing dev=%s first_page=%d pages=%d", id,
	    j.try, fg->name, j.first, j.pages);
	dial(fg, &j, &res);
	if (res.dialled)
		transmit(fg, &j, &cr, &res);
	modem_hangup(fg);
	if (result_write(fg, &j, &cr, &res) == -1)
		log_warn("id=%s try=%d cannot write result", id, j.try);
	account(fg, &j, &cr, &res);
	log_info("id=%s try=%d outcome=%s reason=%s pages=%d/%d rate=%d "
	    "t30=%d", id, j.try, outcome_name(res.out), res.reason,
	    j.first - 1 + cr.pages, j.pages, cr.rate, cr.code);
	/* "result ID.TRY": was cut short by one byte, and so never read */
	if (path_fmt(line, sizeof(line), "result %s.%d", id, j.try) == 0 &&
	    path_fmt(fifo, sizeof(fifo), "%s/FIFO", spool_dir(fg->sp)) == 0)
		(void)fifo_send(fifo, line);
	return 0;
}
