/*
 * config_keys: every key rampart.conf accepts, with its type, bounds and
 * default.  Adding a key: a field in struct conf (config.h), a row here,
 * an entry in rampart.conf(5).  Same spelling in all three.
 */
#include <stddef.h>

#include "config.h"
#include "tls.h"

#define STR(k, d)		{ #k, CONF_STR, offsetof(struct conf, k), d, 0, 0, NULL }
#define STRLEN(k, d, n)		{ #k, CONF_STR, offsetof(struct conf, k), d, 0, n, NULL }
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
	NUM(retry_interval, CONF_SECONDS, "5m", 1, 7 * 86400),
	NUM(busy_retry_interval, CONF_SECONDS, "2m", 1, 7 * 86400),
	NUM(max_job_age, CONF_SECONDS, "1d", 60, 30 * 86400),
	NUM(max_calls_per_number, CONF_INT, "1", 1, 64),
	ONE_OF(notify, "per-recipient", "per-recipient|per-message"),
	NUM(notify_success, CONF_BOOL, "yes", 0, 1),
	ONE_OF(fax_body, "auto", "auto|always|never"),
	NUM(dedupe_time, CONF_SECONDS, "7d", 0, 365 * 86400),
	NUM(queued_max_parallel, CONF_INT, "2", 1, 64),
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
	/* smtpd */
	STR(smtpd_listen_starttls, "0.0.0.0:587"),
	STR(smtpd_listen_tls, "0.0.0.0:465"),
	STR(tls_cert_file, SYSCONFDIR "/rampart/smtpd.crt"),
	STR(tls_key_file, SYSCONFDIR "/rampart/smtpd.key"),
	ONE_OF(tls_min_version, "1.2", "1.2|1.3"),
	STR(tls_ciphers, TLS_DEFAULT_CIPHERS),
	ONE_OF(tls_verify_client, "none", "none|optional|require"),
	STR(tls_ca_file, ""),
	STR(tls_client_map, ""),
	STR(accounts_file, SYSCONFDIR "/rampart/accounts"),
	NUM(max_message_size, CONF_BYTES, "25M", 1024, 1024L * 1024 * 1024),
	NUM(max_recipients, CONF_INT, "50", 1, 1000),
	NUM(smtpd_timeout, CONF_SECONDS, "5m", 1, 3600),
	NUM(smtpd_starttls_timeout, CONF_SECONDS, "30s", 1, 600),
	NUM(smtpd_max_connections, CONF_INT, "1000", 1, 100000),
	NUM(smtpd_max_connections_per_client, CONF_INT, "20", 1, 100000),
	NUM(smtpd_max_errors, CONF_INT, "3", 1, 100),
	NUM(auth_max_failures, CONF_INT, "5", 1, 1000),
	NUM(auth_lockout, CONF_SECONDS, "15m", 1, 86400),
	NUM(auth_fail_delay, CONF_SECONDS, "1s", 0, 60),
	/* fax addresses and the dial plan */
	STR(fax_domains, ""),
	STR(dial_country_code, "1"),
	STR(dial_national_prefix, "1"),
	STR(dial_international_prefix, "011"),
	STR(dial_prefix, ""),
	NUM(dial_international, CONF_BOOL, "no", 0, 1),
	STR(dial_allow, ""),
	STR(dial_deny, "+1900 +1976"),
	/* faxgetty */
	STR(modem_init, "ATE0V1Q0S0=0"),
	STR(modem_init2, "AT+VCID=1"),
	STR(modem_init3, ""),
	STR(modem_reset, "ATH0"),
	STR(modem_flow, "AT+IFC=2,2"),
	STR(dial_command, "ATDT"),
	STRLEN(station_id, "", 20),	/* T.30: 20 characters */
	STRLEN(page_header, "", 50),
	STR(lock_dir, "/var/lock"),
	NUM(rings_before_answer, CONF_INT, "1", 0, 20),
	NUM(dial_timeout, CONF_SECONDS, "90", 5, 600),
	NUM(call_timeout, CONF_SECONDS, "3600", 30, 86400),
	NUM(fax_ecm, CONF_BOOL, "yes", 0, 1),
	NUM(fax_max_rate, CONF_INT, "14400", 2400, 14400),
	NUM(modem_retry_max, CONF_SECONDS, "300", 1, 3600),
	STR(dtmf_dids, ""),
	NUM(dtmf_digits, CONF_INT, "8", 1, 32),
	NUM(dtmf_timeout, CONF_SECONDS, "10", 1, 60),
	/* onramp: received faxes */
	STR(route_file, ""),
	STR(fax_from, ""),
	{ NULL, CONF_STR, 0, NULL, 0, 0, NULL }
};
