/*
 * config: rampart.conf, "key = value" lines with '#' comments.  One table
 * (config_keys.c) lists every key with its type, bounds and default, and
 * where it lives in struct conf; a key not in the table is an error.  The
 * key's spelling is the same in the file, in struct conf and in
 * rampart.conf(5).
 */
#ifndef RAMPART_CONFIG_H
#define RAMPART_CONFIG_H

#include <stddef.h>

#define CONF_STRMAX	256

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
#ifndef SPOOLDIR
#define SPOOLDIR	"/var/spool/rampart"
#endif
#define CONF_DEFAULT_PATH	SYSCONFDIR "/rampart/rampart.conf"

struct conf {
	/* spool and users */
	char	spool[CONF_STRMAX];
	char	user[CONF_STRMAX];
	char	smtp_user[CONF_STRMAX];
	char	modem_group[CONF_STRMAX];
	long	keep;			/* days done/ entries are kept */
	long	rescan_interval;	/* seconds between spool rescans */
	/* offramp policy (queued) */
	long	max_tries;
	long	retry_interval;		/* seconds */
	long	busy_retry_interval;	/* seconds, after a busy line */
	long	max_job_age;		/* seconds from intake to giving up */
	long	max_calls_per_number;
	char	notify[CONF_STRMAX];		/* per-recipient | per-message */
	long	notify_success;
	char	fax_body[CONF_STRMAX];		/* auto | always | never */
	long	dedupe_time;		/* seconds a Message-ID is remembered */
	long	queued_max_parallel;	/* messages unpacked/converted at once */
	char	nonurgent_hours[CONF_STRMAX];	/* "19-7": when non-urgent jobs go */
	/* sites */
	char	hostname[CONF_STRMAX];
	char	admin[CONF_STRMAX];
	/* documents to fax pages (convert, run by queued) */
	char	fax_resolution[CONF_STRMAX];	/* normal | fine */
	char	paper[CONF_STRMAX];		/* a4 | letter */
	char	fax_compression[CONF_STRMAX];	/* mh | mr | mmr */
	long	max_pages;
	long	convert_max_size;		/* bytes */
	long	convert_timeout;		/* seconds, wall clock */
	long	convert_cpu;			/* seconds of CPU */
	long	convert_memory;			/* bytes of address space */
	char	cover_page[CONF_STRMAX];	/* template path, "" = none */
	/* smtpd */
	char	smtpd_listen_starttls[CONF_STRMAX];
	char	smtpd_listen_tls[CONF_STRMAX];
	char	tls_cert_file[CONF_STRMAX];
	char	tls_key_file[CONF_STRMAX];
	char	tls_min_version[CONF_STRMAX];
	char	tls_ciphers[CONF_STRMAX];
	char	tls_verify_client[CONF_STRMAX];
	char	tls_ca_file[CONF_STRMAX];
	char	tls_client_map[CONF_STRMAX];
	char	accounts_file[CONF_STRMAX];
	long	max_message_size;
	long	max_recipients;
	long	smtpd_timeout;
	long	smtpd_starttls_timeout;
	long	smtpd_max_connections;
	long	smtpd_max_connections_per_client;
	long	smtpd_max_errors;	/* hard limit: 421 */
	long	smtpd_soft_errors;	/* from here each error sleeps */
	long	smtpd_error_sleep;	/* seconds */
	long	smtpd_max_junk_commands;	/* then each one is an error */
	long	auth_max_failures;
	long	auth_lockout;
	long	auth_fail_delay;
	long	auth_workers;		/* password hashing processes */
	long	auth_hashes_per_client;	/* at once, per client address */
	/* fax addresses and the dial plan (smtpd, queued, faxgetty) */
	char	fax_domains[CONF_STRMAX];
	char	dial_country_code[CONF_STRMAX];
	char	dial_national_prefix[CONF_STRMAX];
	char	dial_international_prefix[CONF_STRMAX];
	char	dial_prefix[CONF_STRMAX];
	long	dial_international;
	char	dial_allow[CONF_STRMAX];
	char	dial_deny[CONF_STRMAX];
	/* faxgetty */
	char	modem_init[CONF_STRMAX];
	char	modem_init2[CONF_STRMAX];
	char	modem_init3[CONF_STRMAX];
	char	modem_reset[CONF_STRMAX];
	char	modem_flow[CONF_STRMAX];
	char	dial_command[CONF_STRMAX];
	char	station_id[CONF_STRMAX];
	char	page_header[CONF_STRMAX];
	char	lock_dir[CONF_STRMAX];
	long	rings_before_answer;
	long	dial_timeout;
	long	call_timeout;
	long	fax_ecm;
	long	fax_max_rate;
	long	modem_retry_max;
	char	dtmf_dids[CONF_STRMAX];	/* called numbers that get DTMF */
	long	dtmf_digits;
	long	dtmf_timeout;
	/* notifyd: outbound mail */
	char	relayhost[CONF_STRMAX];		/* host[:port], "" = MX */
	char	relay_auth_user[CONF_STRMAX];
	char	relay_auth_password_file[CONF_STRMAX];
	long	smtp_port;			/* port of MX hosts */
	char	smtp_tls_policy[CONF_STRMAX];	/* the default policy */
	char	smtp_tls_policy_map[CONF_STRMAX];
	char	smtp_tls_ca_file[CONF_STRMAX];
	char	smtp_tls_cert_file[CONF_STRMAX];
	char	smtp_tls_key_file[CONF_STRMAX];
	long	notifyd_max_parallel;
	long	notifyd_destination_concurrency;
	long	notifyd_max_per_connection;
	long	notifyd_retry_min;		/* seconds */
	long	notifyd_retry_max;		/* seconds */
	long	notifyd_max_age;		/* seconds */
	long	notifyd_connect_timeout;	/* seconds */
	long	notifyd_timeout;		/* seconds, per reply */
	/* onramp: received faxes (queued routes them, faxgetty refuses) */
	char	route_file[CONF_STRMAX];	/* rampart-routes(5); "" none */
	char	fax_from[CONF_STRMAX];		/* "" = fax@hostname */
};

