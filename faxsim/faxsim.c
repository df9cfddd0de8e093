/*
 * faxsim: the simulated phone line (faxsim(8)).  main() sets up the
 * modems, the control socket and the result file, then runs the one
 * poll loop: host and control I/O as it comes, and a 20 ms audio tick
 * on the monotonic clock, --speed times faster if asked.  A test tool:
 * it runs as whoever starts it and reads no rampart configuration.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

#define MAXCATCHUP	25	/* ticks run at once before the clock slips */

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
	fprintf(stderr, "usage: faxsim [-dFv] -D dir [-n modems] [-S speed] "
	    "[-c socket] [-r results] [-f scenario] [-p pidfile]\n"
	    "       faxsim -c socket -x command\n");
	exit(64);
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
scenario(struct sim *sim, const char *path)
{
	char line[1024], rep[1024];
	FILE *fp;
	int n = 0;

	if ((fp = fopen(path, "r")) == NULL)
		fatal("%s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		ctl_command(sim, line, rep, sizeof(rep));
		if (strncmp(rep, "OK", 2) != 0)
			fatalx("%s:%d: %s", path, n, rep);
	}
	(void)fclose(fp);
}

static void
write_pid(const char *path)
{
	char buf[32];
	int fd, n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    write(fd, buf, (size_t)n) != n || close(fd) == -1)
		fatal("%s", path);
}

/* one pollfd per control connection and per modem with a host */
static nfds_t
poll_set(struct sim *sim, struct pollfd *p, void **who)
{
	nfds_t n = 0;
	int i;

	p[n].fd = sim->ctlfd;
	p[n].events = POLLIN;
	who[n++] = NULL;
	for (i = 0; i < SIM_MAXCONNS; i++)
		if (sim->conns[i].fd != -1) {
			p[n].fd = sim->conns[i].fd;
			p[n].events = POLLIN;
			who[n++] = &sim->conns[i];
		}
	for (i = 0; i < sim->nmodems; i++) {
		struct modem *m = &sim->modems[i];

		if (m->hup)
			continue;
		p[n].fd = m->fd;
		p[n].events = 0;
		if (m->inlen - m->inoff < SIM_INMAX)
			p[n].events |= POLLIN;
		if (m->outlen > 0)
			p[n].events |= POLLOUT;
		who[n++] = m;
	}
	return n;
}

static void
poll_done(struct sim *sim, struct pollfd *p, void **who, nfds_t n)
{
	nfds_t i;

	if (p[0].revents & POLLIN)
		ctl_accept(sim);
	for (i = 1; i < n; i++) {
		if (p[i].revents == 0)
			continue;
		if ((char *)who[i] >= (char *)sim->conns &&
		    (char *)who[i] < (char *)(sim->conns + SIM_MAXCONNS)) {
			ctl_read(sim, who[i]);
			continue;
		}
		if (p[i].revents & POLLOUT)
			modem_flush(who[i]);
		if (p[i].revents & POLLIN)
			modem_read(who[i]);
		else if (p[i].revents & (POLLHUP | POLLERR))
			modem_gone(who[i]);
	}
}

static void
check_hosts(struct sim *sim)
{
	int i;

	for (i = 0; i < sim->nmodems; i++)
		if (sim->modems[i].hup)
			modem_check_hup(&sim->modems[i]);
}

static void
loop(struct sim *sim)
{
	struct pollfd p[SIM_MAXMODEMS + SIM_MAXCONNS + 1];
	void *who[SIM_MAXMODEMS + SIM_MAXCONNS + 1];
	struct timespec ts;
	int64_t fast, tick, next, now, lastcheck = 0, wait;
	nfds_t n;
	int k;

	fast = (int64_t)(20000000.0 / sim->speed);
	tick = fast;
	next = mono_ns() + tick;
	while (!stop && !sim->quit) {
		n = poll_set(sim, p, who);
		wait = next - mono_ns();
		if (wait < 0)
			wait = 0;
		ts.tv_sec = wait / 1000000000;
		ts.tv_nsec = wait % 1000000000;
		if (ppoll(p, n, &ts, NULL) == -1 && errno != EINTR)
			fatal("ppoll");
		poll_done(sim, p, who, n);
		now = mono_ns();
		for (k = 0; now >= next && k < MAXCATCHUP; k++) {
			sim->now += SIM_TICK;
			call_tick(sim);
			/* a host's turn runs at real speed (line.c) */
			tick = fast;
			if (sim->speed > 1 && !sim->flat && call_held(sim))
				tick = 20000000;
			next += tick;
		}
		if (now >= next + tick * MAXCATCHUP) {
			log_debug("clock slipped %lld ms", (long long)
			    ((now - next) / 1000000));
			next = now + tick;
		}
		if (now - lastcheck > 100000000) {
			check_hosts(sim);
			lastcheck = now;
		}
	}
}

