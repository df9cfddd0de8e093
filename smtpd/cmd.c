/*
 * cmd: SMTP commands (RFC 5321) with rampart's policy: before TLS only
 * EHLO, HELO, STARTTLS, NOOP, RSET and QUIT; MAIL only after AUTH; RCPT
 * only for fax addresses this account may dial.  Replies carry enhanced
 * status codes (RFC 3463).  Never touches the spool (data.c does).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "log.h"
#include "session.h"

struct cmd {
	const char	*name;
	int		 pretls;	/* allowed before STARTTLS */
	int		 junk;		/* smtpd_max_junk_commands counts it */
	void		(*fn)(struct session *, char *);
};

static void	c_ehlo(struct session *, char *);
static void	c_helo(struct session *, char *);
static void	c_starttls(struct session *, char *);
static void	c_noop(struct session *, char *);
static void	c_rset(struct session *, char *);
static void	c_quit(struct session *, char *);
static void	c_auth(struct session *, char *);
static void	c_mail(struct session *, char *);
static void	c_rcpt(struct session *, char *);
static void	c_data(struct session *, char *);
static void	c_vrfy(struct session *, char *);

static const struct cmd cmds[] = {
	{ "EHLO", 1, 0, c_ehlo }, { "HELO", 1, 0, c_helo },
	{ "STARTTLS", 1, 0, c_starttls }, { "NOOP", 1, 1, c_noop },
	{ "RSET", 1, 1, c_rset }, { "QUIT", 1, 0, c_quit },
	{ "AUTH", 0, 0, c_auth }, { "MAIL", 0, 0, c_mail },
	{ "RCPT", 0, 0, c_rcpt }, { "DATA", 0, 0, c_data },
	{ "VRFY", 0, 1, c_vrfy }, { "EXPN", 0, 1, c_vrfy },
	{ "HELP", 0, 1, c_vrfy },
	{ NULL, 0, 0, NULL }
};

void
cmd_greet(struct session *s)
{
	reply(s, "220 %s ESMTP rampart", s->srv->hostname);
}

void
cmd_line(struct session *s, char *line)
{
	const struct cmd *c;
	size_t n = strcspn(line, " ");
	char *args = line[n] ? line + n + 1 : line + n;

	if (s->state != SESS_CMD) {
		sasl_line(s, line);
		return;
	}
	for (c = cmds; c->name != NULL; c++)
		if (strlen(c->name) == n && strncasecmp(c->name, line, n) == 0)
			break;
	/* a client that idles with these holds a slot: past the limit
	 * each one is an error, as with Postfix's smtpd_junk_command_limit */
	if (c->junk && ++s->junk > s->srv->conf->smtpd_max_junk_commands) {
		s->errors++;
		s->error_new = 1;
	}
	if (!s->tls && (c->name == NULL || !c->pretls)) {
		reply(s, "530 5.7.0 Must issue a STARTTLS command first");
		return;
	}
	if (c->name == NULL) {
		reply(s, "500 5.5.1 command unrecognized");
		return;
	}
	c->fn(s, args);
}

/* a domain or address literal: printable, no spaces, at most 255 */
static int
helo_ok(const char *a)
{
	size_t i, n = strlen(a);

	if (n == 0 || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)a[i]))
			return 0;
	return 1;
}

static void
c_ehlo(struct session *s, char *args)
{
	const char *ext[8];
	int n = 0, i;

	if (!helo_ok(args)) {
		reply(s, "501 5.5.4 EHLO needs a domain or address literal");
		return;
	}
	session_reset(s);
	snprintf(s->helo, sizeof(s->helo), "%s", args);
	s->ehlo = 1;
	ext[n++] = "PIPELINING";
	ext[n++] = "8BITMIME";
	ext[n++] = "ENHANCEDSTATUSCODES";
	if (!s->tls)
		ext[n++] = "STARTTLS";
	else if (s->account[0] == '\0')
		ext[n++] = "AUTH PLAIN LOGIN";
	reply(s, "250-%s", s->srv->hostname);
	reply(s, "250-SIZE %ld", s->srv->conf->max_message_size);
	for (i = 0; i < n; i++)
		reply(s, "250%c%s", i == n - 1 ? ' ' : '-', ext[i]);
}