enum conf_type {
	CONF_STR,	/* string up to CONF_STRMAX - 1 bytes */
	CONF_INT,	/* decimal integer within [min, max] */
	CONF_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	CONF_SECONDS,	/* integer with optional s, m, h, d suffix */
	CONF_BYTES,	/* integer with optional k, M, G suffix (1024-based) */
};

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 offset;	/* offsetof(struct conf, name) */
	const char	*defval;	/* parsed like a value from the file */
	long		 min, max;	/* numeric bounds; CONF_STR: max length */
	const char	*choices;	/* CONF_STR: "a|b|c" or NULL for any */
};

extern const struct conf_key conf_keys[];	/* NULL-terminated */

/* Fills c with every key's default. */
void	conf_defaults(struct conf *c);

/*
 * Reads path over the current values.  All problems are collected as
 * "file:line: message" lines in err (NUL-terminated, may be truncated).
 * Returns 0, or -1 if the file could not be read or had any error.
 */
int	conf_load(struct conf *c, const char *path, char *err, size_t errsz);

/* Sets one key from text; returns 0 or -1 with a message in err. */
int	conf_set(struct conf *c, const char *key, const char *value,
	    char *err, size_t errsz);

const struct conf_key *conf_lookup(const char *name);

/* Typed getters by name, for code that is handed a key name. */
const char *conf_get_str(const struct conf *c, const char *name);
long	conf_get_int(const struct conf *c, const char *name);

#define CONF_MAXOVERRIDE	32

/* The options every program takes: -f CONF -s SPOOL -o KEY=VALUE -n -d -v. */
struct conf_opts {
	const char	*conf_file;	/* NULL: CONF_DEFAULT_PATH if present */
	const char	*spool;		/* -s, overrides spool = */
	int		 check_only;	/* -n */
	int		 foreground;	/* -d */
	int		 verbose;	/* -v, may repeat */
	const char	*override[CONF_MAXOVERRIDE];	/* -o key=value */
	int		 noverride;
};

#define CONF_GETOPT	"f:s:o:ndv"

/* Handles one of CONF_GETOPT's options; returns 0, or -1 if ch is not one. */
int	conf_opt(struct conf_opts *o, int ch, const char *arg);

/*
 * Start-up for every program: defaults, the config file, -s, then each
 * -o key=value (they win over the file).  With -n,
 * prints the problems (or "PROG: configuration OK") and exits 0 or 78;
 * otherwise a bad configuration exits 78 with the problems on stderr.
 */
void	conf_startup(struct conf *c, const struct conf_opts *o,
	    const char *progname);

/*
 * A program's own files named by the configuration (route_file), checked
 * by conf_startup() once the configuration is good: with -n and at every
 * start.  fn appends "file:line: message" lines to err and returns 0 or
 * -1.  Set before conf_startup().
 */
void	conf_set_check(int (*fn)(const struct conf *c, char *err,
	    size_t errsz));

#define EXIT_CONFIG	78	/* sysexits EX_CONFIG */

#endif
