/*
 * unpack_mime: the GMime walk.  Runs only inside the sandbox, on a message
 * from outside: every limit is checked before the work it bounds, and
 * every name from the message is escaped before it is written.
 *
 * What a part becomes:
 *   text/plain, not an attachment, the first one: the body (body.txt);
 *   text/html, not an attachment, when there is no plain body: noted as
 *     an HTML body (not faxed: convert does not render HTML);
 *   application/ms-tnef or winmail.dat: noted as TNEF (refused with a
 *     notice that says how to set the mail client);
 *   signatures (pkcs7, pgp) and calendar or contact cards: skipped;
 *   message/rfc822: walked into, its own parts become parts;
 *   multipart/alternative: its plain part if it has one, else its first;
 *   anything else: an attachment, decoded into part.N for convert, which
 *     tells the format from the bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "kv.h"
#include "unpack.h"

struct walk {
	int		 dirfd;
	int		 nparts;
	int		 have_body, have_html;
	struct kvbuf	 man;
	char		*reason;
	size_t		 reasonsz;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct walk *w, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->reason, w->reasonsz, fmt, ap);
	va_end(ap);
	return code;
}

static int
save(struct walk *w, const char *file, GMimeDataWrapper *dw,
    const char *text)
{
	GMimeStream *out;
	int fd, r = 0;

	fd = openat(w->dirfd, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		return fail(w, UNPACK_EINTERNAL, "create %s", file);
	out = g_mime_stream_fs_new(fd);		/* owns fd */
	if (text != NULL) {
		if (g_mime_stream_write_string(out, text) == -1)
			r = -1;
	} else if (dw != NULL && g_mime_data_wrapper_write_to_stream(dw,
	    out) == -1)
		r = -1;
	if (g_mime_stream_flush(out) == -1)
		r = -1;
	g_object_unref(out);
	if (r == -1)
		return fail(w, UNPACK_ELIMIT, "%s: cannot write the part "
		    "(too large?)", file);
	return UNPACK_OK;
}

static void
note(struct walk *w, const char *kind, const char *type, const char *name,
    const char *file)
{
	kvb_str(&w->man, "part", kind);
	kvb_str(&w->man, "type", type);
	kvb_str(&w->man, "name", name != NULL ? name : "");
	kvb_str(&w->man, "file", file != NULL ? file : "");
}

static int
is_type(GMimeContentType *ct, const char *t, const char *s)
{
	return g_mime_content_type_is_type(ct, t, s);
}

static int walk_obj(struct walk *w, GMimeObject *o, int depth);

static int
leaf(struct walk *w, GMimePart *p)
{
	GMimeObject *o = GMIME_OBJECT(p);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition(o);
	const char *name = g_mime_part_get_filename(p);
	char *type = g_mime_content_type_get_mime_type(ct), file[32];
	int attach = (cd != NULL && g_mime_content_disposition_is_attachment(cd))
	    || name != NULL;
	int r = UNPACK_OK;

	if (++w->nparts > UNPACK_MAXPARTS) {
		g_free(type);
		return fail(w, UNPACK_ELIMIT, "more than %d parts", UNPACK_MAXPARTS);
	}
	if (is_type(ct, "application", "ms-tnef") || (name != NULL &&
	    g_ascii_strcasecmp(name, "winmail.dat") == 0))
		note(w, "tnef", type, name, NULL);
	else if (is_type(ct, "application", "pkcs7-signature") ||
	    is_type(ct, "application", "x-pkcs7-signature") ||
	    is_type(ct, "application", "pgp-signature") ||
	    is_type(ct, "text", "calendar") || is_type(ct, "text", "vcard") ||
	    is_type(ct, "text", "x-vcard"))
		note(w, "skipped", type, name, NULL);
	else if (!attach && is_type(ct, "text", "plain") && !w->have_body &&
	    GMIME_IS_TEXT_PART(p)) {
		char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(p));

		w->have_body = 1;
		r = save(w, "body.txt", NULL, text != NULL ? text : "");
		g_free(text);
		note(w, "body", type, NULL, "body.txt");
	} else if (!attach && is_type(ct, "text", "*")) {
		if (is_type(ct, "text", "html"))
			w->have_html = 1;
		note(w, "text", type, NULL, NULL);	/* another body */
	} else {
		const char *cs = g_mime_content_type_get_parameter(ct, "charset");
		char *full = NULL;

		/* convert(8) reads a text attachment's charset from -T */
		if (is_type(ct, "text", "*") && cs != NULL && strlen(cs) < 40)
			full = g_strdup_printf("%s; charset=%s", type, cs);
		snprintf(file, sizeof(file), "part.%d", w->nparts);
		r = save(w, file, g_mime_part_get_content(p), NULL);
		note(w, "attachment", full != NULL ? full : type, name, file);
		g_free(full);
	}
	g_free(type);
	return r;
}

static int
alternative(struct walk *w, GMimeMultipart *mp, int depth)
{
	int i, n = g_mime_multipart_get_count(mp);
	GMimeObject *pick = NULL, *c;

	for (i = 0; i < n && pick == NULL; i++) {
		c = g_mime_multipart_get_part(mp, i);
		if (GMIME_IS_PART(c) && is_type(g_mime_object_get_content_type(c),
		    "text", "plain"))
			pick = c;
	}
	if (pick == NULL && n > 0)
		pick = g_mime_multipart_get_part(mp, 0);
	return pick == NULL ? UNPACK_OK : walk_obj(w, pick, depth + 1);
}

