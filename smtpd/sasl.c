/*
 * sasl: AUTH PLAIN (RFC 4616) and LOGIN inside TLS (RFC 4954).  Owns
 * the exchange and wipes every buffer that held a password.  Never logs
 * a password or an AUTH line; a failure is answered 535 after a delay
 * that grows with the client address's failures (auth.c).  While the
 * password is being checked the session reads nothing.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "log.h"
#include "session.h"

#define SASL_MAX	768	/* decoded PLAIN response */

/* the answer to the check finish() asked for; the session resumes */
static void
auth_done(void *arg, enum auth_result r, int delay)
{
	struct session *s = arg;
	char esc[NAME_MAX_ACCT * 4];

	s->authreq = NULL;
	s->state = SESS_CMD;
	log_escape(esc, sizeof(esc), s->login_user);
	if (r == AUTH_OK) {
		snprintf(s->account, sizeof(s->account), "%s", s->login_user);
		log_info("login client=%s account=%s via=%s", s->addr,
		    s->account, s->auth_via);
		reply(s, "235 2.7.0 Authentication successful");
	} else if (r == AUTH_FAILED) {
		log_warnx("login failed client=%s user=%s via=%s", s->addr, esc,
		    s->auth_via);
		if (delay > 0)
			session_delay(s, delay, "535 5.7.8 authentication "
			    "credentials invalid");
		else
			reply(s, "535 5.7.8 authentication credentials invalid");
	} else if (r == AUTH_LOCKED || r == AUTH_IN_FLIGHT) {
		log_warnx("login refused client=%s user=%s via=%s reason=%s",
		    s->addr, esc, s->auth_via, r == AUTH_LOCKED ?
		    "locked-out" : "checks-in-flight");
		reply(s, "454 4.7.0 too many authentication failures, "
		    "try again later");
	} else {
		log_warnx("login refused client=%s user=%s via=%s reason=busy",
		    s->addr, esc, s->auth_via);
		reply(s, "454 4.3.0 cannot check credentials now, try later");
	}
	if (r != AUTH_OK)
		s->auth_via = NULL;
	session_resume(s);
}

/*
 * The credentials are complete: the check runs off the event loop
 * (auth.c), and the session reads nothing until auth_done().
 */
static void
finish(struct session *s, const char *user, const char *pass)
{
	if (user != s->login_user)
		snprintf(s->login_user, sizeof(s->login_user), "%s", user);
	s->state = SESS_AUTH_WAIT;
	bufferevent_disable(s->bev, EV_READ);
	s->authreq = auth_start(s->srv, s->addr, user, pass, auth_done, s);
	if (s->authreq == NULL) {
		s->state = SESS_CMD;
		bufferevent_enable(s->bev, EV_READ);
		s->auth_via = NULL;
		reply(s, "454 4.3.0 cannot check credentials now, try later");
	}
}

/* authzid NUL authcid NUL passwd; authzid empty or the same as authcid */
static void
plain(struct session *s, unsigned char *buf, size_t len)
{
	const char *authz = (char *)buf, *user, *pass;
	size_t zl, ul;

	buf[len] = '\0';
	zl = strnlen(authz, len);
	if (zl == len)
		goto bad;
	user = authz + zl + 1;
	ul = strnlen(user, len - zl - 1);
	if (zl + 1 + ul == len)
		goto bad;
	pass = user + ul + 1;
	if (strlen(pass) != len - zl - ul - 2 || ul == 0 ||
	    ul >= NAME_MAX_ACCT || (zl != 0 && strcmp(authz, user) != 0))
		goto bad;
	finish(s, user, pass);
	return;
bad:
	s->state = SESS_CMD;
	reply(s, "501 5.5.2 malformed AUTH PLAIN response");
}

static void
respond(struct session *s, const char *b64)
{
	unsigned char buf[SASL_MAX + 1];
	size_t len = 0;

	if (strcmp(b64, "*") == 0) {
		s->state = SESS_CMD;
		reply(s, "501 5.0.0 authentication cancelled");
		return;
	}
	if (strcmp(b64, "=") != 0 &&
	    b64_decode(b64, buf, SASL_MAX, &len) == -1) {
		s->state = SESS_CMD;
		reply(s, "501 5.5.2 cannot decode base64");
		return;
	}
	buf[len] = '\0';
	if (s->state == SESS_AUTH_PLAIN)
		plain(s, buf, len);
	else if (s->state == SESS_AUTH_USER) {
		if (len == 0 || len >= sizeof(s->login_user) ||
		    strlen((char *)buf) != len) {
			s->state = SESS_CMD;
			reply(s, "501 5.5.2 bad user name");
		} else {
			memcpy(s->login_user, buf, len + 1);
			s->state = SESS_AUTH_PASS;
			reply(s, "334 UGFzc3dvcmQ6");	/* "Password:" */
		}
	} else if (strlen((char *)buf) != len) {
		s->state = SESS_CMD;
		reply(s, "501 5.5.2 bad password");
	} else
		finish(s, s->login_user, (char *)buf);
	explicit_bzero(buf, sizeof(buf));
}

void
sasl_start(struct session *s, char *args)
{
	char *mech = args, *init;

	init = strchr(args, ' ');
	if (init != NULL)
		*init++ = '\0';
	if (strcasecmp(mech, "PLAIN") == 0) {
		s->auth_via = "plain";
		s->state = SESS_AUTH_PLAIN;
	} else if (strcasecmp(mech, "LOGIN") == 0) {
		s->auth_via = "login";
		s->state = SESS_AUTH_USER;
	} else {
		reply(s, "504 5.5.4 mechanism not supported (PLAIN, LOGIN)");
		return;
	}
	if (init != NULL && *init != '\0') {
		respond(s, init);
		explicit_bzero(init, strlen(init));
	}
	else if (s->state == SESS_AUTH_PLAIN)
		reply(s, "334 ");
	else
		reply(s, "334 VXNlcm5hbWU6");	/* "Username:" */
}

void
sasl_line(struct session *s, char *line)
{
	respond(s, line);
	explicit_bzero(line, strlen(line));
}
