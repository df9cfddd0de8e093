/*
 * spool-fault-t: injected write, fsync and rename failures.  A failed
 * durable write reports -1 with the cause in errno and leaves nothing in
 * new/ or tmp/; short writes and EINTR are retried to a whole file.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakeio.h"
#include "spool.h"
#include "tap.h"

static char top[512];

#define exists(rel)	file_exists("%s/%s", top, rel)

int
main(void)
{
	struct spool_owners own = { (uid_t)-1, (gid_t)-1, (uid_t)-1 };
	struct spool *sp;
	char data[10000], *buf;
	size_t len;

	plan(17);
	memset(data, 'x', sizeof(data));
	snprintf(top, sizeof(top), "%s/spool", test_tmpdir());
	if (spool_init(top, &own) == -1 || (sp = spool_open(top)) == NULL)
		bail("spool");

	fakeio.write_fail_after = 1;
	fakeio.write_errno = ENOSPC;
	is_int(-1, spool_put(sp, "incoming", "a", data, sizeof(data)), "ENOSPC on write fails the put");
	is_int(ENOSPC, errno, "errno says ENOSPC");
	ok(!exists("incoming/new/a") && !exists("incoming/tmp/a"), "nothing left behind");

	fakeio.fsync_fail = EIO;
	is_int(-1, spool_put(sp, "incoming", "b", data, sizeof(data)), "a failed fsync fails the put");
	is_int(EIO, errno, "errno says EIO");
	ok(!exists("incoming/new/b") && !exists("incoming/tmp/b"), "nothing left behind");

	fakeio.rename_fail = EXDEV;
	is_int(-1, spool_put(sp, "incoming", "c", data, sizeof(data)), "a failed rename fails the put");
	is_int(EXDEV, errno, "errno says EXDEV");
	ok(!exists("incoming/new/c") && !exists("incoming/tmp/c"), "nothing left behind");

	fakeio.write_short = 7;
	fakeio.write_eintr = 3;
	is_int(0, spool_put(sp, "incoming", "d", data, sizeof(data)), "short writes and EINTR are retried");
	fakeio.write_short = 0;
	ok(spool_read(sp, "incoming/new/d", sizeof(data), &buf, &len) == 0 &&
	    len == sizeof(data) && memcmp(buf, data, len) == 0, "the file is whole");
	free(buf);

	spool_mkdir(sp, "jobs/j", 0750);
	spool_replace(sp, "jobs/j", "job", "old\n", 4);
	fakeio.write_fail_after = 1;
	fakeio.write_errno = EDQUOT;
	is_int(-1, spool_replace(sp, "jobs/j", "job", "new\n", 4), "a failed replace reports -1");
	is_int(EDQUOT, errno, "errno says EDQUOT");
	spool_read(sp, "jobs/j/job", 100, &buf, &len);
	is_string("old\n", buf, "the old file is untouched");
	free(buf);
	ok(!exists("jobs/j/.job.tmp"), "the temporary file is gone");
	fakeio.fsync_fail = EIO;
	is_int(-1, spool_replace(sp, "jobs/j", "job", "new\n", 4), "a failed fsync fails the replace");
	spool_read(sp, "jobs/j/job", 100, &buf, &len);
	is_string("old\n", buf, "and the old file is still untouched");
	free(buf);
	spool_close(sp);
	return 0;
}
