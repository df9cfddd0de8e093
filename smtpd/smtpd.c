/*
 * smtpd: rampart's SMTP intake.  main() and start-up: options, config,
 * the root-only steps (bind, read the key, the accounts and the client
 * certificate map), the drop to smtp_user, spool checks, then the event
 * loop.  It refuses to serve a single client as root.
 */
#include <sys/resource.h>
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "authpool.h"
#include "config.h"
#include "log.h"
#include "path.h"
#include "privdrop.h"
#include "smtpd.h"
#include "spool.h"
#include "tls.h"

struct addopts {
	const char	*name;		/* -a */
	const char	*numbers;	/* -P */
	long		 max_rcpts;	/* -R */
	long		 per_hour;	/* -H */
};

static void
usage(void)
{
	fprintf(stderr, "usage: smtpd [-dnv] [-f conf] [-s spool]\n"
	    "       smtpd -a name [-H per_hour] [-P numbers] [-R max_rcpts] "
	    "[-f conf] < password\n");
	exit(EXIT_CONFIG);
}

/* the root-only part: key, accounts, certificate map, sockets */
static void
setup_root(struct server *srv)
{
	const struct conf *c = srv->conf;
	struct tls_server_opts to = { c->tls_cert_file, c->tls_key_file,
	    c->tls_ca_file, c->tls_ciphers,
	    tls_version_parse(c->tls_min_version),
	    tls_verify_parse(c->tls_verify_client) };
	char err[1024];

	if ((srv->ssl_ctx = tls_server_ctx(&to, err, sizeof(err))) == NULL)
		fatalx("tls: %s", err);
	if (accounts_load(&srv->accounts, c->accounts_file, err,
	    sizeof(err)) == -1)
		fatalx("accounts: %s", err);
	if (c->tls_client_map[0] != '\0' &&
	    certmap_load(srv, c->tls_client_map, err, sizeof(err)) == -1)
		fatalx("tls_client_map: %s", err);
	if ((srv->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if (listener_open(srv, c->smtpd_listen_starttls, 0, err,
	    sizeof(err)) == -1 ||
	    listener_open(srv, c->smtpd_listen_tls, 1, err, sizeof(err)) == -1)
		fatalx("listen: %s", err);
}

static void
setup_server(struct server *srv, const struct conf *c)
{
	struct rlimit rl;

	memset(srv, 0, sizeof(*srv));
	srv->conf = c;
	TAILQ_INIT(&srv->sessions);
	if (c->hostname[0] != '\0')
		snprintf(srv->hostname, sizeof(srv->hostname), "%s", c->hostname);
	else if (gethostname(srv->hostname, sizeof(srv->hostname) - 1) == -1)
		snprintf(srv->hostname, sizeof(srv->hostname), "localhost");
	srv->dialplan = (struct dialplan){ c->dial_country_code,
	    c->dial_national_prefix, c->dial_international_prefix,
	    c->dial_prefix, (int)c->dial_international, c->dial_allow,
	    c->dial_deny };
	if (path_fmt(srv->fifo, sizeof(srv->fifo), "%s/FIFO", c->spool) == -1)
		fatalx("spool path too long");
	/* 500+ sessions need descriptors: take what the hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (c->fax_domains[0] == '\0')
		log_warnx("fax_domains is empty: every recipient is refused");
}

static void
setup_spool(struct server *srv, const struct conf *c,
    const struct spool_owners *own)
{
	char err[4096];

	if (spool_check(c->spool, own, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s", err);
		fatalx("spool %s: wrong layout, owners or modes", c->spool);
	}
	if ((srv->spool = spool_open(c->spool)) == NULL)
		fatal("spool_open %s", c->spool);
	/* a crash mid-DATA leaves incoming/tmp files no one will finish */
	if (spool_clean_tmp(srv->spool, "incoming", 0) == -1)
		log_warn("cleaning incoming/tmp");
}

static void
stop_cb(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	log_info("stopping on signal %d", (int)sig);
	event_base_loopbreak(arg);
}

/* SIGHUP: read the accounts file again now, changed or not */
static void
hup_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct server *srv = arg;

	(void)sig;
	(void)ev;
	memset(&srv->accounts.mtime, 0, sizeof(srv->accounts.mtime));
	accounts_reload(srv);
}

static void
run(struct server *srv)
{
	struct event *term, *intr, *hup;

	signal(SIGPIPE, SIG_IGN);
	term = evsignal_new(srv->base, SIGTERM, stop_cb, srv->base);
	intr = evsignal_new(srv->base, SIGINT, stop_cb, srv->base);
	hup = evsignal_new(srv->base, SIGHUP, hup_cb, srv);
	if (term == NULL || intr == NULL || hup == NULL ||
	    evsignal_add(term, NULL) == -1 || evsignal_add(intr, NULL) == -1 ||
	    evsignal_add(hup, NULL) == -1)
		fatalx("signal events");
	log_info("started hostname=%s starttls=%s tls=%s", srv->hostname,
	    srv->conf->smtpd_listen_starttls, srv->conf->smtpd_listen_tls);
	event_base_dispatch(srv->base);
	session_close_all(srv);
	listener_close_all();
	event_free(term);
	event_free(intr);
	event_free(hup);
}

static void
parse_args(int argc, char *argv[], struct conf_opts *o, struct addopts *a)
{
	const char *errstr = NULL;
	int ch;

	while ((ch = getopt(argc, argv, CONF_GETOPT "a:H:P:R:")) != -1) {
		if (ch == 'a')
			a->name = optarg;
		else if (ch == 'P')
			a->numbers = optarg;
		else if (ch == 'H' || ch == 'R') {
			long v = strtol(optarg, NULL, 10);

			if (strspn(optarg, "0123456789") != strlen(optarg) ||
			    *optarg == '\0' || v > 1000000)
				errstr = optarg;
			*(ch == 'H' ? &a->per_hour : &a->max_rcpts) = v;
		} else if (conf_opt(o, ch, optarg) == -1)
			usage();
	}
	if (optind != argc || errstr != NULL)
		usage();
}

int
main(int argc, char *argv[])
{
	struct addopts a = { NULL, "*", 0, 0 };
	struct conf_opts o = { 0 };
	struct spool_owners own;
	struct server srv;
	struct conf c;
	char err[256];

	/* a password hashing process started by authpool.c, never root */
	if (argc == 2 && strcmp(argv[1], "-W") == 0) {
		if (geteuid() == 0 || getuid() == 0)
			return EXIT_CONFIG;
		authpool_worker(3);
	}
	parse_args(argc, argv, &o, &a);
	conf_startup(&c, &o, "smtpd");
	if (a.name != NULL)
		return passwd_add(&c, a.name, a.numbers, a.max_rcpts,
		    a.per_hour) == 0 ? 0 : 1;
	log_init("smtpd", o.foreground, LOG_MAIL);
	log_setverbose(o.verbose);
	setup_server(&srv, &c);
	if (spool_owners_get(&own, c.user, c.smtp_user) == -1)
		fatal("users %s and %s", c.user, c.smtp_user);
	setup_root(&srv);
	if (!o.foreground && daemon(0, 0) == -1)
		fatal("daemon");
	/* groups and gid first: once the uid is dropped they cannot change */
	if (privdrop(c.smtp_user, NULL, NULL) == -1)
		fatal("privdrop %s", c.smtp_user);
	if (privdrop_is_root() || setuid(0) != -1)
		fatalx("refusing to run as root");
	setup_spool(&srv, &c, &own);
	/* hashing processes only now: after the drop, never root */
	if (auth_pool_start(&srv, err, sizeof(err)) == -1)
		fatalx("password checking processes: %s", err);
	run(&srv);
	auth_pool_stop(&srv);
	spool_close(srv.spool);
	auth_free(&srv);
	SSL_CTX_free(srv.ssl_ctx);
	event_base_free(srv.base);
	return 0;
}
