/*
 * notifyd: rampart's outbound mail agent.  main() and the event loop:
 * options and config, the root-only steps (the client key, the relay
 * password, the policy map), the drop to the rampart user, spool checks,
 * recovery of notify/cur, then wake-ups from FIFO.notifyd ("notify ID"),
 * a rescan timer and the children's results.  It never sends as root.
 */
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "config.h"
#include "fifo.h"
#include "log.h"
#include "notifyd.h"
#include "path.h"
#include "privdrop.h"
#include "spool.h"
#include "tls.h"

static void
usage(void)
{
	fprintf(stderr, "usage: notifyd [-dnv] [-f conf] [-o key=value] "
	    "[-s spool]\n");
	exit(EXIT_CONFIG);
}

static void
read_password(struct notifyd *nd, const char *path)
{
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		fatal("relay_auth_password_file %s", path);
	if (fgets(nd->auth_pass, sizeof(nd->auth_pass), f) == NULL)
		fatalx("relay_auth_password_file %s: empty", path);
	fclose(f);
	nd->auth_pass[strcspn(nd->auth_pass, "\r\n")] = '\0';
}

/* the root-only part: client key, relay password, policy map */
static void
setup_root(struct notifyd *nd, const struct conf *c)
{
	char err[1024];
	int l;

	if ((nd->ssl_ctx = tls_client_ctx(TLS1_2_VERSION, c->smtp_tls_ca_file,
	    err, sizeof(err))) == NULL)
		fatalx("tls: %s", err);
	if ((c->smtp_tls_cert_file[0] != '\0') !=
	    (c->smtp_tls_key_file[0] != '\0'))
		fatalx("smtp_tls_cert_file and smtp_tls_key_file go together");
	if (c->smtp_tls_cert_file[0] != '\0' &&
	    (!SSL_CTX_use_certificate_chain_file(nd->ssl_ctx,
	    c->smtp_tls_cert_file) || !SSL_CTX_use_PrivateKey_file(nd->ssl_ctx,
	    c->smtp_tls_key_file, SSL_FILETYPE_PEM) ||
	    !SSL_CTX_check_private_key(nd->ssl_ctx)))
		fatalx("client certificate %s or key %s unusable",
		    c->smtp_tls_cert_file, c->smtp_tls_key_file);
	if (c->relay_auth_user[0] != '\0') {
		if (c->relayhost[0] == '\0')
			fatalx("relay_auth_user needs relayhost");
		if (c->relay_auth_password_file[0] == '\0')
			fatalx("relay_auth_user needs relay_auth_password_file");
		read_password(nd, c->relay_auth_password_file);
	}
	if ((l = policy_parse_level(c->smtp_tls_policy)) == -1 ||
	    l == TLS_FINGERPRINT)
		fatalx("smtp_tls_policy %s: fingerprint is for "
		    "smtp_tls_policy_map entries", c->smtp_tls_policy);
	nd->defpol.level = l;
	if (c->smtp_tls_policy_map[0] != '\0' && policy_map_load(&nd->map,
	    c->smtp_tls_policy_map, err, sizeof(err)) == -1)
		fatalx("smtp_tls_policy_map: %s", err);
}

static void
setup_spool(struct notifyd *nd, const struct conf *c,
    const struct spool_owners *own)
{
	char err[4096], fifo[PATH_MAX];

	if (spool_check(c->spool, own, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s", err);
		fatalx("spool %s: wrong layout, owners or modes", c->spool);
	}
	if ((nd->spool = spool_open(c->spool)) == NULL)
		fatal("spool_open %s", c->spool);
	/* an alert half-written in a crash; queued's own are younger */
	if (spool_clean_tmp(nd->spool, "notify", 86400) == -1)
		log_warn("cleaning notify/tmp");
	if (path_fmt(fifo, sizeof(fifo), "%s/FIFO.notifyd", c->spool) == -1)
		fatalx("spool path too long");
	if (fifo_make(fifo, 0620) == -1 ||
	    (nd->fifo_fd = fifo_listen(fifo)) == -1)
		fatal("%s", fifo);
}

static void
fifo_line(char *line, void *arg)
{
	struct notifyd *nd = arg;
	char *verb, *id;

	if (fifo_split(line, &verb, &id) == -1 || strcmp(verb, "notify") != 0 ||
	    !id_valid(id)) {
		log_warnx("FIFO.notifyd: ignoring a line that is not "
		    "\"notify ID\"");
		return;
	}
	queue_add(nd, id);
}

static void
fifo_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct notifyd *nd = arg;

	(void)ev;
	if (fifo_read(fd, nd->fifo_rd, fifo_line, nd) == -1)
		log_warn("FIFO.notifyd");
	queue_run(nd);
}