static void
c_helo(struct session *s, char *args)
{
	if (!helo_ok(args)) {
		reply(s, "501 5.5.4 HELO needs a domain");
		return;
	}
	session_reset(s);
	snprintf(s->helo, sizeof(s->helo), "%s", args);
	s->ehlo = 0;
	reply(s, "250 %s", s->srv->hostname);
}

/*
 * RFC 3207 and CVE-2011-0411: whatever the client sent after STARTTLS
 * in the clear would be taken as if it came inside TLS.  Nothing may
 * follow it, so bytes already buffered are an attack: drop.
 */
static void
c_starttls(struct session *s, char *args)
{
	if (s->tls) {
		reply(s, "503 5.5.1 TLS already active");
		return;
	}
	if (*args != '\0') {
		reply(s, "501 5.5.4 STARTTLS takes no arguments");
		return;
	}
	if (evbuffer_get_length(bufferevent_get_input(s->bev)) != 0) {
		log_warnx("client=%s: data after STARTTLS (injection), dropped",
		    s->addr);
		session_close_after(s, "starttls-injection", NULL);
		return;
	}
	reply(s, "220 2.0.0 Ready to start TLS");
	session_starttls(s);
}

static void
c_noop(struct session *s, char *args)
{
	(void)args;
	reply(s, "250 2.0.0 Ok");
}

static void
c_rset(struct session *s, char *args)
{
	(void)args;
	session_reset(s);
	reply(s, "250 2.0.0 Ok");
}

static void
c_quit(struct session *s, char *args)
{
	(void)args;
	session_close_after(s, "quit", "221 2.0.0 Bye");
}

static void
c_vrfy(struct session *s, char *args)
{
	(void)args;
	reply(s, "502 5.5.1 command not implemented");
}

static void
c_auth(struct session *s, char *args)
{
	if (s->account[0] != '\0') {
		reply(s, "503 5.5.1 already authenticated");
		return;
	}
	if (s->in_mail) {
		reply(s, "503 5.5.1 AUTH not allowed during a mail transaction");
		return;
	}
	if (auth_locked(s->srv, s->addr)) {
		log_warnx("login refused client=%s reason=locked-out", s->addr);
		reply(s, "454 4.7.0 too many authentication failures, "
		    "try again later");
		return;
	}
	sasl_start(s, args);
}

/*
 * "FROM:" or "TO:" (any case, spaces allowed before '<'), then <path>;
 * the path goes into out (without brackets), *rest points after '>'.
 */
