/*
 * units-t: faxgetty's pieces that need no modem: the T30_ERR_* outcome
 * table, the xferlog record format, the UUCP lock (stale-lock take-over,
 * live lock refused), faxgetty's key table, status/DEV, and text.c:
 * caller-id lines, the job file and outside text made safe for
 * key = value files (the same code tests/fuzz/fuzz-modem and fuzz-spool
 * fuzz).
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <tiffio.h>
#include <spandsp.h>

#include "config.h"
#include "faxgetty.h"
#include "path.h"
#include "spool.h"
#include "status.h"
#include "tap.h"
#include "text.h"
#include "xferlog.h"

static void
outcomes(void)
{
	int permanent = 0, n = 0;

	is_int(OUT_OK, t30err_class(T30_ERR_OK), "T30_ERR_OK is ok");
	is_int(OUT_RECOVERABLE, t30err_class(T30_ERR_CALLDROPPED),
	    "a dropped call is recoverable");
	is_int(OUT_RECOVERABLE, t30err_class(T30_ERR_CANNOT_TRAIN),
	    "a training failure is recoverable");
	is_int(OUT_PERMANENT, t30err_class(T30_ERR_T1_EXPIRED),
	    "T1 expiry (not a fax machine) is permanent");
	is_int(OUT_PERMANENT, t30err_class(T30_ERR_NORESSUPPORT),
	    "a refused resolution is permanent");
	is_int(OUT_PERMANENT, t30err_class(T30_ERR_BADTIFF),
	    "a broken document is permanent");
	is_int(OUT_RECOVERABLE, t30err_class(9999),
	    "an unknown code is recoverable");
	/* every code libspandsp defines has a name of its own */
	for (int code = T30_ERR_OK; code <= T30_ERR_CSA_UNACCEPTABLE; code++) {
		n++;
		if (strcmp(t30err_name(code), "unknown") == 0)
			diag("code %d has no entry", code);
		else if (t30err_class(code) == OUT_PERMANENT)
			permanent++;
	}
	ok(strcmp(t30err_name(T30_ERR_CSA_UNACCEPTABLE), "unknown") != 0 &&
	    n == T30_ERR_CSA_UNACCEPTABLE + 1, "the table covers all %d codes", n);
	ok(permanent > 10 && permanent < n, "%d of them are permanent", permanent);
}

static void
xferlog(void)
{
	struct xferlog_rec r;
	char buf[1024];
	int tabs = 0;

	memset(&r, 0, sizeof(r));
	r.start = 0;
	r.dir = "SEND";
	r.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
	r.try = 2;
	r.device = "ttyS0";
	r.remote_id = "EVIL\tCSI\n\"x";
	r.pages = 3;
	r.total = 5;
	r.result = "ok";
	is_int(0, xferlog_format(&r, buf, sizeof(buf)), "record formats");
	for (char *p = buf; *p; p++)
		tabs += *p == '\t';
	is_int(XFERLOG_NFIELDS - 1, tabs, "a CSI with tab and newline "
	    "cannot add fields");
	ok(strchr(buf, '\n') == buf + strlen(buf) - 1, "one line");
	ok(strstr(buf, "1970-01-01T00:00:00Z\tSEND\t0f8fad5b") == buf,
	    "date, direction and id come first");
	ok(strstr(buf, "\"EVIL CSI ?x\"") != NULL, "CSI cleaned and quoted");
}

