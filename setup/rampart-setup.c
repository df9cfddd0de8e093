/*
 * rampart-setup: checks rampart.conf, creates the spool layout with its
 * owners and modes and the FIFOs, or (-k) only verifies them.  Run as root
 * at installation and from init scripts before the daemons start.  Never
 * touches a file inside the spool's areas.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "fifo.h"
#include "log.h"
#include "path.h"
#include "spool.h"

static void
usage(void)
{
	fprintf(stderr, "usage: rampart-setup [-dkn] [-f conf] [-s spool]\n");
	exit(EXIT_CONFIG);
}

int
main(int argc, char *argv[])
{
	struct conf_opts o = { 0 };
	struct spool_owners own;
	struct conf c;
	char err[4096], fifo[PATH_MAX];
	int ch, check = 0;

	while ((ch = getopt(argc, argv, CONF_GETOPT "k")) != -1) {
		if (ch == 'k')
			check = 1;
		else if (conf_opt(&o, ch, optarg) == -1)
			usage();
	}
	if (optind != argc)
		usage();
	conf_startup(&c, &o, "rampart-setup");
	log_init("rampart-setup", 1, 0);
	if (spool_owners_get(&own, c.user, c.smtp_user) == -1)
		fatal("users %s and %s", c.user, c.smtp_user);
	if (!check && spool_init(c.spool, &own) == -1)
		fatal("spool_init %s", c.spool);
	if (path_fmt(fifo, sizeof(fifo), "%s/FIFO", c.spool) == -1)
		fatal("%s/FIFO", c.spool);
	if (!check && (fifo_make(fifo, 0620) == -1 ||
	    (own.daemon_uid != (uid_t)-1 &&
	    chown(fifo, own.daemon_uid, own.daemon_gid) == -1)))
		fatal("%s", fifo);
	if (spool_check(c.spool, &own, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s", err);
		fatalx("spool %s: wrong layout, owners or modes", c.spool);
	}
	if (check)
		printf("rampart-setup: spool %s OK\n", c.spool);
	return 0;
}
