/*
 * recv: answers a ringing line and receives a fax into recv/tmp/ID
 * (fax.tif from T.30, meta written here), publishes it to recv/new/ID
 * and wakes queued.  Caller id, name and called number come from the
 * modem's lines before RING (AT+VCID=1 style).  An empty reception
 * leaves nothing in the spool but a log line and an xferlog record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>
#include <spandsp.h>

#include "call.h"
#include "faxgetty.h"
#include "faxrules.h"
#include "ids.h"
#include "log.h"
#include "path.h"
#include "spool.h"
#include "text.h"
#include "xferlog.h"

int
recv_refused(struct fg *fg, const char *info)
{
	char err[1024], where[300], cid[64], did[64];
	const struct fr_rule *r;
	struct ringinfo ri;
	struct faxrules t;
	int refuse = 0;

	if (fg->conf->route_file[0] == '\0')
		return 0;
	ring_parse(info, &ri);
	if (faxrules_load(&t, fg->conf->route_file, err, sizeof(err)) == -1) {
		log_warnx("dev=%s route_file is bad, answering: %s", fg->name,
		    err);
		return 0;
	}
	if ((r = faxrules_refuse(&t, ri.did, ri.cid)) != NULL) {
		faxrules_where(&t, r, where, sizeof(where));
		log_info("dev=%s caller=%s did=%s refused by rule %s: not "
		    "answered", fg->name,
		    log_escape(cid, sizeof(cid), ri.cid[0] ? ri.cid : "-"),
		    log_escape(did, sizeof(did), ri.did[0] ? ri.did : "-"),
		    where);
		refuse = 1;
	}
	faxrules_free(&t);
	return refuse;
}

static int
meta_write(struct fg *fg, const char *dir, const struct callrec *cr,
    const struct ringinfo *ri)
{
	char buf[2048], cid[40], name[40], did[40], tsi[32], sub[32];
	char dtmf[40];

	call_clean(cid, sizeof(cid), ri->cid);
	call_clean(name, sizeof(name), ri->name);
	call_clean(did, sizeof(did), ri->did);
	call_clean(tsi, sizeof(tsi), cr->remote);
	call_clean(sub, sizeof(sub), cr->sub);
	call_clean(dtmf, sizeof(dtmf), ri->dtmf);
	if (path_fmt(buf, sizeof(buf),
	    "id = %s\ndevice = %s\ncaller_id = %s\ncaller_name = %s\n"
	    "did = %s\nsubaddress = %s\ntsi = %s\npages = %d\n"
	    "bit_rate = %d\necm = %d\nt30_status = %d\nt30_text = %s\n"
	    "complete = %d\ndtmf = %s\nstarted = %lld\nduration = %lld\n",
	    cr->id, fg->name, cid, name, did, sub, tsi, cr->pages, cr->rate,
	    cr->ecm, cr->code, t30_completion_code_to_str(cr->code),
	    cr->code == T30_ERR_OK, dtmf, (long long)cr->start,
	    (long long)((at_clock_ms() - cr->t0 + 500) / 1000)) == -1)
		return -1;
	return spool_replace(fg->sp, dir, "meta", buf, strlen(buf));
}

/* T.30 wrote fax.tif itself: make it durable before it is published */
static int
sync_file(const char *path)
{
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	if (close(fd) == -1)
		r = -1;
	return r;
}

static void
account(struct fg *fg, const struct callrec *cr, const struct ringinfo *ri)
{
	struct xferlog_rec x;

	call_xferlog(fg, cr, &x);
	x.dir = "RECV";
	x.number = ri->did;
	x.caller_id = ri->cid;
	x.total = cr->pages;
	x.result = cr->code == T30_ERR_OK ? "ok" : t30err_name(cr->code);
	if (xferlog_append(fg->sp, &x) == -1)
		log_warn("id=%s xferlog", cr->id);
}

/* answer and run T.30; fax.tif goes straight into recv/tmp/ID */
static void
receive(struct fg *fg, struct callrec *cr, struct ringinfo *ri,
    const char *dir)
{
	char tif[PATH_MAX];
	struct class1 *c;
	enum at_reply r;

	fg_status(fg, "state=answering id=%s", cr->id);
	if (dtmf_wanted(fg->conf->dtmf_dids, ri->did) &&
	    dtmf_collect(fg, cr->id, ri->dtmf, sizeof(ri->dtmf)) == -1)
		return;
	if ((r = at_chat(&fg->at, "ATA", 30000)) != AT_CONNECT) {
		log_warnx("id=%s answer failed: %s", cr->id, at_reply_name(r));
		return;
	}
	if (path_fmt(tif, sizeof(tif), "%s/%s/fax.tif", spool_dir(fg->sp),
	    dir) == -1 ||
	    (c = call_setup(fg, cr, 0, CLASS1_START_ANSWERED)) == NULL)
		return;
	t30_set_rx_file(class1_t30(c), tif, -1);
	fg_status(fg, "state=receiving id=%s page=1", cr->id);
	(void)class1_run(c, fg->conf->call_timeout * 1000);
	call_finish(cr, c);
	class1_free(c);
}

static void
publish(struct fg *fg, const struct callrec *cr, const struct ringinfo *ri,
    const char *dir)
{
	char tif[PATH_MAX], fifo[PATH_MAX], line[64];

	(void)path_fmt(tif, sizeof(tif), "%s/%s/fax.tif", spool_dir(fg->sp),
	    dir);
	if (sync_file(tif) == -1 || meta_write(fg, dir, cr, ri) == -1 ||
	    spool_publish(fg->sp, "recv", cr->id) == -1) {
		log_warn("id=%s cannot store received fax", cr->id);
		return;
	}
	(void)path_fmt(line, sizeof(line), "recv %s", cr->id);
	if (path_fmt(fifo, sizeof(fifo), "%s/FIFO", spool_dir(fg->sp)) == 0)
		(void)fifo_send(fifo, line);
}

int
recv_call(struct fg *fg, const char *info)
{
	struct ringinfo ri;
	struct callrec cr;
	char id[ID_SIZE], dir[PATH_MAX], cid[64], did[64];

	ring_parse(info, &ri);
	id_new(id);
	memset(&cr, 0, sizeof(cr));
	cr.dir = "receiving";
	cr.id = id;
	cr.code = -1;
	cr.start = time(NULL);
	cr.t0 = at_clock_ms();
	log_info("id=%s answering dev=%s caller=%s did=%s", id, fg->name,
	    log_escape(cid, sizeof(cid), ri.cid[0] ? ri.cid : "-"),
	    log_escape(did, sizeof(did), ri.did[0] ? ri.did : "-"));
	if (path_fmt(dir, sizeof(dir), "recv/tmp/%s", id) == -1 ||
	    spool_mkdir(fg->sp, dir, 0700) == -1) {
		log_warn("id=%s cannot make %s", id, dir);
		modem_hangup(fg);
		return -1;
	}
	receive(fg, &cr, &ri, dir);
	modem_hangup(fg);
	if (cr.code == -1)
		cr.code = T30_ERR_CALLDROPPED;
	if (cr.pages > 0)
		publish(fg, &cr, &ri, dir);
	else if (spool_remove(fg->sp, dir) == -1)
		log_warn("id=%s cannot remove %s", id, dir);
	account(fg, &cr, &ri);
	log_info("id=%s received pages=%d rate=%d t30=%d (%s)", id, cr.pages,
	    cr.rate, cr.code, t30err_name(cr.code));
	return 0;
}
