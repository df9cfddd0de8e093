/*
 * faxstat: modems, the send queue, finished jobs, received faxes and one
 * fax's whole record, from the spool alone (faxstat(1)).  Runs as the
 * user who calls it, who needs group rampart to read the spool; writes
 * nothing and takes no lock.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "config.h"
#include "faxstat.h"
#include "spool.h"

#define V_MODEMS	0x01
#define V_QUEUE		0x02
#define V_DONE		0x04
#define V_RECV		0x08

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: faxstat [-djrsw] [-a account] [-f conf] "
	    "[-n number] [-S spool]\n"
	    "               [-t days | --since date] [id]\n");
	exit(FS_EXIT_USAGE);
}

/* a directory of the spool could not be read: the exit status */
static int
dir_error(struct fs *fs, const char *dir, int e)
{
	fprintf(stderr, "faxstat: %s%s%s: %s%s\n", spool_dir(fs->sp),
	    *dir ? "/" : "", dir, strerror(e), e == EACCES ?
	    " (faxstat needs group rampart)" : "");
	return e == EACCES || e == EPERM ? FS_EXIT_NOPERM : FS_EXIT_NOINPUT;
}

/* "2026-11-29", "2026-11-29T14:05[:07]" (local time) or "@SECONDS" */
static time_t
parse_since(const char *s)
{
	static const char *const fmts[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
		"%Y-%m-%d %H:%M", "%Y-%m-%d", NULL
	};
	struct tm tm;
	const char *end;
	char *e;
	long long v;
	int i;

	if (*s == '@') {
		errno = 0;
		v = strtoll(s + 1, &e, 10);
		if (errno != 0 || e == s + 1 || *e != '\0' || v <= 0)
			return -1;
		return (time_t)v;
	}
	for (i = 0; fmts[i] != NULL; i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, fmts[i], &tm);
		if (end != NULL && *end == '\0') {
			tm.tm_isdst = -1;
			return mktime(&tm);
		}
	}
	return -1;
}

/* -n: the digits of a number; at least one */
static const char *
digits(const char *s)
{
	static char d[64];
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == sizeof(d) - 1)
				return NULL;
			d[n++] = *s;
		} else if (strchr("+ -()./", *s) == NULL)
			return NULL;
	}
	d[n] = '\0';
	return n > 0 ? d : NULL;
}

static int
list(struct fs *fs, int view, int *first)
{
	const char *dir = view == V_QUEUE ? "jobs" : "done";
	struct rec *r = NULL, *m = NULL, *all;
	size_t n = 0, nm = 0;

	if (fs_load_list(fs, dir, &r, &n) == -1)
		return dir_error(fs, dir, errno);
	/* messages being converted: only who may read msgs/ sees them */
	if (view == V_QUEUE && fs->f.account == NULL &&
	    fs->f.number == NULL && fs_load_list(fs, "msgs", &m, &nm) == 0 &&
	    nm > 0) {
		if ((all = reallocarray(m, nm + n, sizeof(*m))) == NULL) {
			perror("faxstat");
			exit(1);
		}
		memcpy(all + nm, r, n * sizeof(*r));
		free(r);
		r = all;
		n += nm;
		fs_sort_recs(r, n);
	} else
		free(m);
	if (fs->json) {
		size_t i;

		/* done/ holds both kinds: keep the one asked for */
		json_section(fs, view == V_QUEUE ? "queue" : view == V_DONE ?
		    "done" : "received");
		for (i = 0; i < n; i++)
			if (view == V_QUEUE ||
			    (r[i].kind == REC_RECV) == (view == V_RECV))
				json_item(fs, json_rec(fs, &r[i]));
		json_section_end(fs);
	} else {
		if (!*first)
			putchar('\n');
		*first = 0;
		if (view == V_QUEUE)
			text_queue(fs, r, n);
		else if (view == V_DONE)
			text_done(fs, r, n);
		else
			text_recv(fs, r, n);
	}
	fs_free_recs(r, n);
	return 0;
}

