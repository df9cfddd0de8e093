/*
 * status: the one line of live modem state that faxgetty keeps in
 * status/DEV and faxstat reads.  The file is replaced by rename, so a
 * reader never needs a lock and never sees half a line.
 */
#ifndef RAMPART_STATUS_H
#define RAMPART_STATUS_H

#include <stddef.h>

struct spool;

#define STATUS_MAX	512

/* replaces status/dev with line (a newline is added); 0 or -1 */
int	status_write(struct spool *sp, const char *dev, const char *line);

/*
 * Reads status/dev into line (newline stripped); 0, or -1 with errno
 * (ENOENT if faxgetty never ran for dev).
 */
int	status_read(struct spool *sp, const char *dev, char *line, size_t sz);

#endif
