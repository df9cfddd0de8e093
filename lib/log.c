/*
 * log: syslog or stderr output for every rampart program.  Owns the
 * program name and the destination; never changes errno, and never lets
 * a secret through (every line is passed to log_redact() first).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LINE_MAX_LOG	2048

static const char *progname = "rampart";
static int foreground = 1;
static int verbose;
static int exit_status = 78;

void
log_init(const char *name, int fg, int facility)
{
	progname = name;
	foreground = fg;
	if (!foreground)
		openlog(name, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_setverbose(int v)
{
	verbose = v;
}

int
log_getverbose(void)
{
	return verbose;
}

void
log_setexit(int status)
{
	exit_status = status;
}

static const char *const secret_keys[] = {
	"password", "passwd", "pass", "secret", "token", "code", "pin",
	"key", NULL
};

/* 1 if the word ending just before '=' at p (starting at w) names a secret */
static int
secret_key(const char *w, const char *eq)
{
	size_t len = eq - w;
	int i;

	for (i = 0; secret_keys[i] != NULL; i++) {
		size_t kl = strlen(secret_keys[i]);
		/* "password", "smtp_password", "dtmf_code", "auth-pass" */
		if (len >= kl && strncasecmp(eq - kl, secret_keys[i], kl) == 0 &&
		    (len == kl || eq[-kl - 1] == '_' || eq[-kl - 1] == '-'))
			return 1;
	}
	return 0;
}

static int
mask(char *p)
{
	char *q = p;

	while (*q != '\0' && !isspace((unsigned char)*q))
		q++;
	if (q == p)
		return 0;
	memmove(p + 3, q, strlen(q) + 1);
	memcpy(p, "***", 3);
	return 1;
}

int
log_redact(char *line)
{
	char *p, *w;
	int n = 0;

	for (p = line; *p != '\0'; p++) {
		if (*p != '=')
			continue;
		for (w = p; w > line && (isalnum((unsigned char)w[-1]) ||
		    w[-1] == '_' || w[-1] == '-'); w--)
			;
		if (w < p && secret_key(w, p))
			n += mask(p + 1);
	}
	/* SMTP "AUTH PLAIN <b64>" / "AUTH LOGIN <b64>": mask the rest */
	for (p = line; (p = strcasestr(p, "AUTH ")) != NULL; p += 5) {
		char *arg = p + 5;
		while (isalnum((unsigned char)*arg) || *arg == '-')
			arg++;		/* the mechanism name */
		while (*arg == ' ')
			arg++;
		if (*arg != '\0' && strcmp(arg, "***") != 0) {
			size_t l = strlen(arg);
			l = l < 3 ? l : 3;
			memset(arg, '*', l);
			arg[l] = '\0';
			n++;
		}
	}
	return n;
}

char *
log_escape(char *dst, size_t dstsz, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	unsigned char c;

	if (dstsz == 0)
		return dst;
	for (; (c = (unsigned char)*src) != '\0'; src++) {
		if (c > 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '=') {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = c;
		} else if (c == ' ') {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = '_';
		} else {
			if (o + 4 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return dst;
}

static void
vlog(int pri, const char *fmt, va_list ap, int with_errno, int saved)
{
	char line[LINE_MAX_LOG];
	size_t len;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (with_errno) {
		len = strlen(line);
		snprintf(line + len, sizeof(line) - len, ": %s",
		    strerror(saved));
	}
	log_redact(line);
	if (foreground) {
		fprintf(stderr, "%s: %s\n", progname, line);
		fflush(stderr);
	} else
		syslog(pri, "%s", line);
}

#define LOGFN(name, pri, with_errno, cond)				\
void									\
name(const char *fmt, ...)						\
{									\
	int saved = errno;						\
	va_list ap;							\
									\
	if (cond) {							\
		va_start(ap, fmt);					\
		vlog(pri, fmt, ap, with_errno, saved);			\
		va_end(ap);						\
	}								\
	errno = saved;							\
}

LOGFN(log_warn, LOG_WARNING, 1, 1)
LOGFN(log_warnx, LOG_WARNING, 0, 1)
LOGFN(log_info, LOG_INFO, 0, 1)
LOGFN(log_debug, LOG_DEBUG, 0, verbose > 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, saved != 0, saved);
	va_end(ap);
	exit(exit_status);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0, 0);
	va_end(ap);
	exit(exit_status);
}
