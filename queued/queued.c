/*
 * queued: main(), start-up and the event loop.  Wake-ups come from the
 * FIFO ("incoming ID", "result ID.N", "recv ID", "status DEV", "ctl ID");
 * a rescan timer finds whatever a lost wake-up left behind, and a
 * scheduling pass runs after anything that may free a modem or ready a
 * job.  No loop polls: when nothing happens, queued sleeps.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "fifo.h"
#include "log.h"
#include "mail.h"
#include "onramp.h"
#include "path.h"
#include "privdrop.h"
#include "queued.h"
#include "spool.h"

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR	"/usr/libexec/rampart"
#endif

static void
usage(void)
{
	fprintf(stderr, "usage: queued [-dnv] [-f conf] [-s spool] "
	    "[-o key=value] [-L libexecdir]\n");
	exit(64);
}

void
qd_wake_notifyd(struct qd *q, const char *nid)
{
	char line[64];

	(void)path_fmt(line, sizeof(line), "notify %s", nid);
	(void)fifo_send(q->notify_fifo, line);
}

int
qd_exists(struct qd *q, const char *path)
{
	struct stat st;

	return fstatat(spool_dirfd(q->sp), path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void
sched_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	sched_run(arg);
}

/* a scheduling pass once the current callback is done */
void
qd_schedule_soon(struct qd *q)
{
	struct timeval tv = { 0, 0 };

	evtimer_add(q->sched_ev, &tv);
}

static void
on_line(char *line, void *arg)
{
	struct qd *q = arg;
	char *verb, *a;

	if (fifo_split(line, &verb, &a) == -1) {
		log_warnx("ignoring a bad FIFO line");
		return;
	}
	if (strcmp(verb, "incoming") == 0 && id_valid(a))
		intake_one(q, a);
	else if (strcmp(verb, "result") == 0 && spool_name_ok(a))
		result_one(q, a);
	else if (strcmp(verb, "recv") == 0 && id_valid(a))
		onramp_one(q, a);
	else if (strcmp(verb, "ctl") == 0)
		ctl_scan(q);
	else if (strcmp(verb, "status") == 0)
		qd_schedule_soon(q);
	else
		log_warnx("ignoring FIFO line verb=%s", verb);
}

static void
fifo_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct qd *q = arg;

	(void)ev;
	if (fifo_read(fd, &q->fr, on_line, q) == -1 && errno != EAGAIN)
		log_warn("FIFO read");
}

static void
rescan(struct qd *q)
{
	intake_scan(q);
	result_scan(q);
	onramp_scan(q);
	ctl_scan(q);
	qd_schedule_soon(q);
}

static void
rescan_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	rescan(arg);
}

static void
child_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct qd *q = arg;
	pid_t pid;
	int st;

	(void)fd;
	(void)ev;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		intake_child(q, pid, st);
}

static void
stop_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	event_base_loopbreak(arg);
}

static void
start(struct qd *q, const struct conf *conf)
{
	struct timeval tv = { conf->rescan_interval, 0 };

	if (privdrop(conf->user, NULL, NULL) == -1)
		fatal("privdrop %s", conf->user);
	if (privdrop_is_root())
		fatalx("privdrop: root still reachable");
	if (conf->hostname[0] != '\0')
		(void)str_copy(q->hostname, conf->hostname, sizeof(q->hostname));
	else if (gethostname(q->hostname, sizeof(q->hostname)) == -1)
		(void)str_copy(q->hostname, "localhost", sizeof(q->hostname));
	q->hostname[sizeof(q->hostname) - 1] = '\0';
	if ((q->sp = spool_open(conf->spool)) == NULL)
		fatal("spool %s", conf->spool);
	if (path_fmt(q->fifo, sizeof(q->fifo), "%s/FIFO", conf->spool) == -1 ||
	    path_fmt(q->notify_fifo, sizeof(q->notify_fifo), "%s/FIFO.notifyd",
	    conf->spool) == -1)
		fatalx("spool path too long");
	if (fifo_make(q->fifo, 0620) == -1 ||
	    (q->fifofd = fifo_listen(q->fifo)) == -1)
		fatal("FIFO %s", q->fifo);
	if ((q->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	q->fifo_ev = event_new(q->base, q->fifofd, EV_READ | EV_PERSIST,
	    fifo_cb, q);
	q->rescan_ev = event_new(q->base, -1, EV_PERSIST, rescan_cb, q);
	q->sched_ev = evtimer_new(q->base, sched_cb, q);
	if (q->fifo_ev == NULL || q->rescan_ev == NULL || q->sched_ev == NULL ||
	    event_add(q->fifo_ev, NULL) == -1 ||
	    event_add(q->rescan_ev, &tv) == -1)
		fatalx("event setup");
	(void)spool_clean_tmp(q->sp, "notify", 0);
	(void)spool_clean_tmp(q->sp, "ctl", 3600);
}

int
main(int argc, char **argv)
{
	struct event *term, *intr, *chld;
	struct conf_opts o;
	struct conf conf;
	struct qd q;
	int ch;

	memset(&q, 0, sizeof(q));
	q.fifofd = -1;
	(void)str_copy(q.libexec, PKGLIBEXECDIR, sizeof(q.libexec));
	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, CONF_GETOPT "L:")) != -1) {
		if (ch == 'L') {
			if (str_copy(q.libexec, optarg, sizeof(q.libexec)) == -1)
				usage();
		} else if (conf_opt(&o, ch, optarg) == -1)
			usage();
	}
	if (argc != optind)
		usage();
	onramp_strict_certs = o.check_only;
	conf_set_check(onramp_conf_check);
	conf_startup(&conf, &o, "queued");
	if (conf.nonurgent_hours[0] != '\0') {
		int from, to, n = 0;

		if (sscanf(conf.nonurgent_hours, "%d-%d%n", &from, &to, &n) != 2 ||
		    conf.nonurgent_hours[n] != '\0' || from < 0 || from > 23 ||
		    to < 0 || to > 23)
			errx(EXIT_CONFIG, "nonurgent_hours: \"%s\" is not "
			    "FROM-TO, hours 0 to 23", conf.nonurgent_hours);
	}
	q.conf = &conf;
	log_init("queued", o.foreground, LOG_MAIL);
	log_setverbose(o.verbose);
	signal(SIGPIPE, SIG_IGN);
	mail_init();
	start(&q, &conf);
	if (jobs_load(&q) == -1)
		fatal("jobs");
	term = evsignal_new(q.base, SIGTERM, stop_cb, q.base);
	intr = evsignal_new(q.base, SIGINT, stop_cb, q.base);
	chld = evsignal_new(q.base, SIGCHLD, child_cb, &q);
	if (term == NULL || intr == NULL || chld == NULL ||
	    evsignal_add(term, NULL) == -1 || evsignal_add(intr, NULL) == -1 ||
	    evsignal_add(chld, NULL) == -1)
		fatalx("signal events");
	log_info("started pid=%ld jobs=%zu", (long)getpid(), q.njobs);
	rescan(&q);
	event_base_dispatch(q.base);
	intake_fini(&q);
	log_info("stopped");
	event_free(term);
	event_free(intr);
	event_free(chld);
	event_free(q.fifo_ev);
	event_free(q.rescan_ev);
	event_free(q.sched_ev);
	event_base_free(q.base);
	free(q.jobs);
	spool_close(q.sp);
	return 0;
}
