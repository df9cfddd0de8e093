/* spool-t: durable writes, hand-offs, safe opens, scans and locks */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "tap.h"

static char top[512];

#define exists(rel)	file_exists("%s/%s", top, rel)

static char seen[8][64];
static int nseen;

static int
collect(const char *name, void *arg)
{
	(void)arg;
	if (nseen < 8)
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
	return 0;
}

static int
lock_in_child(struct spool *sp, const char *path)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == 0)
		_exit(spool_lock(sp, path) == -1 && errno == EWOULDBLOCK ? 1 : 0);
	waitpid(pid, &st, 0);
	return WEXITSTATUS(st);
}

int
main(void)
{
	struct spool_owners own = { (uid_t)-1, (gid_t)-1, (uid_t)-1 };
	struct spool_file *f;
	struct spool *sp;
	char err[2048], *buf, p1[1024], p2[1024];
	size_t len;
	int fd;

	plan(36);
	snprintf(top, sizeof(top), "%s/spool", test_tmpdir());
	is_int(0, spool_init(top, &own), "spool_init makes the layout");
	is_int(0, spool_check(top, &own, err, sizeof(err)), "spool_check accepts it");
	if ((sp = spool_open(top)) == NULL)
		bail("spool_open");

	is_int(0, spool_put(sp, "incoming", "m1", "hello", 5), "spool_put");
	ok(exists("incoming/new/m1") && !exists("incoming/tmp/m1"),
	    "the file is in new/ and gone from tmp/");
	is_int(0, spool_read(sp, "incoming/new/m1", 100, &buf, &len), "spool_read");
	ok(len == 5 && memcmp(buf, "hello", 5) == 0, "content is whole");
	free(buf);
	is_int(-1, spool_read(sp, "incoming/new/m1", 4, &buf, &len), "a file over max");
	is_int(EFBIG, errno, "is refused with EFBIG");
	is_int(-1, spool_put(sp, "incoming", "m1", "other", 5), "a second put of the same name");
	is_int(EEXIST, errno, "fails with EEXIST and never replaces");
	is_int(-1, spool_put(sp, "incoming", "../jobs/x", "x", 1), "a name with a slash");
	is_int(EINVAL, errno, "is refused with EINVAL");
	is_int(-1, spool_put(sp, "../etc", "x", "x", 1), "an area outside the spool is refused");
	is_int(-1, spool_put(sp, "incoming", ".hidden", "x", 1), "a dot name is refused");

	f = spool_create(sp, "incoming", "m2");
	ok(f != NULL && spool_write(f, "abc", 3) == 0 && spool_write(f, "def", 3) == 0,
	    "streaming writes");
	is_int(6, spool_file_size(f), "size is counted");
	ok(!exists("incoming/new/m2"), "nothing is visible before commit");
	is_int(0, spool_commit(f), "spool_commit");
	ok(exists("incoming/new/m2"), "visible after commit");
	f = spool_create(sp, "incoming", "m3");
	spool_write(f, "partial", 7);
	spool_abort(f);
	ok(!exists("incoming/tmp/m3") && !exists("incoming/new/m3"),
	    "spool_abort leaves nothing behind");

	is_int(0, spool_take(sp, "incoming", "m1"), "spool_take");
	ok(exists("incoming/cur/m1") && !exists("incoming/new/m1"), "moved new/ -> cur/");

	is_int(0, spool_mkdir(sp, "jobs/j1", 0750), "spool_mkdir");
	is_int(0, spool_replace(sp, "jobs/j1", "job", "state = queued\n", 15), "spool_replace");
	is_int(0, spool_replace(sp, "jobs/j1", "job", "state = done\n", 13), "replaced again");
	spool_read(sp, "jobs/j1/job", 100, &buf, &len);
	is_string("state = done\n", buf, "the new content replaced the old");
	free(buf);
	is_int(0, spool_move(sp, "jobs/j1", "done/j1"), "spool_move of a job directory");
	ok(exists("done/j1/job") && !exists("jobs/j1"), "the job is in done/");

	nseen = 0;
	spool_put(sp, "notify", "b", "", 0);
	spool_put(sp, "notify", "a", "", 0);
	spool_put(sp, "notify", "c", "", 0);
	is_int(0, spool_scan(sp, "notify/new", collect, NULL), "spool_scan");
	ok(nseen == 3 && !strcmp(seen[0], "a") && !strcmp(seen[2], "c"),
	    "scan sees all entries in name order");

	snprintf(p1, sizeof(p1), "%s/incoming/cur/m1", top);
	snprintf(p2, sizeof(p2), "%s/incoming/cur/link", top);
	symlink(p1, p2);
	is_int(-1, spool_open_read(sp, "incoming/cur/link"), "a symlink is refused");
	snprintf(p2, sizeof(p2), "%s/incoming/cur/hard", top);
	link(p1, p2);
	ok(spool_open_read(sp, "incoming/cur/hard") == -1 && errno == EMLINK,
	    "a hard-linked file is refused with EMLINK");

	fd = spool_lock(sp, "jobs/lock-a");
	ok(fd != -1, "spool_lock takes a lock");
	is_int(1, lock_in_child(sp, "jobs/lock-a"), "another process cannot take it");
	spool_unlock(fd);
	is_int(0, lock_in_child(sp, "jobs/lock-a"), "after unlock it can");

	snprintf(p1, sizeof(p1), "%s/results/new", top);
	chmod(p1, 0777);
	spool_check(top, &own, err, sizeof(err));
	ok(strstr(err, "results/new: mode 0777, want 0700") != NULL,
	    "spool_check names a directory with a wrong mode");
	spool_close(sp);
	return 0;
}