static int
walk_obj(struct walk *w, GMimeObject *o, int depth)
{
	int i, n, r;

	if (depth > UNPACK_MAXDEPTH)
		return fail(w, UNPACK_ELIMIT, "nested more than %d levels deep",
		    UNPACK_MAXDEPTH);
	if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(o));
		GMimeObject *body = m != NULL ? g_mime_message_get_mime_part(m) :
		    NULL;

		return body == NULL ? UNPACK_OK : walk_obj(w, body, depth + 1);
	}
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);

		if (is_type(g_mime_object_get_content_type(o), "multipart",
		    "alternative"))
			return alternative(w, mp, depth);
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++)
			if ((r = walk_obj(w, g_mime_multipart_get_part(mp, i),
			    depth + 1)) != UNPACK_OK)
				return r;
		return UNPACK_OK;
	}
	if (GMIME_IS_PART(o))
		return leaf(w, GMIME_PART(o));
	return UNPACK_OK;
}

/*
 * The sender's urgency, from Priority (RFC 2156: urgent, normal,
 * non-urgent), X-Priority (1 highest to 5) or Importance (high, normal,
 * low), the first present: 0 urgent, 127 normal, 255 non-urgent.
 */
static int
priority(GMimeObject *m)
{
	const char *v;

	if ((v = g_mime_object_get_header(m, "Priority")) != NULL) {
		while (*v == ' ')
			v++;
		if (g_ascii_strncasecmp(v, "urgent", 6) == 0)
			return 0;
		if (g_ascii_strncasecmp(v, "non-urgent", 10) == 0)
			return 255;
		return 127;
	}
	if ((v = g_mime_object_get_header(m, "X-Priority")) != NULL) {
		while (*v == ' ')
			v++;
		return *v == '1' || *v == '2' ? 0 : *v == '4' || *v == '5' ?
		    255 : 127;
	}
	if ((v = g_mime_object_get_header(m, "Importance")) != NULL) {
		while (*v == ' ')
			v++;
		return g_ascii_strncasecmp(v, "high", 4) == 0 ? 0 :
		    g_ascii_strncasecmp(v, "low", 3) == 0 ? 255 : 127;
	}
	return 127;
}

/* reachable for the process's life, so that no leak check counts them */
static iconv_t preloaded[32];

void
unpack_preload(void)
{
	static const char *const cs[] = { "ISO-8859-1", "ISO-8859-2",
	    "ISO-8859-5", "ISO-8859-7", "ISO-8859-9", "ISO-8859-15",
	    "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
	    "WINDOWS-1254", "WINDOWS-1257", "KOI8-R", "UTF-16", "UTF-7",
	    "SHIFT_JIS", "EUC-JP", "ISO-2022-JP", "GB18030", "BIG5",
	    "EUC-KR", "CP850", "CP437", NULL };
	int i;

	g_mime_init();
	/* kept open for the process's life: the modules stay loaded */
	for (i = 0; cs[i] != NULL; i++)
		preloaded[i] = iconv_open("UTF-8", cs[i]);
}

int
unpack_mime(const char *buf, size_t len, int dirfd, char *reason,
    size_t reasonsz)
{
	GMimeStream *s;
	GMimeParser *p;
	GMimeMessage *m;
	GMimeObject *body;
	InternetAddressList *from;
	struct walk w;
	char *fs;
	int r, fd;

	memset(&w, 0, sizeof(w));
	w.dirfd = dirfd;
	w.reason = reason;
	w.reasonsz = reasonsz;
	reason[0] = '\0';
	s = g_mime_stream_mem_new_with_buffer(buf, len);
	p = g_mime_parser_new_with_stream(s);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (m == NULL)
		return fail(&w, UNPACK_ECORRUPT, "%s", "not a mail message");
	kvb_init(&w.man);
	kvb_str(&w.man, "version", "1");
	kvb_str(&w.man, "message_id", g_mime_message_get_message_id(m) ?
	    g_mime_message_get_message_id(m) : "");
	kvb_str(&w.man, "subject", g_mime_message_get_subject(m) ?
	    g_mime_message_get_subject(m) : "");
	from = g_mime_message_get_from(m);
	fs = from != NULL ? internet_address_list_to_string(from, NULL,
	    FALSE) : NULL;
	kvb_str(&w.man, "from", fs != NULL ? fs : "");
	g_free(fs);
	kvb_num(&w.man, "priority", priority(GMIME_OBJECT(m)));
	body = g_mime_message_get_mime_part(m);
	r = body != NULL ? walk_obj(&w, body, 0) : UNPACK_OK;
	kvb_num(&w.man, "html_body", w.have_html && !w.have_body);
	g_object_unref(m);
	if (r == UNPACK_OK && w.man.err)
		r = fail(&w, UNPACK_EINTERNAL, "%s", "out of memory");
	if (r == UNPACK_OK) {
		fd = openat(dirfd, "manifest", O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 || write(fd, w.man.buf, w.man.len) !=
		    (ssize_t)w.man.len || close(fd) == -1)
			r = fail(&w, UNPACK_EINTERNAL, "%s", "write manifest");
	}
	kvb_free(&w.man);
	return r;
}
