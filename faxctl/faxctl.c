/*
 * faxctl: the admin's verbs for fax jobs, HylaFAX's faxrm and faxalter
 * in one command.  It writes a request into the spool (ctl/new/ID) and
 * wakes queued; queued carries it out and logs the outcome.  faxctl then
 * waits a little for queued to take the request and prints the job's
 * state.  Run as root (it becomes the rampart user) or as rampart.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fifo.h"
#include "ids.h"
#include "kv.h"
#include "log.h"
#include "path.h"
#include "privdrop.h"
#include "spool.h"

static void
usage(void)
{
	fprintf(stderr, "usage: faxctl [-f conf] [-s spool] "
	    "cancel | hold | release | requeue JOBID ...\n");
	exit(64);
}

/* 1 if dir/name is there (or cannot be told), 0 if it is gone */
static int
present(struct spool *sp, const char *dir, const char *name)
{
	char path[128];
	int fd;

	(void)path_fmt(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = spool_open_read(sp, path)) != -1) {
		close(fd);
		return 1;
	}
	return errno != ENOENT;
}

/* the job's state, or where it went */
static void
show(struct spool *sp, const char *job)
{
	static const char *const dirs[] = { "jobs", "done", NULL };
	char path[128], *buf, v[256];
	struct kvlist l;
	size_t len;
	int i;

	for (i = 0; dirs[i] != NULL; i++) {
		(void)path_fmt(path, sizeof(path), "%s/%s/job", dirs[i], job);
		if (spool_read(sp, path, 256 * 1024, &buf, &len) == -1)
			continue;
		if (kv_parse(&l, buf, len, NULL, 0) == 0) {
			if (kv_str(&l, "outcome", v, sizeof(v)) == 0 &&
			    v[0] != '\0')
				printf("%s: finished: %s\n", job, v);
			else if (kv_str(&l, "state", v, sizeof(v)) == 0)
				printf("%s: %s%s\n", job, v, kv_get(&l, "cancel") ?
				    " (cancelled when its call ends)" : "");
			kv_free(&l);
		}
		free(buf);
		return;
	}
	printf("%s: no such job\n", job);
}

int
main(int argc, char **argv)
{
	struct conf_opts o;
	struct conf conf;
	struct spool *sp;
	char rid[ID_SIZE], line[64], fifo[4200], who[64];
	struct passwd *pw;
	const char *verb;
	int ch, i, n, bad = 0;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, "f:s:o:")) != -1)
		if (conf_opt(&o, ch, optarg) == -1)
			usage();
	if (argc - optind < 2)
		usage();
	verb = argv[optind];
	if (strcmp(verb, "cancel") != 0 && strcmp(verb, "hold") != 0 &&
	    strcmp(verb, "release") != 0 && strcmp(verb, "requeue") != 0)
		usage();
	conf_startup(&conf, &o, "faxctl");
	log_init("faxctl", 1, LOG_MAIL);
	pw = getpwuid(getuid());
	(void)str_copy(who, pw != NULL ? pw->pw_name : "?", sizeof(who));
	if (privdrop_is_root() && privdrop(conf.user, NULL, NULL) == -1)
		fatal("privdrop %s", conf.user);
	if ((sp = spool_open(conf.spool)) == NULL)
		fatal("spool %s", conf.spool);
	(void)path_fmt(fifo, sizeof(fifo), "%s/FIFO", conf.spool);
	for (i = optind + 1; i < argc; i++) {
		struct kvbuf b;

		if (!id_valid(argv[i])) {
			fprintf(stderr, "faxctl: %s: not a job id\n", argv[i]);
			bad = 1;
			continue;
		}
		id_new(rid);
		kvb_init(&b);
		kvb_str(&b, "verb", verb);
		kvb_str(&b, "job", argv[i]);
		kvb_str(&b, "user", who);
		kvb_num(&b, "time", (long long)time(NULL));
		if (b.err || spool_put(sp, "ctl", rid, b.buf, b.len) == -1) {
			fprintf(stderr, "faxctl: %s: cannot write the request: "
			    "%s\n", argv[i], strerror(errno));
			kvb_free(&b);
			bad = 1;
			continue;
		}
		kvb_free(&b);
		(void)path_fmt(line, sizeof(line), "ctl %s", rid);
		if (fifo_send(fifo, line) != 1)
			fprintf(stderr, "faxctl: queued is not listening; the "
			    "request waits in the spool\n");
		/* up to 5 s for queued to take and carry it out */
		for (n = 0; n < 50; n++) {
			if (present(sp, "ctl/new", rid) == 0 &&
			    present(sp, "ctl/cur", rid) == 0)
				break;
			usleep(100000);
		}
		show(sp, argv[i]);
	}
	spool_close(sp);
	return bad;
}
