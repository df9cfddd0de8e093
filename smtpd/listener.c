/*
 * listener: smtpd's listening sockets.  Binds the addresses of
 * smtpd_listen_starttls and smtpd_listen_tls while still root, and hands
 * each accepted connection to session_new().  Never reads from a client.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "smtpd.h"

#define LISTENERS_MAX	16

struct listener {
	struct server		*srv;
	struct evconnlistener	*lev;
	struct event		*pause;	/* re-enables after EMFILE */
	int			 implicit_tls;
};

static struct listener listeners[LISTENERS_MAX];
static size_t nlisteners;

static void
accept_cb(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener *l = arg;

	(void)lev;
	(void)salen;
	session_new(l->srv, fd, sa, l->implicit_tls);
}

static void
resume_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct listener *l = arg;

	(void)fd;
	(void)ev;
	evconnlistener_enable(l->lev);
}

/* out of descriptors: stop accepting for a second instead of spinning */
static void
error_cb(struct evconnlistener *lev, void *arg)
{
	struct listener *l = arg;
	struct timeval tv = { 1, 0 };

	log_warn("accept");
	evconnlistener_disable(lev);
	evtimer_add(l->pause, &tv);
}

/* "host:port", "[v6]:port" or ":port" into host and port */
static int
split(char *item, char **host, char **port)
{
	char *colon;

	if (item[0] == '[') {
		if ((colon = strstr(item, "]:")) == NULL)
			return -1;
		*colon = '\0';
		*host = item + 1;
		*port = colon + 2;
		return 0;
	}
	if ((colon = strrchr(item, ':')) == NULL)
		return -1;
	*colon = '\0';
	*host = item[0] ? item : NULL;
	*port = colon + 1;
	return 0;
}

static int
bind_one(struct server *srv, char *item, int implicit_tls, char *err,
    size_t errsz)
{
	struct addrinfo hints = { 0 }, *res;
	struct listener *l;
	char *host, *port;
	int rc;

	if (split(item, &host, &port) == -1 || *port == '\0') {
		snprintf(err, errsz, "bad listen address \"%s\"", item);
		return -1;
	}
	if (nlisteners == LISTENERS_MAX) {
		snprintf(err, errsz, "more than %d listen addresses", LISTENERS_MAX);
		return -1;
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errsz, "%s:%s: %s", host ? host : "", port,
		    gai_strerror(rc));
		return -1;
	}
	l = &listeners[nlisteners];
	l->srv = srv;
	l->implicit_tls = implicit_tls;
	l->lev = evconnlistener_new_bind(srv->base, accept_cb, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    511, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (l->lev == NULL) {
		snprintf(err, errsz, "bind %s:%s: %s", host ? host : "*", port,
		    strerror(errno));
		return -1;
	}
	l->pause = evtimer_new(srv->base, resume_cb, l);
	evconnlistener_set_error_cb(l->lev, error_cb);
	nlisteners++;
	return 0;
}

int
listener_open(struct server *srv, const char *list, int implicit_tls,
    char *err, size_t errsz)
{
	char buf[CONF_STRMAX], *p, *item;

	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errsz, "listen list too long");
		return -1;
	}
	memcpy(buf, list, strlen(list) + 1);
	for (p = buf; (item = strsep(&p, " ,\t")) != NULL; )
		if (*item != '\0' &&
		    bind_one(srv, item, implicit_tls, err, errsz) == -1)
			return -1;
	return 0;
}

void
listener_close_all(void)
{
	size_t i;

	for (i = 0; i < nlisteners; i++) {
		evconnlistener_free(listeners[i].lev);
		event_free(listeners[i].pause);
	}
	nlisteners = 0;
}
