/*
 * log: the one logging API of rampart.  syslog with LOG_PID, or stderr
 * in the foreground (-d).  No function here changes errno.  Every line
 * passes through log_redact() so that a secret given in key=value form
 * or in an SMTP AUTH line never reaches a log.
 */
#ifndef RAMPART_LOG_H
#define RAMPART_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* facility: LOG_MAIL for smtpd and notifyd, LOG_DAEMON for the rest */
void	log_init(const char *progname, int foreground, int facility);
void	log_setverbose(int verbose);	/* >0 enables log_debug */
int	log_getverbose(void);

void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* fatal() and fatalx() exit with this status (78, EX_CONFIG, by default) */
void	log_setexit(int status);

/*
 * Masks secrets in a formatted line, in place: the value after a key
 * named like a secret (password, pass, passwd, secret, token, code, pin,
 * key) in key=value form, and everything after "AUTH <mechanism>".
 * Returns the number of secrets masked.
 */
int	log_redact(char *line);

/*
 * Copies outside text (EHLO name, CSI, caller id) into dst for logging:
 * control characters, backslash, quote and non-ASCII as \xNN, spaces as
 * '_' so a key=value pair stays one token.  Always NUL-terminates;
 * returns dst.
 */
char	*log_escape(char *dst, size_t dstsz, const char *src);

#endif
