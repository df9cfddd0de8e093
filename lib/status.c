/*
 * status: status/DEV, one line of key=value pairs that faxgetty rewrites
 * at every phase of a call.  Writes go through spool_replace (temporary
 * file, fsync, rename); this module never appends or edits in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "spool.h"
#include "status.h"

int
status_write(struct spool *sp, const char *dev, const char *line)
{
	char buf[STATUS_MAX + 2];
	size_t n;

	if (!spool_name_ok(dev) || strchr(line, '\n') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (path_fmt(buf, sizeof(buf), "%s\n", line) == -1)
		return -1;
	n = strlen(buf);
	return spool_replace(sp, "status", dev, buf, n);
}

int
status_read(struct spool *sp, const char *dev, char *line, size_t sz)
{
	char path[STATUS_MAX], *buf;
	size_t len;

	if (!spool_name_ok(dev)) {
		errno = EINVAL;
		return -1;
	}
	if (path_fmt(path, sizeof(path), "status/%s", dev) == -1)
		return -1;
	if (spool_read(sp, path, STATUS_MAX, &buf, &len) == -1)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	if (str_copy(line, buf, sz) == -1) {
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}