/* the modems and the lists asked for, as tables or one JSON document */
static int
views_show(struct fs *fs, int views)
{
	struct modem *m;
	size_t nm;
	int rv, first = 1;

	if (views == 0)
		views = V_MODEMS;
	if (fs->json)
		json_begin(fs);
	if (views & V_MODEMS) {
		if (fs_load_modems(fs, &m, &nm) == -1)
			return dir_error(fs, "status", errno);
		if (fs->json)
			json_modems(fs, m, nm);
		else
			text_modems(fs, m, nm);
		first = 0;
		fs_free_modems(m, nm);
	}
	if ((views & V_QUEUE) && (rv = list(fs, V_QUEUE, &first)) != 0)
		return rv;
	if ((views & V_DONE) && (rv = list(fs, V_DONE, &first)) != 0)
		return rv;
	if ((views & V_RECV) && (rv = list(fs, V_RECV, &first)) != 0)
		return rv;
	if (fs->json)
		json_end(fs);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("faxstat: stdout");
		return 1;
	}
	return fs->status;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "done", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "number", required_argument, NULL, 'n' },
		{ "received", no_argument, NULL, 'r' },
		{ "queue", no_argument, NULL, 's' },
		{ "spool", required_argument, NULL, 'S' },
		{ "days", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'T' },
		{ "watch", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf_opts o;
	struct conf conf;
	struct fs fs;
	char *end;
	long days;
	int ch, views = 0, watching = 0, rv;

	(void)setlocale(LC_ALL, "");
	memset(&o, 0, sizeof(o));
	memset(&fs, 0, sizeof(fs));
	fs.now = time(NULL);
	fs.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	fs.ellipsis = fs.utf8 ? "\xe2\x80\xa6" : "~";
	while ((ch = getopt_long(argc, argv, "a:df:hjln:rsS:t:w", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			fs.f.account = optarg;
			break;
		case 'd':
			views |= V_DONE;
			break;
		case 'f':
			o.conf_file = optarg;
			break;
		case 'j':
			fs.json = 1;
			break;
		case 'l':
		case 'w':
			watching = 1;
			break;
		case 'n':
			if ((fs.f.number = digits(optarg)) == NULL) {
				fprintf(stderr, "faxstat: -n %s: not a "
				    "number\n", optarg);
				usage();
			}
			break;
		case 'r':
			views |= V_RECV;
			break;
		case 's':
			views |= V_QUEUE;
			break;
		case 'S':
			o.spool = optarg;
			break;
		case 't':
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    days < 0 || days > 100000) {
				fprintf(stderr, "faxstat: -t %s: not a number "
				    "of days\n", optarg);
				usage();
			}
			fs.f.since = fs.now - days * 86400;
			break;
		case 'T':
			if ((fs.f.since = parse_since(optarg)) <= 0) {
				fprintf(stderr, "faxstat: --since %s: not a "
				    "date (YYYY-MM-DD[THH:MM[:SS]] or "
				    "@SECONDS)\n", optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && (views != 0 || watching)) ||
	    (watching && views != 0))
		usage();
	conf_startup(&conf, &o, "faxstat");
	/* a call's status stands at most this long (faxgetty(8)) */
	fs.call_limit = conf.dial_timeout + conf.call_timeout + 60;
	if ((fs.sp = spool_open(conf.spool)) == NULL) {
		fprintf(stderr, "faxstat: %s: %s%s\n", conf.spool,
		    strerror(errno), errno == EACCES ?
		    " (faxstat needs group rampart)" : "");
		return errno == EACCES ? FS_EXIT_NOPERM : FS_EXIT_NOINPUT;
	}
	if (argc == 1)
		rv = show_record(&fs, argv[0]);
	else if (watching)
		rv = watch(&fs);
	else
		rv = views_show(&fs, views);
	spool_close(fs.sp);
	return rv;
}
