/*
 * config_keys: every key rampart.conf accepts, with its type, bounds and
 * default.  Adding a key: a field in struct conf (config.h), a row here,
 * an entry in rampart.conf(5).  Same spelling in all three.
 */
#include <stddef.h>

#include "config.h"

#define STR(k, d)		{ #k, CONF_STR, offsetof(struct conf, k), d, 0, 0, NULL }
#define ONE_OF(k, d, c)		{ #k, CONF_STR, offsetof(struct conf, k), d, 0, 0, c }
#define NUM(k, t, d, lo, hi)	{ #k, t, offsetof(struct conf, k), d, lo, hi, NULL }

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
	ONE_OF(fax_resolution, "normal", "normal|fine"),
	ONE_OF(paper, "a4", "a4|letter"),
	ONE_OF(fax_compression, "mmr", "mh|mr|mmr"),
	NUM(max_pages, CONF_INT, "100", 1, 10000),
	NUM(convert_max_size, CONF_BYTES, "32M", 1024, 1024L * 1024 * 1024),
	NUM(convert_timeout, CONF_SECONDS, "120", 1, 3600),
	NUM(convert_cpu, CONF_SECONDS, "60", 1, 3600),
	NUM(convert_memory, CONF_BYTES, "512M", 64L * 1024 * 1024,
	    16L * 1024 * 1024 * 1024),
	STR(cover_page, ""),
	{ NULL, CONF_STR, 0, NULL, 0, 0, NULL }
};