static void
locks(const char *dir)
{
	char path[PATH_MAX], path2[PATH_MAX], buf[32];
	pid_t pid;
	int fd;

	is_int(0, lock_take(dir, "ttyT0", path, sizeof(path)), "lock taken");
	fd = open(path, O_RDONLY);
	buf[read(fd, buf, sizeof(buf) - 1)] = '\0';
	close(fd);
	is_int(getpid(), atol(buf), "lock holds our pid");
	/* a live owner keeps it */
	if ((pid = fork()) == 0) {
		char p[PATH_MAX];
		_exit(lock_take(dir, "ttyT0", p, sizeof(p)) == -1 &&
		    errno == EBUSY ? 0 : 1);
	}
	waitpid(pid, &fd, 0);
	ok(WIFEXITED(fd) && WEXITSTATUS(fd) == 0,
	    "another process cannot take a live lock (EBUSY)");
	/* a dead owner's lock is stale: write one for an exited child */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	(void)path_fmt(path2, sizeof(path2), "%s/LCK..ttyT1", dir);
	fd = open(path2, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dprintf(fd, "%10ld\n", (long)pid);
	close(fd);
	is_int(0, lock_take(dir, "ttyT1", path2, sizeof(path2)),
	    "a lock whose pid is gone is taken over");
	lock_release(path);
	ok(access(path, F_OK) == -1, "release removes our lock");
}

static void
keys(void)
{
	struct conf c;
	char err[256];

	conf_defaults(&c);
	is_int(1, c.rings_before_answer, "rings_before_answer defaults to 1");
	is_string("ATDT", c.dial_command, "dial_command default");
	is_int(0, conf_set(&c, "dial_prefix", "0,", err, sizeof(err)),
	    "dial_prefix accepts a pause");
	is_string("0,", c.dial_prefix, "value kept");
	is_int(-1, conf_set(&c, "fax_max_rate", "28800", err, sizeof(err)),
	    "out-of-range rate refused");
	is_int(-1, conf_set(&c, "station_id", "123456789012345678901", err,
	    sizeof(err)), "a station id over 20 characters refused");
	is_int(0, conf_set(&c, "fax_ecm", "no", err, sizeof(err)),
	    "yes/no accepted");
	is_int(0, c.fax_ecm, "fax_ecm = no is 0");
}

static void
status(const char *dir)
{
	struct spool_owners own = { (uid_t)-1, (gid_t)-1, (uid_t)-1 };
	struct spool *sp;
	char sdir[PATH_MAX], line[STATUS_MAX];

	(void)path_fmt(sdir, sizeof(sdir), "%s/spool", dir);
	if (spool_init(sdir, &own) == -1 || (sp = spool_open(sdir)) == NULL)
		bail("spool");
	is_int(0, status_write(sp, "ttyT0", "dev=ttyT0 state=idle"),
	    "status written");
	is_int(0, status_read(sp, "ttyT0", line, sizeof(line)), "status read");
	is_string("dev=ttyT0 state=idle", line, "status round trip");
	is_int(-1, status_write(sp, "../x", "a"), "bad device name refused");
	is_int(-1, status_write(sp, "ttyT0", "a\nb"), "two lines refused");
	spool_close(sp);
}

static void
text(void)
{
	char info[64] = "", buf[512], out[16];
	struct ringinfo ri;
	struct job j;

	ring_note(info, sizeof(info), "RING");
	ring_note(info, sizeof(info), "NMBR = 5551234");
	ring_note(info, sizeof(info), "NAME=ACME FAX");
	ring_note(info, sizeof(info), "NDID = 100");
	is_string("NMBR = 5551234\nNAME=ACME FAX\nNDID = 100", info,
	    "caller-id lines kept, others not");
	ring_note(info, sizeof(info), "DDI = 12345678901234567890123456789");
	is_string("NMBR = 5551234\nNAME=ACME FAX\nNDID = 100", info,
	    "a line that does not fit is not kept in part");
	ring_parse(info, &ri);
	is_string("5551234", ri.cid, "caller id");
	is_string("ACME FAX", ri.name, "caller name");
	is_string("100", ri.did, "called number");
	ring_parse("NMBR = 0123456789012345678901234567890123456789", &ri);
	is_int(32, strlen(ri.cid), "an overlong caller id is cut to 32");
	ring_parse("DDI = 100\nNDID = 0123456789012345678901234567890123", &ri);
	is_string("", ri.did, "an overlong called number is dropped, not cut");

	call_clean(out, sizeof(out), "a\nb\rc\x7f\xff=d");
	is_string("a?b?c?\?=d", out, "control bytes and non-ASCII become ?");
	call_clean(out, sizeof(out), "0123456789abcdefXYZ");
	is_string("0123456789abcde", out, "cleaned text is cut to fit");

	memset(&j, 0, sizeof(j));
	j.first = j.try = 1;
	(void)path_fmt(buf, sizeof(buf), "number = 5551234\naccount=dev1\n"
	    "pages = 3\nfirst_page = 2\n#try = 7\ntry = 1000\nx = y\n");
	is_int(0, job_parse(&j, buf), "job parsed");
	ok(strcmp(j.number, "5551234") == 0 && strcmp(j.account, "dev1") == 0 &&
	    j.pages == 3 && j.first == 2 && j.try == 1,
	    "job fields; a comment and an out-of-range try are ignored");
	memset(&j, 0, sizeof(j));
	(void)path_fmt(buf, sizeof(buf), "number = 5551234\npages = 0\n");
	is_int(-1, job_parse(&j, buf), "a job without pages is refused");
}

int
main(void)
{
	const char *dir = test_tmpdir();

	plan(44);
	outcomes();
	xferlog();
	locks(dir);
	keys();
	status(dir);
	text();
	return 0;
}
