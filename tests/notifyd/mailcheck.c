/*
 * mailcheck: parses a delivered mail with GMime, as a mail reader would,
 * and prints what the notifyd tests compare: the named headers, one per
 * line, then the text of the body with CRLF turned into LF.  Exits 1 if
 * the file is not a message GMime can parse.
 * usage: mailcheck FILE HEADER...
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

int
main(int argc, char *argv[])
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *m;
	GMimeObject *body;
	char *text;

	if (argc < 2) {
		fprintf(stderr, "usage: mailcheck FILE HEADER...\n");
		return 2;
	}
	g_mime_init();
	if ((st = g_mime_stream_fs_open(argv[1], O_RDONLY, 0, NULL)) == NULL)
		return 1;
	p = g_mime_parser_new_with_stream(st);
	m = g_mime_parser_construct_message(p, NULL);
	if (m == NULL)
		return 1;
	for (int i = 2; i < argc; i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(m),
		    argv[i]);
		printf("%s: %s\n", argv[i], v ? v : "(none)");
	}
	body = g_mime_message_get_mime_part(m);
	if (body == NULL || !GMIME_IS_TEXT_PART(body))
		return 1;
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
	for (char *s = text; *s != '\0'; s++)
		if (*s != '\r')
			putchar(*s);
	g_free(text);
	g_object_unref(m);
	g_object_unref(p);
	g_object_unref(st);
	g_mime_shutdown();
	return 0;
}
