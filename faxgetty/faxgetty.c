/*
 * faxgetty: the per-modem daemon.  main() reads the configuration, takes
 * the UUCP lock, opens the device as root, drops to the rampart user
 * with group dialout, and then loops: answering after the configured
 * rings, sending the jobs queued names on FIFO.DEV, resetting the modem
 * after every call and retrying a dead modem with back-off.
 */
#include <sys/stat.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "faxgetty.h"
#include "faxrules.h"
#include "fifo.h"
#include "log.h"
#include "path.h"
#include "privdrop.h"
#include "spool.h"
#include "status.h"
#include "text.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: faxgetty [-dnv] [-f conf] [-s spool] "
	    "[-o key=value] DEVICE\n");
	exit(64);
}

void
fg_status(struct fg *fg, const char *fmt, ...)
{
	char body[STATUS_MAX - 64], line[STATUS_MAX];
	va_list ap;

	if (fg->sp == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	(void)path_fmt(line, sizeof(line), "dev=%s pid=%ld time=%lld %s",
	    fg->name, (long)getpid(), (long long)time(NULL), body);
	if (status_write(fg->sp, fg->name, line) == -1)
		log_warn("dev=%s status", fg->name);
}

/* "ttyS0" means /dev/ttyS0; the status and FIFO name is the last part */
static void
device_names(struct fg *fg, const char *arg)
{
	char tmp[PATH_MAX];

	if (strchr(arg, '/') == NULL) {
		if (path_fmt(fg->dev, sizeof(fg->dev), "/dev/%s", arg) == -1)
			fatalx("device name too long");
	} else if (str_copy(fg->dev, arg, sizeof(fg->dev)) == -1)
		fatalx("device name too long");
	(void)str_copy(tmp, fg->dev, sizeof(tmp));
	if (str_copy(fg->name, basename(tmp), sizeof(fg->name)) == -1 ||
	    !spool_name_ok(fg->name))
		fatalx("bad device name %s", arg);
}

static void
options(int argc, char **argv, struct conf_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, CONF_GETOPT)) != -1)
		if (conf_opt(o, ch, optarg) == -1)
			usage();
	if (argc - optind != 1 && !o->check_only)
		usage();
}

static void
on_fifo(char *line, void *arg)
{
	struct fg *fg = arg;
	char *verb, *id;

	if (fifo_split(line, &verb, &id) == -1 || strcmp(verb, "send") != 0 ||
	    !id_valid(id)) {
		log_warnx("dev=%s ignoring FIFO line", fg->name);
		return;
	}
	for (int i = 0; i < fg->nsendq; i++)
		if (strcmp(fg->sendq[i], id) == 0)
			return;		/* merged with the one waiting */
	if (fg->nsendq == (int)(sizeof(fg->sendq) / sizeof(fg->sendq[0]))) {
		log_warnx("id=%s dev=%s busy, queued will ask again", id,
		    fg->name);
		return;
	}
	(void)str_copy(fg->sendq[fg->nsendq++], id, ID_SIZE);
}

/* the modem is unusable: report it and try again after a pause */
static void
modem_ready(struct fg *fg)
{
	long wait = 1;

	while (!stop) {
		if (modem_setup(fg) == 0) {
			fg->ok = 1;
			fg_status(fg, "state=idle");
			return;
		}
		fg->ok = 0;
		fg_status(fg, "state=down retry=%ld", wait);
		log_warnx("dev=%s modem not ready, retrying in %ld s",
		    fg->name, wait);
		for (long i = 0; i < wait * 10 && !stop; i++)
			(void)poll(NULL, 0, 100);
		wait = wait * 2 > fg->conf->modem_retry_max ?
		    fg->conf->modem_retry_max : wait * 2;
	}
}

struct rings {
	int	 n;
	int	 refused;	/* junk: not answered, rings ignored */
	int64_t	 last;
	char	 info[1024];
};

