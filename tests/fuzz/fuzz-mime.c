/*
 * fuzz-mime: queued's MIME unpacker (queued/unpack_mime.c, as the
 * sandboxed worker runs it) on any message, then the composition of a
 * notice from the outside text it found (queued/mail.c).
 * Aborts when: the status is not one unpack(8)'s supervisor maps; a
 * message unpacked with status 0 leaves no manifest, or one that does not
 * read strictly, or names a file that is not there; a part's kind is not
 * one queued knows; a notice whose subject and body are the message's
 * subject does not parse back with the same header names in the same
 * order and one text part (no header injection, whatever the subject).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "kv.h"
#include "mail.h"
#include "queued.h"
#include "unpack.h"

/* mail.c publishes through queued; this harness never publishes */
void
qd_wake_notifyd(struct qd *q, const char *nid)
{
	(void)q;
	(void)nid;
}

static char root[] = "/tmp/fuzz-mime.XXXXXX";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	unpack_preload();
	if (mkdtemp(root) == NULL)
		abort();
	return 0;
}

static void
rmdir_all(const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d = opendir(dir);

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

static int
header_names(GMimeObject *o, char *out, size_t sz)
{
	GMimeHeaderList *l = g_mime_object_get_header_list(o);
	int i, n = g_mime_header_list_get_count(l);

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(l, i);

		strncat(out, g_mime_header_get_name(h), sz - strlen(out) - 2);
		strncat(out, "|", sz - strlen(out) - 1);
	}
	return n;
}

/* a notice whose outside text is subject: must parse back the same */
static void
compose(const char *subject)
{
	char before[1024], after[1024];
	GMimeMessage *m, *back;
	GMimeObject *t;
	GMimeStream *mem;
	GMimeParser *p;

	m = mail_new("rampart.test", "7c1e4b2a-93d5-4e0f-8a6b-5d2c1f0e9b3a",
	    "Fax gateway", "MAILER-DAEMON@rampart.test", "sender@clinic.test",
	    subject, "auto-replied");
	t = mail_text(subject);
	g_mime_message_set_mime_part(m, t);
	g_object_unref(t);
	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem) == -1)
		abort();
	g_mime_stream_seek(mem, 0, GMIME_STREAM_SEEK_SET);
	p = g_mime_parser_new_with_stream(mem);
	back = g_mime_parser_construct_message(p, NULL);
	if (back == NULL)
		abort();
	/* exactly the headers mail_new writes, and one text part */
	header_names(GMIME_OBJECT(back), after, sizeof(after));
	if (strcmp(after, "Date|From|Subject|To|Message-Id|Auto-Submitted|"
	    "MIME-Version|") != 0)
		abort();	/* a header was added or lost: injection */
	if (!GMIME_IS_TEXT_PART(g_mime_message_get_mime_part(back)))
		abort();
	header_names(g_mime_message_get_mime_part(back), before,
	    sizeof(before));
	if (strcmp(before, "Content-Type|Content-Transfer-Encoding|") != 0)
		abort();
	g_object_unref(back);
	g_object_unref(p);
	g_object_unref(mem);
	g_object_unref(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[4200], reason[256], path[4300], subject[1024];
	struct kvlist l;
	struct stat st;
	char *buf;
	int fd, code;
	size_t i;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/m.XXXXXX", root);
	if (mkdtemp(dir) == NULL || (fd = open(dir, O_RDONLY |
	    O_DIRECTORY)) == -1)
		abort();
	code = unpack_mime((const char *)data, size, fd, reason,
	    sizeof(reason));
	close(fd);
	if (code != UNPACK_OK && code != UNPACK_ECORRUPT &&
	    code != UNPACK_ELIMIT && code != UNPACK_EINTERNAL)
		abort();
	if (code == UNPACK_OK) {
		snprintf(path, sizeof(path), "%s/manifest", dir);
		if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &st) == -1)
			abort();
		buf = malloc((size_t)st.st_size + 1);
		if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) !=
		    (size_t)st.st_size)
			abort();
		fclose(f);
		if (kv_parse(&l, buf, (size_t)st.st_size, NULL, 0) == -1)
			abort();	/* every value escaped, every line whole */
		for (i = 0; i < l.n; i++) {
			if (strcmp(l.v[i].key, "part") == 0 &&
			    strcmp(l.v[i].val, "body") != 0 &&
			    strcmp(l.v[i].val, "attachment") != 0 &&
			    strcmp(l.v[i].val, "text") != 0 &&
			    strcmp(l.v[i].val, "tnef") != 0 &&
			    strcmp(l.v[i].val, "skipped") != 0)
				abort();
			if (strcmp(l.v[i].key, "file") == 0 &&
			    l.v[i].val[0] != '\0') {
				snprintf(path, sizeof(path), "%s/%s", dir,
				    l.v[i].val);
				if (strchr(l.v[i].val, '/') != NULL ||
				    lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
					abort();
			}
		}
		if (kv_str(&l, "subject", subject, sizeof(subject)) == 0)
			compose(subject);
		kv_free(&l);
		free(buf);
	}
	rmdir_all(dir);
	return 0;
}
