/*
 * sconf: smtpd's keys of rampart.conf.  Interim: until the lead merges
 * them into struct conf (see /work/notes/smtpd-requests.md) they are read
 * from the file given with -c, in rampart.conf's syntax.  The field names
 * are the key names, so the switch is a change of struct name.
 */
#ifndef RAMPART_SCONF_H
#define RAMPART_SCONF_H

#include "config.h"

struct sconf {
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
	char	fax_domains[CONF_STRMAX];
	char	dial_country_code[CONF_STRMAX];
	char	dial_national_prefix[CONF_STRMAX];
	char	dial_international_prefix[CONF_STRMAX];
	char	dial_prefix[CONF_STRMAX];
	long	dial_international;
	char	dial_allow[CONF_STRMAX];
	char	dial_deny[CONF_STRMAX];
	long	max_message_size;
	long	max_recipients;
	long	smtpd_timeout;
	long	smtpd_starttls_timeout;
	long	smtpd_max_connections;
	long	smtpd_max_connections_per_client;
	long	smtpd_max_errors;
	long	auth_max_failures;
	long	auth_lockout;
	long	auth_fail_delay;
};

void	sconf_defaults(struct sconf *sc);
/* reads path; problems as "file:line: message" lines in err; 0 or -1 */
int	sconf_load(struct sconf *sc, const char *path, char *err, size_t errsz);

#endif
