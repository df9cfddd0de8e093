/*
 * mail: composition helpers over GMime and the notify/ hand-off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kv.h"
#include "log.h"
#include "mail.h"
#include "path.h"
#include "queued.h"
#include "spool.h"

void
mail_init(void)
{
	g_mime_init();
}

char *
mail_clean(const char *s, size_t max)
{
	gchar *v = g_utf8_make_valid(s != NULL ? s : "", -1);
	gchar *p;

	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen(v) > max) {
		p = g_utf8_find_prev_char(v, v + max + 1);
		while (p != NULL && p > v && (size_t)(p - v) > max)
			p = g_utf8_find_prev_char(v, p);
		if (p != NULL)
			*p = '\0';
	}
	return v;
}

GMimeMessage *
mail_new(const char *hostname, const char *nid, const char *from_name,
    const char *from_addr, const char *to, const char *subject,
    const char *auto_submitted)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GDateTime *now = g_date_time_new_now_local();
	char mid[256], *subj;

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, from_name,
	    from_addr);
	if (to != NULL)
		g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL, to);
	subj = mail_clean(subject, 400);
	g_mime_message_set_subject(m, subj, "utf-8");
	g_free(subj);
	g_mime_message_set_date(m, now);
	g_date_time_unref(now);
	(void)snprintf(mid, sizeof(mid), "%s@%s", nid, hostname);
	g_mime_message_set_message_id(m, mid);
	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted",
	    auto_submitted, NULL);
	return m;
}

GMimeObject *
mail_text(const char *text)
{
	GMimeTextPart *t = g_mime_text_part_new_with_subtype("plain");
	gchar *v = g_utf8_make_valid(text, -1);

	g_mime_text_part_set_text(t, v);
	g_free(v);
	return GMIME_OBJECT(t);
}

GMimeObject *
mail_blob(const char *type, const char *subtype, const void *data,
    size_t len, const char *filename, int binary)
{
	GMimePart *p = g_mime_part_new_with_type(type, subtype);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s,
	    GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_part_set_content(p, w);
	g_object_unref(w);
	g_object_unref(s);
	if (binary)
		g_mime_part_set_content_encoding(p,
		    GMIME_CONTENT_ENCODING_BASE64);
	else
		g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_7BIT);
	if (filename != NULL)
		g_mime_part_set_filename(p, filename);
	return GMIME_OBJECT(p);
}

int
mail_exists(struct spool *sp, const char *nid)
{
	static const char *const where[] = { "notify/new", "notify/cur",
	    "sent", NULL };
	char path[256];
	int fd;

	for (const char *const *w = where; *w != NULL; w++) {
		if (path_fmt(path, sizeof(path), "%s/%s", *w, nid) == -1)
			return 0;
		if ((fd = spool_open_read(sp, path)) != -1) {
			close(fd);
			return 1;
		}
		if (errno != ENOENT)
			return 1;	/* there, whatever else is wrong */
	}
	return 0;
}

int
mail_publish(struct qd *q, const char *nid, const char *kind,
    const char *about, const char *mail_from, const char *const *rcpt,
    size_t nrcpt, GMimeObject *msg)
{
	GMimeFormatOptions *fo;
	GMimeStream *mem;
	GByteArray *ba;
	struct kvbuf b;
	char size[32];
	size_t i;
	int r = -1;

	if (mail_exists(q->sp, nid))
		return 1;
	fo = g_mime_format_options_clone(NULL);
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(msg, fo, mem) == -1)
		goto out;
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	kvb_init(&b);
	kvb_str(&b, "version", "1");
	kvb_str(&b, "id", nid);
	kvb_str(&b, "kind", kind);
	kvb_str(&b, "about", about);
	kvb_num(&b, "created", (long long)time(NULL));
	kvb_str(&b, "mail_from", mail_from);
	for (i = 0; i < nrcpt; i++)
		kvb_str(&b, "rcpt", rcpt[i]);
	(void)snprintf(size, sizeof(size), "%020u", (unsigned)ba->len);
	kvb_str(&b, "size", size);
	kvb_raw(&b, "\n", 1);
	kvb_raw(&b, ba->data, ba->len);
	if (b.err)
		errno = ENOMEM;
	else if (spool_put(q->sp, "notify", nid, b.buf, b.len) == 0)
		r = 0;
	else if (errno == EEXIST)
		r = 1;
	if (r == -1)
		log_warn("notice=%s about=%s: cannot publish", nid, about);
	else if (r == 0) {
		log_info("notice=%s kind=%s about=%s rcpts=%zu published", nid,
		    kind, about, nrcpt);
		qd_wake_notifyd(q, nid);
	}
	kvb_free(&b);
out:
	g_object_unref(mem);
	g_mime_format_options_free(fo);
	return r;
}