static void
timer_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	queue_run(arg);
}

static void
rescan_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	queue_scan(arg);
}

static void
stop_cb(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	log_info("stopping on signal %d", (int)sig);
	event_base_loopbreak(arg);
}

static void
run(struct notifyd *nd)
{
	struct timeval tv = { nd->conf->rescan_interval, 0 };
	struct event *term, *intr;
	struct fifo_reader rd = { .len = 0 };

	signal(SIGPIPE, SIG_IGN);
	nd->fifo_rd = &rd;
	if ((nd->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	term = evsignal_new(nd->base, SIGTERM, stop_cb, nd->base);
	intr = evsignal_new(nd->base, SIGINT, stop_cb, nd->base);
	nd->wake = evtimer_new(nd->base, timer_cb, nd);
	nd->flush = evtimer_new(nd->base, queue_flush, nd);
	nd->rescan = event_new(nd->base, -1, EV_PERSIST, rescan_cb, nd);
	nd->fifo_ev = event_new(nd->base, nd->fifo_fd, EV_READ | EV_PERSIST,
	    fifo_cb, nd);
	if (term == NULL || intr == NULL || nd->wake == NULL ||
	    nd->flush == NULL ||
	    nd->rescan == NULL || nd->fifo_ev == NULL ||
	    evsignal_add(term, NULL) == -1 || evsignal_add(intr, NULL) == -1 ||
	    event_add(nd->rescan, &tv) == -1 ||
	    event_add(nd->fifo_ev, NULL) == -1)
		fatalx("events");
	log_info("started hostname=%s relayhost=%s policy=%s parallel=%ld",
	    nd->hostname, nd->conf->relayhost[0] ? nd->conf->relayhost : "-",
	    nd->conf->smtp_tls_policy, nd->conf->notifyd_max_parallel);
	queue_scan(nd);
	event_base_dispatch(nd->base);
	queue_stop(nd);
	event_free(term);
	event_free(intr);
	event_free(nd->wake);
	event_free(nd->flush);
	event_free(nd->rescan);
	event_free(nd->fifo_ev);
	event_base_free(nd->base);
}

static void
cleanup(struct notifyd *nd)
{
	struct entry *e;

	while ((e = TAILQ_FIRST(&nd->entries)) != NULL) {
		TAILQ_REMOVE(&nd->entries, e, link);
		entry_free(e);
	}
	policy_map_free(&nd->map);
	SSL_CTX_free(nd->ssl_ctx);
	spool_close(nd->spool);
	close(nd->fifo_fd);
	OPENSSL_cleanse(nd->auth_pass, sizeof(nd->auth_pass));
}

int
main(int argc, char *argv[])
{
	struct conf_opts o = { 0 };
	struct spool_owners own;
	struct notifyd nd;
	struct conf c;
	int ch, check;

	while ((ch = getopt(argc, argv, CONF_GETOPT)) != -1)
		if (conf_opt(&o, ch, optarg) == -1)
			usage();
	if (optind != argc)
		usage();
	/* -n also checks what only notifyd reads: the map, the key */
	check = o.check_only;
	o.check_only = 0;
	conf_startup(&c, &o, "notifyd");
	log_init("notifyd", o.foreground || check, LOG_MAIL);
	log_setverbose(o.verbose);
	memset(&nd, 0, sizeof(nd));
	nd.conf = &c;
	nd.fifo_fd = -1;
	TAILQ_INIT(&nd.entries);
	TAILQ_INIT(&nd.batches);
	TAILQ_INIT(&nd.finishing);
	if (c.hostname[0] != '\0')
		snprintf(nd.hostname, sizeof(nd.hostname), "%s", c.hostname);
	else if (gethostname(nd.hostname, sizeof(nd.hostname) - 1) == -1)
		snprintf(nd.hostname, sizeof(nd.hostname), "localhost");
	setup_root(&nd, &c);
	if (check) {
		printf("notifyd: configuration %s OK\n", o.conf_file ?
		    o.conf_file : access(CONF_DEFAULT_PATH, F_OK) == 0 ?
		    CONF_DEFAULT_PATH : "(defaults)");
		cleanup(&nd);
		return 0;
	}
	if (spool_owners_get(&own, c.user, c.smtp_user) == -1)
		fatal("users %s and %s", c.user, c.smtp_user);
	if (!o.foreground && daemon(0, 0) == -1)
		fatal("daemon");
	/* groups and gid first: once the uid is dropped they cannot change */
	if (privdrop(c.user, NULL, NULL) == -1)
		fatal("privdrop %s", c.user);
	if (privdrop_is_root() || setuid(0) != -1)
		fatalx("refusing to run as root");
	setup_spool(&nd, &c, &own);
	run(&nd);
	cleanup(&nd);
	return 0;
}
