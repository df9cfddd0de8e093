/*
 * config_keys: every key rampart.conf accepts, with its type, bounds and
 * default.  Adding a key: a field in struct conf (config.h), a row here,
 * an entry in rampart.conf(5).  Same spelling in all three.
 */
#include <stddef.h>

#include "config.h"

#define STR(k, d)		{ #k, CONF_STR, offsetof(struct conf, k), d, 0, 0 }
#define NUM(k, t, d, lo, hi)	{ #k, t, offsetof(struct conf, k), d, lo, hi }

const struct conf_key conf_keys[] = {
	STR(spool, SPOOLDIR),
	STR(user, "rampart"),
	STR(smtp_user, "rampart-smtp"),
	STR(modem_group, "dialout"),
	NUM(keep, CONF_INT, "30", 0, 3650),
	NUM(rescan_interval, CONF_SECONDS, "60", 1, 86400),
	NUM(max_tries, CONF_INT, "6", 1, 100),
	NUM(retry_interval, CONF_SECONDS, "5m", 10, 7 * 86400),
	STR(hostname, ""),
	STR(admin, "postmaster"),
	{ NULL, CONF_STR, 0, NULL, 0, 0 }
};
