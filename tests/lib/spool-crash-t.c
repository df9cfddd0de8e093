/*
 * spool-crash-t: a child writes 1,000 files through spool_put while the
 * parent SIGKILLs it at random moments.  Afterwards no partial or empty
 * file may be visible in new/, and every file the child reported as
 * written must be complete.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"
#include "tap.h"

#define NFILES	1000

/* file i holds (i % 50 + 1) * 1021 bytes of a pattern that names it */
static size_t
content(int i, char *buf, size_t max)
{
	size_t len = (size_t)(i % 50 + 1) * 1021, k;

	if (len > max)
		bail("buffer");
	for (k = 0; k < len; k++)
		buf[k] = (char)('a' + (i + k) % 26);
	return len;
}

static void
writer(struct spool *sp, int from, int fd)
{
	static char buf[64 * 1024];
	char name[32];
	int i;

	/* as every program does at start-up: clear what a crash left in tmp/ */
	if (spool_clean_tmp(sp, "incoming", 0) == -1)
		_exit(4);
	for (i = from; i < NFILES; i++) {
		snprintf(name, sizeof(name), "f%04d", i);
		if (spool_put(sp, "incoming", name, buf, content(i, buf,
		    sizeof(buf))) == -1 && errno != EEXIST)
			_exit(2);
		if (write(fd, &i, sizeof(i)) != sizeof(i))	/* "reported" */
			_exit(3);
	}
	_exit(0);
}

int
main(void)
{
	struct spool_owners own = { (uid_t)-1, (gid_t)-1, (uid_t)-1 };
	static char want[64 * 1024];
	char top[512], name[64], *buf;
	int reported[NFILES] = { 0 }, next = 0, kills = 0, bad = 0, missing = 0;
	int visible = 0, i, p[2], st, r;
	size_t len;
	struct spool *sp;
	pid_t pid;

	plan(4);
	snprintf(top, sizeof(top), "%s/spool", test_tmpdir());
	if (spool_init(top, &own) == -1 || (sp = spool_open(top)) == NULL)
		bail("spool");
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	while (next < NFILES) {
		if (pipe(p) == -1 || (pid = fork()) == -1)
			bail("fork");
		if (pid == 0) {
			close(p[0]);
			writer(sp, next, p[1]);
		}
		close(p[1]);
		usleep(random() % 20000);	/* 0..20 ms, then kill */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st))
			kills++;
		else if (WEXITSTATUS(st) != 0)
			bail("writer failed with %d", WEXITSTATUS(st));
		while (read(p[0], &r, sizeof(r)) == sizeof(r))
			if (r >= 0 && r < NFILES) {
				reported[r] = 1;
				if (r >= next)
					next = r + 1;
			}
		close(p[0]);
		/* a file written but not reported is found on the next pass by EEXIST */
	}
	for (i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "incoming/new/f%04d", i);
		if (spool_read(sp, name, sizeof(want), &buf, &len) == -1) {
			missing += reported[i];
			continue;
		}
		visible++;
		if (len != content(i, want, sizeof(want)) || memcmp(buf, want, len))
			bad++;
		free(buf);
	}
	diag("%d kills, %d files visible, %d reported", kills, visible, NFILES);
	ok(kills >= 10, "the writer was killed at least 10 times (%d)", kills);
	is_int(0, bad, "no partial or corrupt file is visible in new/");
	is_int(0, missing, "every reported file is present");
	is_int(NFILES, visible, "all 1000 files arrived across the kills");
	spool_close(sp);
	return 0;
}
