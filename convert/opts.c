/*
 * opts: convert's command line.  Every value is checked here, before the
 * supervisor opens anything; a bad one is a usage error (64).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "convert.h"

static const char usage_text[] =
    "usage: convert [-FRv] [-r fine|normal] [-p a4|letter] [-c mh|mr|mmr]\n"
    "               [-m maxpages] [-s maxbytes] [-P maxpixels] [-t seconds]\n"
    "               [-x cpuseconds] [-M megabytes] [-u user] [-n name]\n"
    "               [-T type] [-C cover -k key=value ...] -o out.tif input\n";

static int
usage(const char *why, const char *arg)
{
	if (why != NULL)
		fprintf(stderr, "convert: %s%s%s\n", why, arg ? ": " : "",
		    arg ? arg : "");
	fputs(usage_text, stderr);
	return -1;
}

/* decimal with optional k/M/G (1024-based) suffix, within [min, max] */
static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v, mul = 1;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024L;
	else if (*end == 'M')
		mul = 1024L * 1024;
	else if (*end == 'G')
		mul = 1024L * 1024 * 1024;
	if (mul != 1)
		end++;
	if (*end != '\0' || v < 0 || v > LONG_MAX / mul)
		return -1;
	v *= mul;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void
defaults(struct convert_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->yres = 98;
	o->paper = PAPER_A4;
	o->comp = COMP_MMR;
	o->max_pages = 100;
	o->max_bytes = 32L << 20;
	o->max_pixels = 40L * 1000 * 1000;
	o->timeout = 120;
	o->cpu = 60;
	o->mem_mb = 512;
	o->user = "nobody";
}

static int
word(const char *arg, const char *const *words, int *out)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static int
option(struct convert_opts *o, int ch, const char *arg)
{
	static const char *const res[] = { "normal", "fine", NULL };
	static const char *const paper[] = { "a4", "letter", NULL };
	static const char *const comp[] = { "mh", "mr", "mmr", NULL };
	int i;

	switch (ch) {
	case 'F': o->yres = 196; return 0;
	case 'r':
		if (word(arg, res, &i) == -1)
			return usage("bad resolution", arg);
		o->yres = i ? 196 : 98;
		return 0;
	case 'p':
		if (word(arg, paper, &i) == -1)
			return usage("bad paper size", arg);
		o->paper = i ? PAPER_LETTER : PAPER_A4;
		return 0;
	case 'c':
		if (word(arg, comp, &i) == -1)
			return usage("bad compression", arg);
		o->comp = (enum comp)i;
		return 0;
	case 'k':
		if (o->nkeys == MAX_KEYS || strchr(arg, '=') == NULL)
			return usage("bad or too many -k", arg);
		o->keys[o->nkeys++] = arg;
		return 0;
	}
	return usage(NULL, NULL);
}

static int
limit(struct convert_opts *o, int ch, const char *arg)
{
	int r = 0;

	switch (ch) {
	case 'm': r = number(arg, 1, 10000, &o->max_pages); break;
	case 's': r = number(arg, 1, 1L << 30, &o->max_bytes); break;
	case 'P': r = number(arg, 1, 1L << 30, &o->max_pixels); break;
	case 't': r = number(arg, 1, 86400, &o->timeout); break;
	case 'x': r = number(arg, 1, 86400, &o->cpu); break;
	case 'M': r = number(arg, 0, 1L << 20, &o->mem_mb); break;
	default: return option(o, ch, arg);
	}
	return r == -1 ? usage("bad number", arg) : 0;
}

/*
 * The charset parameter of -T's MIME type, for iconv: kept only if it is
 * a plain name and not UTF-8 or ASCII (which need no conversion).
 */
static void
charset_of(struct convert_opts *o)
{
	const char *p = o->type != NULL ? strcasestr(o->type, "charset=") :
	    NULL;
	size_t n;

	o->charset[0] = '\0';
	if (p == NULL)
		return;
	p += 8;
	p += *p == '"';
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.:+");
	if (n == 0 || n >= sizeof(o->charset) ||
	    (n == 5 && strncasecmp(p, "utf-8", 5) == 0) ||
	    (n == 4 && strncasecmp(p, "utf8", 4) == 0) ||
	    (n == 8 && strncasecmp(p, "us-ascii", 8) == 0))
		return;
	memcpy(o->charset, p, n);
	o->charset[n] = '\0';
}

int
opts_parse(struct convert_opts *o, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	defaults(o);
	while ((ch = getopt_long(argc, argv, "FRvC:M:P:T:c:k:m:n:o:p:r:s:t:u:x:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'v': o->verbose++; break;
		case 'R': o->reencode = 1; break;
		case 'C': o->cover = optarg; break;
		case 'T': o->type = optarg; break;
		case 'n': o->name = optarg; break;
		case 'o': o->out = optarg; break;
		case 'u': o->user = optarg; break;
		default:
			if (limit(o, ch, optarg) == -1)
				return -1;
		}
	}
	if (argc - optind != 1 || o->out == NULL)
		return usage("need -o OUT and one INPUT", NULL);
	o->in = argv[optind];
	if (o->name == NULL)
		o->name = strrchr(o->in, '/') ? strrchr(o->in, '/') + 1 : o->in;
	if (o->nkeys > 0 && o->cover == NULL)
		return usage("-k needs -C", NULL);
	charset_of(o);
	return 0;
}

#define COVER_MAX	(64 * 1024)

int
opts_cover(struct convert_opts *o)
{
	time_t now = time(NULL);
	ssize_t n;
	size_t len = 0;
	int fd;

	if (o->cover == NULL)
		return 0;	/* no date wanted: the time zone is not read */
	strftime(o->date, sizeof(o->date), "%Y-%m-%d %H:%M %Z",
	    localtime(&now));
	if ((fd = open(o->cover, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (o->cover_text = malloc(COVER_MAX + 1)) == NULL) {
		fprintf(stderr, "convert: cover %s: %s\n", o->cover,
		    strerror(errno));
		return -1;
	}
	while ((n = read(fd, o->cover_text + len, COVER_MAX - len)) > 0)
		len += n;
	close(fd);
	if (n == -1 || len == COVER_MAX) {
		fprintf(stderr, "convert: cover %s: %s\n", o->cover,
		    n == -1 ? strerror(errno) : "too large");
		return -1;
	}
	o->cover_text[len] = '\0';
	return 0;
}
