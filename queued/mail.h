/*
 * mail: every mail rampart sends is composed with GMime and published here
 * as notify/new/NID (rampart-spool(5)): an envelope, an empty line, the
 * message with CRLF line ends.  Outside text (subjects, names, station
 * ids) goes into headers only through GMime, which encodes it, after
 * mail_clean(); nothing from outside is ever written as a raw header line.
 */
#ifndef RAMPART_QUEUED_MAIL_H
#define RAMPART_QUEUED_MAIL_H

#include <stddef.h>

#include <gmime/gmime.h>

struct qd;
struct spool;

void	mail_init(void);

/*
 * A new message: From (name and address), To, Subject, Date (now),
 * Message-ID <nid@hostname>, Auto-Submitted.  to may be NULL.
 */
GMimeMessage *mail_new(const char *hostname, const char *nid,
	    const char *from_name, const char *from_addr, const char *to,
	    const char *subject, const char *auto_submitted);

/* a text/plain; charset=utf-8 part */
GMimeObject *mail_text(const char *text);
/* a part of type/subtype holding len bytes, base64 when binary */
GMimeObject *mail_blob(const char *type, const char *subtype,
	    const void *data, size_t len, const char *filename, int binary);

/*
 * Outside text made fit for a header or a line of text: valid UTF-8,
 * control characters (CR and LF among them) as spaces, at most max bytes
 * (on a character boundary).  Returns a new string (g_free).
 */
char	*mail_clean(const char *s, size_t max);

/* 1 if notice nid was published already (notify/new, notify/cur, sent/) */
int	mail_exists(struct spool *sp, const char *nid);

/*
 * Writes notify/new/NID durably and wakes notifyd.  kind is dsn, fax or
 * alert; about an id or "-"; mail_from "" for the null sender.  Returns
 * 0, 1 if it was published before (nothing written), or -1.
 */
int	mail_publish(struct qd *q, const char *nid, const char *kind,
	    const char *about, const char *mail_from,
	    const char *const *rcpt, size_t nrcpt, GMimeObject *msg);

#endif