static void
shutdown_line(struct sim *sim)
{
	struct route *r;
	struct call *c;
	int i;

	for (c = sim->calls; c != NULL; c = c->next)
		call_end(sim, c, "faxsim-stopped");
	call_tick(sim);		/* frees the ended calls */
	for (i = 0; i < sim->nmodems; i++)
		modem_close(&sim->modems[i]);
	while ((r = sim->routes) != NULL) {
		sim->routes = r->next;
		free(r);
	}
	for (i = 0; i < SIM_MAXCONNS; i++)
		if (sim->conns[i].fd != -1)
			(void)close(sim->conns[i].fd);
}

static void
setup(struct sim *sim, const char *ctlpath, const char *respath)
{
	int i;

	if (mkdir(sim->dir, 0755) == -1 && errno != EEXIST)
		fatal("%s", sim->dir);
	for (i = 0; i < sim->nmodems; i++)
		if (modem_open(sim, &sim->modems[i], i) == -1)
			fatal("modem %d", i);
	if ((sim->ctlfd = ctl_listen(ctlpath)) == -1)
		fatal("control socket %s", ctlpath);
	if ((sim->resfd = open(respath, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) == -1)
		fatal("%s", respath);
	for (i = 0; i < SIM_MAXCONNS; i++)
		sim->conns[i].fd = -1;
	ctl_defaults(&sim->deflt);
}

struct opts {
	const char	*ctlpath, *respath, *scen, *pidfile, *cmd;
	int		 fg;
};

static void
parse_opts(int argc, char *argv[], struct sim *sim, struct opts *o)
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:D:dFf:n:p:r:S:vx:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->ctlpath = optarg; break;
		case 'D': sim->dir = optarg; break;
		case 'd': o->fg = 1; break;
		case 'F': sim->flat = 1; break;
		case 'f': o->scen = optarg; break;
		case 'n':
			sim->nmodems = (int)strtol(optarg, &end, 10);
			if (*end || sim->nmodems < 1 ||
			    sim->nmodems > SIM_MAXMODEMS)
				usage();
			break;
		case 'p': o->pidfile = optarg; break;
		case 'r': o->respath = optarg; break;
		case 'S':
			sim->speed = strtod(optarg, &end);
			if (*end || sim->speed < 0.1 || sim->speed > 100)
				usage();
			break;
		case 'v': sim->verbose++; break;
		case 'x': o->cmd = optarg; break;
		default: usage();
		}
	}
	if (argc != optind)
		usage();
}

/* DIR/name into buf unless the option gave a path */
static const char *
in_dir(const struct sim *sim, const char *given, char *buf, size_t size,
    const char *name)
{
	if (given != NULL)
		return given;
	if (path_fmt(buf, size, "%s/%s", sim->dir, name) == -1)
		fatalx("directory name too long");
	return buf;
}

int
main(int argc, char *argv[])
{
	static struct sim sim;
	struct opts o = { NULL, NULL, NULL, NULL, NULL, 0 };
	char ctlbuf[PATH_MAX], resbuf[PATH_MAX];

	sim.nmodems = 2;
	sim.speed = 1.0;
	parse_opts(argc, argv, &sim, &o);
	if (o.cmd != NULL) {
		if (o.ctlpath == NULL)
			usage();
		return ctl_client(o.ctlpath, o.cmd);
	}
	if (sim.dir == NULL)
		usage();
	log_init("faxsim", o.fg, LOG_DAEMON);
	log_setverbose(sim.verbose);
	log_setexit(1);
	o.ctlpath = in_dir(&sim, o.ctlpath, ctlbuf, sizeof(ctlbuf), "control");
	o.respath = in_dir(&sim, o.respath, resbuf, sizeof(resbuf), "results");
	setup(&sim, o.ctlpath, o.respath);
	if (o.scen != NULL)
		scenario(&sim, o.scen);
	(void)signal(SIGPIPE, SIG_IGN);
	(void)signal(SIGINT, on_signal);
	(void)signal(SIGTERM, on_signal);
	if (o.pidfile != NULL)
		write_pid(o.pidfile);
	log_info("ready dir=%s modems=%d speed=%g%s", sim.dir, sim.nmodems,
	    sim.speed, sim.flat ? " flat" : "");
	loop(&sim);
	shutdown_line(&sim);
	(void)unlink(o.ctlpath);
	if (o.pidfile != NULL)
		(void)unlink(o.pidfile);
	return 0;
}
