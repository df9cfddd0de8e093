/*
 * session: one SMTP connection.  Private to smtpd's session.c (I/O,
 * TLS, timeouts), cmd.c (commands) and data.c (DATA into the spool).
 */
#ifndef RAMPART_SMTPD_SESSION_H
#define RAMPART_SMTPD_SESSION_H

#include <stddef.h>

#include "smtpd.h"
#include "tls.h"

enum sess_state {
	SESS_CMD,		/* reading commands */
	SESS_DATA,		/* reading the message */
	SESS_AUTH_PLAIN,	/* waiting for the PLAIN response */
	SESS_AUTH_USER,		/* LOGIN: waiting for the user name */
	SESS_AUTH_PASS,		/* LOGIN: waiting for the password */
	SESS_AUTH_WAIT,		/* the password is being checked */
	SESS_PAUSED,		/* a delayed reply or an error sleep */
	SESS_STARTTLS,		/* 220 queued, switching once it is sent */
	SESS_HANDSHAKE,		/* TLS handshake running */
	SESS_CLOSING,		/* last reply queued, close once sent */
};

struct rcpt {
	struct faxaddr	fa;
	char		dial[FAXADDR_DIAL_SIZE];
	char		orig[PATH_MAX_SMTP];
};

struct msg {
	struct spool_file *f;
	char		 id[ID_SIZE];
	off_t		 size_at;	/* offset of the size field */
	off_t		 hdrlen;	/* envelope length */
	size_t		 size;		/* message bytes so far */
	int		 too_big;
	int		 long_line;
	int		 failed;	/* a write failed: 451 at the end */
	size_t		 buflen;
	char		 buf[65536];
};

struct session {
	TAILQ_ENTRY(session) entry;
	struct server	*srv;
	struct bufferevent *bev;
	struct event	*timer;		/* delayed replies */
	struct event	*deadline;	/* TLS must be up by then */
	int		 fd;
	SSL		*ssl;
	int		 tls;		/* handshake done */
	int		 implicit_tls;
	enum sess_state	 state;
	char		 addr[ADDR_SIZE];
	int		 port;
	char		 helo[256];
	int		 ehlo;		/* EHLO (not HELO) given since reset */
	char		 account[NAME_MAX_ACCT];	/* "" until AUTH */
	const char	*auth_via;	/* "plain", "login", "cert" */
	char		 login_user[NAME_MAX_ACCT];
	char		 tls_version[16];
	char		 tls_cipher[64];
	int		 in_mail;	/* MAIL given */
	char		 mail_from[PATH_MAX_SMTP];
	struct rcpt	*rcpts;
	size_t		 nrcpts;
	struct msg	*msg;
	struct authreq	*authreq;	/* a password check in flight */
	int		 errors;	/* 4xx/5xx replies and excess junk */
	int		 error_new;	/* errors changed: check the limits */
	long		 junk;		/* NOOP, RSET, VRFY, EXPN, HELP */
	int		 skip_line;	/* inside an overlong line */
	int		 nmsgs;
	const char	*result;	/* for the connection log line */
	char		 pending[128];	/* reply sent after the delay, or "" */
	enum sess_state	 resume;	/* state after the delay */
};

/* session.c */
void	reply(struct session *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	session_close_after(struct session *s, const char *result,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	session_starttls(struct session *s);
void	session_delay(struct session *s, int seconds, const char *line);
void	session_reset(struct session *s);
void	session_resume(struct session *s);

/* cmd.c */
void	cmd_line(struct session *s, char *line);
void	cmd_greet(struct session *s);

/* sasl.c: AUTH PLAIN and LOGIN (RFC 4954) */
void	sasl_start(struct session *s, char *args);
void	sasl_line(struct session *s, char *line);

/* data.c */
int	data_begin(struct session *s);
void	data_line(struct session *s, const char *line, size_t len);
void	data_abort(struct session *s);

#endif
