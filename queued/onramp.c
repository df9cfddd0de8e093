/*
 * onramp: received faxes (recv/new/ID from faxgetty) authorized, routed
 * and mailed.  Not written yet: received faxes stay in recv/new, where
 * nothing is lost, until it is.
 */
#include "log.h"
#include "queued.h"

void
onramp_scan(struct qd *q)
{
	(void)q;
}

void
onramp_one(struct qd *q, const char *id)
{
	(void)q;
	log_info("fax=%s received; the onramp is not written yet", id);
}
