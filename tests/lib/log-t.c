/* log-t: redaction, escaping, errno preservation and the stderr format */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		bail("open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

int
main(void)
{
	char line[256], esc[64], path[512];
	char *out;

	plan(16);

	snprintf(line, sizeof(line), "login account=mfp1 password=hunter2 ok");
	is_int(1, log_redact(line), "one secret found in key=value form");
	is_string("login account=mfp1 password=*** ok", line,
	    "password value is masked, other keys kept");
	snprintf(line, sizeof(line), "smtp_password=s3cret dtmf_code=4711");
	is_int(2, log_redact(line), "prefixed secret keys are found");
	ok(strstr(line, "s3cret") == NULL && strstr(line, "4711") == NULL,
	    "prefixed secret values are masked");
	snprintf(line, sizeof(line), "command: AUTH PLAIN AGFsaWNlAHNlY3JldA==");
	log_redact(line);
	is_string("command: AUTH PLAIN ***", line, "AUTH PLAIN argument masked");
	snprintf(line, sizeof(line), "monkey=1 keyboard=2 passage=3");
	is_int(0, log_redact(line), "keys that merely contain a word are kept");
	snprintf(line, sizeof(line), "AUTH LOGIN x");
	log_redact(line);
	is_string("AUTH LOGIN *", line, "a short AUTH argument is masked in place");

	log_escape(esc, sizeof(esc), "evil host\r\n=x\"");
	is_string("evil_host\\x0d\\x0a\\x3dx\\x22", esc,
	    "control characters, '=' and quotes are escaped");
	log_escape(esc, 8, "abcdefghijkl");
	is_string("abcdefg", esc, "escaping truncates to the buffer");

	snprintf(path, sizeof(path), "%s/stderr", test_tmpdir());
	if (freopen(path, "w", stderr) == NULL)
		bail("freopen");
	log_init("log-t", 1, LOG_DAEMON);
	errno = ENOENT;
	log_warn("id=%s open %s", "x", "f");
	is_int(ENOENT, errno, "log_warn keeps errno");
	log_info("id=y secret=abc");
	log_debug("debug line hidden");
	log_setverbose(1);
	log_debug("debug line shown");
	errno = EACCES;
	log_warnx("plain warning");
	is_int(EACCES, errno, "log_warnx keeps errno");
	fflush(stderr);
	out = slurp(path);
	ok(strstr(out, "log-t: id=x open f: No such file or directory\n") != NULL,
	    "log_warn appends the errno text");
	ok(strstr(out, "log-t: id=y secret=***\n") != NULL,
	    "secrets are masked on the way to the log");
	ok(strstr(out, "abc") == NULL, "the secret never reaches the log");
	ok(strstr(out, "hidden") == NULL, "log_debug is silent unless verbose");
	ok(strstr(out, "debug line shown") != NULL, "log_debug shows when verbose");
	return 0;
}
