/*
 * ctl: requests from faxctl(8) in ctl/new/ID.
 */
#include "queued.h"

void
ctl_scan(struct qd *q)
{
	(void)q;
}