static int
parse_path(char *args, const char *kw, char *out, size_t outsz, char **rest)
{
	size_t kl = strlen(kw), n;
	char *p, *end;

	if (strncasecmp(args, kw, kl) != 0)
		return -1;
	for (p = args + kl; *p == ' '; p++)
		;
	if (*p++ != '<' || (end = strchr(p, '>')) == NULL)
		return -1;
	n = end - p;
	if (n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	for (p = out; *p != '\0'; p++)
		if (!isgraph((unsigned char)*p) || *p == '<')
			return -1;
	*rest = end + 1;
	return 0;
}

/* ESMTP MAIL parameters: SIZE (RFC 1870), BODY (RFC 6152); 0 or -1 */
static int
mail_params(struct session *s, char *rest)
{
	char *p;
	long long size;

	while ((p = strsep(&rest, " ")) != NULL) {
		if (*p == '\0')
			continue;
		if (strncasecmp(p, "SIZE=", 5) == 0) {
			size = strtoll(p + 5, NULL, 10);
			if (strspn(p + 5, "0123456789") != strlen(p + 5) ||
			    strlen(p + 5) > 18 ||
			    size > s->srv->conf->max_message_size) {
				reply(s, "552 5.3.4 message size exceeds the "
				    "limit of %ld bytes", s->srv->conf->max_message_size);
				return -1;
			}
		} else if (strcasecmp(p, "BODY=7BIT") != 0 &&
		    strcasecmp(p, "BODY=8BITMIME") != 0 &&
		    strncasecmp(p, "AUTH=", 5) != 0) {
			reply(s, "555 5.5.4 unsupported MAIL parameter");
			return -1;
		}
	}
	return 0;
}

static void
c_mail(struct session *s, char *args)
{
	const struct account *a;
	char *rest;

	if (s->helo[0] == '\0') {
		reply(s, "503 5.5.1 send EHLO first");
		return;
	}
	if (s->account[0] == '\0') {
		reply(s, "530 5.7.0 Authentication required");
		return;
	}
	if (s->in_mail) {
		reply(s, "503 5.5.1 nested MAIL command");
		return;
	}
	if (parse_path(args, "FROM:", s->mail_from, sizeof(s->mail_from),
	    &rest) == -1) {
		reply(s, "501 5.5.4 syntax: MAIL FROM:<address>");
		return;
	}
	if (mail_params(s, rest) == -1)
		return;
	if ((a = account_find(s->srv, s->account)) == NULL) {
		reply(s, "454 4.7.0 account %s no longer exists", s->account);
		return;
	}
	if (!rate_ok(s->srv, a)) {
		log_warnx("rate limit client=%s account=%s per_hour=%ld",
		    s->addr, a->name, a->per_hour);
		reply(s, "450 4.7.1 limit of %ld messages per hour reached",
		    a->per_hour);
		return;
	}
	s->in_mail = 1;
	reply(s, "250 2.1.0 Ok");
}

static int
rcpt_check(struct session *s, const char *path, struct rcpt *r)
{
	struct server *srv = s->srv;
	const struct account *a = account_find(srv, s->account);
	const char *why;

	if (faxaddr_parse(path, &r->fa, &why) == -1) {
		reply(s, "553 5.1.3 <%s>: not a fax address: %s", path, why);
		return -1;
	}
	if (!faxaddr_domain_ok(srv->conf->fax_domains, r->fa.domain)) {
		/* the domain is in path: twice, a reply could pass 512 bytes */
		reply(s, "550 5.1.2 <%s>: not a fax domain of this gateway",
		    path);
		return -1;
	}
	if (dialplan_check(&srv->dialplan, r->fa.e164, r->dial,
	    sizeof(r->dial), &why) == -1) {
		reply(s, "550 5.7.1 <%s>: %s", path, why);
		return -1;
	}
	if (a == NULL || !faxaddr_match(a->numbers, r->fa.e164)) {
		reply(s, "550 5.7.1 <%s>: %s may not send to this number", path,
		    s->account);
		return -1;
	}
	snprintf(r->orig, sizeof(r->orig), "%s", path);
	return 0;
}

static void
c_rcpt(struct session *s, char *args)
{
	const struct account *a = account_find(s->srv, s->account);
	char path[PATH_MAX_SMTP], *rest;
	struct rcpt r, *v;
	long max = s->srv->conf->max_recipients;

	if (!s->in_mail) {
		reply(s, "503 5.5.1 need MAIL before RCPT");
		return;
	}
	if (parse_path(args, "TO:", path, sizeof(path), &rest) == -1) {
		reply(s, "501 5.5.4 syntax: RCPT TO:<address>");
		return;
	}
	if (*rest != '\0') {
		reply(s, "555 5.5.4 RCPT parameters are not supported");
		return;
	}
	if (a != NULL && a->max_rcpts > 0 && a->max_rcpts < max)
		max = a->max_rcpts;
	if ((long)s->nrcpts >= max) {
		reply(s, "452 4.5.3 too many recipients (%ld at most)", max);
		return;
	}
	if (rcpt_check(s, path, &r) == -1)
		return;
	if ((v = reallocarray(s->rcpts, s->nrcpts + 1, sizeof(*v))) == NULL) {
		reply(s, "451 4.3.0 out of memory");
		return;
	}
	s->rcpts = v;
	s->rcpts[s->nrcpts++] = r;
	reply(s, "250 2.1.5 Ok");
}

static void
c_data(struct session *s, char *args)
{
	if (!s->in_mail || s->nrcpts == 0) {
		reply(s, "503 5.5.1 %s", s->in_mail ? "no valid recipients" :
		    "need MAIL and RCPT before DATA");
		return;
	}
	if (*args != '\0') {
		reply(s, "501 5.5.4 DATA takes no arguments");
		return;
	}
	if (data_begin(s) == 0) {
		s->state = SESS_DATA;
		reply(s, "354 End data with <CR><LF>.<CR><LF>");
	}
}
