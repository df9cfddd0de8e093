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
	fprintf(stderr, "usage: smtpd [-dnv] [-c smtpd.conf] [-f conf] "
	    "[-s spool]\n"
	    "       smtpd -a name [-H per_hour] [-P numbers] [-R max_rcpts] "
	    "[-c smtpd.conf] < password\n");
	exit(EXIT_CONFIG);
}

static void
load_sconf(struct sconf *sc, const char *path)
{
	char err[4096];

	sconf_defaults(sc);
	if (path != NULL && sconf_load(sc, path, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s", err);
		exit(EXIT_CONFIG);
	}
	if (tls_version_parse(sc->tls_min_version) == -1 ||
	    tls_verify_parse(sc->tls_verify_client) == -1) {
		fprintf(stderr, "smtpd: tls_min_version must be 1.2 or 1.3, "
		    "tls_verify_client none, optional or require\n");
		exit(EXIT_CONFIG);
	}
}

/* the root-only part: key, accounts, certificate map, sockets */
static void
setup_root(struct server *srv)
{
	const struct sconf *sc = srv->sc;
	struct tls_server_opts to = { sc->tls_cert_file, sc->tls_key_file,
	    sc->tls_ca_file, sc->tls_ciphers,
	    tls_version_parse(sc->tls_min_version),
	    tls_verify_parse(sc->tls_verify_client) };
	char err[1024];

	if ((srv->ssl_ctx = tls_server_ctx(&to, err, sizeof(err))) == NULL)
		fatalx("tls: %s", err);
	if (accounts_load(&srv->accounts, sc->accounts_file, err,
	    sizeof(err)) == -1)
		fatalx("accounts: %s", err);
	if (sc->tls_client_map[0] != '\0' &&
	    certmap_load(srv, sc->tls_client_map, err, sizeof(err)) == -1)
		fatalx("tls_client_map: %s", err);
	if ((srv->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if (listener_open(srv, sc->smtpd_listen_starttls, 0, err,
	    sizeof(err)) == -1 ||
	    listener_open(srv, sc->smtpd_listen_tls, 1, err, sizeof(err)) == -1)
		fatalx("listen: %s", err);
}

static void
setup_server(struct server *srv, const struct conf *c, const struct sconf *sc)
{
	struct rlimit rl;

	memset(srv, 0, sizeof(*srv));
	srv->conf = c;
	srv->sc = sc;
	TAILQ_INIT(&srv->sessions);
	if (c->hostname[0] != '\0')
		snprintf(srv->hostname, sizeof(srv->hostname), "%s", c->hostname);
	else if (gethostname(srv->hostname, sizeof(srv->hostname) - 1) == -1)
		snprintf(srv->hostname, sizeof(srv->hostname), "localhost");
	srv->dialplan = (struct dialplan){ sc->dial_country_code,
	    sc->dial_national_prefix, sc->dial_international_prefix,
	    sc->dial_prefix, (int)sc->dial_international, sc->dial_allow,
	    sc->dial_deny };
	if (path_fmt(srv->fifo, sizeof(srv->fifo), "%s/FIFO", c->spool) == -1)
		fatalx("spool path too long");
	/* 500+ sessions need descriptors: take what the hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (sc->fax_domains[0] == '\0')
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

static void
run(struct server *srv)
{
	struct event *term, *intr;

	signal(SIGPIPE, SIG_IGN);
	term = evsignal_new(srv->base, SIGTERM, stop_cb, srv->base);
	intr = evsignal_new(srv->base, SIGINT, stop_cb, srv->base);
	if (term == NULL || intr == NULL || evsignal_add(term, NULL) == -1 ||
	    evsignal_add(intr, NULL) == -1)
		fatalx("signal events");
	log_info("started hostname=%s starttls=%s tls=%s", srv->hostname,
	    srv->sc->smtpd_listen_starttls, srv->sc->smtpd_listen_tls);
	event_base_dispatch(srv->base);
	session_close_all(srv);
	listener_close_all();
	event_free(term);
	event_free(intr);
}

static void
parse_args(int argc, char *argv[], struct conf_opts *o, const char **sconf,
    struct addopts *a)
{
	const char *errstr = NULL;
	int ch;

	while ((ch = getopt(argc, argv, CONF_GETOPT "a:c:H:P:R:")) != -1) {
		if (ch == 'a')
			a->name = optarg;
		else if (ch == 'c')
			*sconf = optarg;
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
	const char *sconf_path = NULL;
	struct server srv;
	struct sconf sc;
	struct conf c;

	parse_args(argc, argv, &o, &sconf_path, &a);
	load_sconf(&sc, sconf_path);
	if (a.name != NULL)
		return passwd_add(&sc, a.name, a.numbers, a.max_rcpts,
		    a.per_hour) == 0 ? 0 : 1;
	conf_startup(&c, &o, "smtpd");
	log_init("smtpd", o.foreground, LOG_MAIL);
	log_setverbose(o.verbose);
	setup_server(&srv, &c, &sc);
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
	run(&srv);
	spool_close(srv.spool);
	auth_free(&srv);
	SSL_CTX_free(srv.ssl_ctx);
	event_base_free(srv.base);
	return 0;
}
