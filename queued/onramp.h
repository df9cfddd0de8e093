/*
 * onramp: received faxes authorized, routed and mailed (onramp.c), made
 * into PDF without decoding them (pdf.c) and, per route, encrypted to the
 * recipients' certificates with S/MIME (smime.c).
 */
#ifndef RAMPART_QUEUED_ONRAMP_H
#define RAMPART_QUEUED_ONRAMP_H

#include <stddef.h>

#include <glib.h>

#include "pdf.h"

struct conf;


/*
 * CMS enveloped-data (AES-256-CBC) of len bytes of a MIME entity to every
 * certificate in the PEM file certfile; *der is the DER encoding
 * (g_byte_array_unref).  0, or -1 with err.
 */
int	smime_encrypt(const char *certfile, const void *in, size_t len,
	    GByteArray **der, char *err, size_t errsz);
/* 0 if certfile holds at least one usable certificate; -1 with err */
int	smime_check(const char *certfile, char *err, size_t errsz);

/*
 * For conf_set_check(): route_file and the certificates it names.  A bad
 * certificate is an error when onramp_strict_certs is set (-n), else a
 * warning: a certificate that expires must not keep queued from starting
 * (the faxes of its route go to the admin until it is replaced).
 */
extern int onramp_strict_certs;
int	onramp_conf_check(const struct conf *c, char *err, size_t errsz);

#endif