/* lines the idle modem prints: caller id lines, then RING */
static void
idle_line(struct fg *fg, struct rings *rg, const char *line)
{
	if (at_classify(line) == AT_RING) {
		rg->n++;
		rg->last = at_clock_ms();
		if (rg->refused)
			return;
		log_info("dev=%s ring=%d", fg->name, rg->n);
		if (fg->conf->rings_before_answer > 0) {
			fg_status(fg, "state=ringing rings=%d", rg->n);
			if (rg->n >= fg->conf->rings_before_answer &&
			    recv_refused(fg, rg->info)) {
				rg->refused = 1;
				fg_status(fg, "state=idle");
			} else if (rg->n >= fg->conf->rings_before_answer) {
				(void)recv_call(fg, rg->info);
				memset(rg, 0, sizeof(*rg));
				modem_ready(fg);
			}
		}
		return;
	}
	if (strchr(line, '=') != NULL) {
		rg->last = at_clock_ms();
		ring_note(rg->info, sizeof(rg->info), line);
	}
}

static void
loop(struct fg *fg)
{
	struct pollfd pfd[2];
	struct rings rg;
	char line[AT_LINEMAX];

	memset(&rg, 0, sizeof(rg));
	while (!stop) {
		if (!fg->ok)
			modem_ready(fg);
		if (fg->nsendq > 0 && rg.n == 0) {
			char id[ID_SIZE];

			(void)str_copy(id, fg->sendq[0], sizeof(id));
			memmove(fg->sendq[0], fg->sendq[1],
			    (size_t)--fg->nsendq * sizeof(fg->sendq[0]));
			(void)send_job(fg, id);
			modem_ready(fg);
			continue;
		}
		pfd[0].fd = fg->at.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = fg->fifofd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 1000) == -1 && errno != EINTR)
			fatal("poll");
		if (pfd[1].revents & POLLIN)
			(void)fifo_read(fg->fifofd, &fg->fr, on_fifo, fg);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR) &&
		    at_fill(&fg->at, 0) == -1) {
			log_warnx("dev=%s modem closed", fg->name);
			fg->ok = 0;
			at_drain(&fg->at);
			(void)poll(NULL, 0, 1000);
		}
		while (at_getline(&fg->at, line, sizeof(line)) == 1)
			idle_line(fg, &rg, line);
		/* a caller who gave up: RING stops for good after 8 s;
		 * caller id lines with no RING after them are stale too */
		if ((rg.n > 0 || rg.info[0] != '\0') &&
		    at_clock_ms() - rg.last > 8000)
			memset(&rg, 0, sizeof(rg));
	}
}

/* root phase: lock and device; then the drop; then the spool and FIFO */
static void
start(struct fg *fg, const struct conf *conf)
{
	if (lock_take(fg->conf->lock_dir, fg->name, fg->lock,
	    sizeof(fg->lock)) == -1)
		fatal("dev=%s lock %s/LCK..%s", fg->name, fg->conf->lock_dir,
		    fg->name);
	if (at_open(&fg->at, fg->dev) == -1) {
		lock_release(fg->lock);
		fatal("dev=%s open %s", fg->name, fg->dev);
	}
	fg->at.trace = log_getverbose() > 1;
	if (privdrop(conf->user, conf->modem_group, NULL) == -1)
		fatal("privdrop %s", conf->user);
	if (privdrop_is_root())
		fatalx("privdrop: root still reachable");
	if ((fg->sp = spool_open(conf->spool)) == NULL)
		fatal("spool %s", conf->spool);
	if (path_fmt(fg->fifo, sizeof(fg->fifo), "%s/FIFO.%s", conf->spool,
	    fg->name) == -1 || fifo_make(fg->fifo, 0620) == -1 ||
	    (fg->fifofd = fifo_listen(fg->fifo)) == -1)
		fatal("dev=%s FIFO %s", fg->name, fg->fifo);
}

int
main(int argc, char **argv)
{
	struct conf_opts o;
	struct conf conf;
	struct fg fg;

	memset(&fg, 0, sizeof(fg));
	fg.fifofd = -1;
	options(argc, argv, &o);
	conf_set_check(faxrules_conf_check);
	conf_startup(&conf, &o, "faxgetty");
	device_names(&fg, argv[optind]);
	fg.conf = &conf;
	fg.stop = &stop;
	log_init("faxgetty", o.foreground, LOG_DAEMON);
	log_setverbose(o.verbose);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	start(&fg, &conf);
	log_info("dev=%s started pid=%ld", fg.name, (long)getpid());
	loop(&fg);
	modem_hangup(&fg);
	fg_status(&fg, "state=stopped");
	lock_release(fg.lock);
	spool_close(fg.sp);
	at_close(&fg.at);
	log_info("dev=%s stopped", fg.name);
	return 0;
}
