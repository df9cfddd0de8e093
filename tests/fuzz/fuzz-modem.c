/*
 * fuzz-modem: what a fax modem (or anyone who can dial its line) says
 * to faxgetty, through the code faxgetty runs on it: the bytes arrive
 * through a pipe in chunks (at_fill), are split into lines (at_getline)
 * and classified (at_classify); an idle modem's caller-id lines are kept
 * (ring_note) and parsed at RING (ring_parse); what the AT+FTM=?/+FRM=?
 * answers list becomes modulations (class1_modems); DLE-shielded DTMF
 * digits are read (dtmf_digits); and caller id, name, called number,
 * DTMF, a station id and a sub-address become key = value lines as in
 * recv.c's meta and send.c's result (call_clean).
 *
 * Input: the first byte is the chunk size (1..256) of the pipe writes,
 * the rest the modem's output.  Aborts when a line has a byte outside
 * printable ASCII or a CR/LF, when a caller-id line is kept cut (a cut
 * "DDI = 1234567" is another called number), when a key = value text
 * built from outside
 * fields does not read back as the same lines with the same values, when
 * DTMF gives anything but 0-9 and * or more digits than configured, or
 * when class1_modems answers bits it does not know.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spandsp.h>

#include "class1.h"
#include "config.h"
#include "faxgetty.h"
#include "log.h"
#include "path.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

static struct conf conf;

static void
printable(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
	if (i >= max)
		abort();
}

/* the outside fields of a meta file: each must come back as it went in */
static void
check_meta(const struct ringinfo *ri, const char *tsi, const char *sub)
{
	static const char *keys[] = { "caller_id", "caller_name", "did",
	    "subaddress", "tsi", "dtmf" };
	const char *src[6] = { ri->cid, ri->name, ri->did, sub, tsi, ri->dtmf };
	char clean[6][40], buf[1024], *line, *save = NULL, *eq;
	int i, n = 0;

	for (i = 0; i < 6; i++) {
		call_clean(clean[i], sizeof(clean[i]), src[i]);
		printable(clean[i], sizeof(clean[i]));
	}
	if (path_fmt(buf, sizeof(buf), "id = X\n%s = %s\n%s = %s\n%s = %s\n"
	    "%s = %s\n%s = %s\n%s = %s\n", keys[0], clean[0], keys[1],
	    clean[1], keys[2], clean[2], keys[3], clean[3], keys[4], clean[4],
	    keys[5], clean[5]) == -1)
		abort();
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), n++) {
		if (n == 0)
			continue;
		if (n > 6 || (eq = strstr(line, " = ")) == NULL)
			abort();
		*eq = '\0';
		if (strcmp(line, keys[n - 1]) != 0 ||
		    strcmp(eq + 3, clean[n - 1]) != 0)
			abort();
	}
	if (n != 7)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz-modem", 1, 0);
	conf_defaults(&conf);
	conf.dtmf_timeout = 5;
	return 0;
}

/* a pipe holding buf, its write end closed: reads end in EOF */
static int
feed(const uint8_t *buf, size_t len)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		abort();
	if (len > 0 && write(p[1], buf, len) != (ssize_t)len)
		abort();
	close(p[1]);
	return p[0];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fg fg;
	struct at *a = &fg.at;
	struct ringinfo ri;
	char line[AT_LINEMAX], info[1024] = "", prev[AT_LINEMAX] = "";
	char dtmf[33];
	size_t chunk, off = 1, n;
	int p[2], m, closed = 0;
	enum at_reply r;

	if (size == 0 || size > 16384)
		return 0;
	chunk = data[0] + 1;
	memset(&fg, 0, sizeof(fg));
	fg.conf = &conf;
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1)
		abort();
	a->fd = p[0];
	for (;;) {
		n = size - off < chunk ? size - off : chunk;
		if (n > 0 && write(p[1], data + off, n) != (ssize_t)n)
			abort();
		off += n;
		if (off == size && !closed) {
			close(p[1]);
			closed = 1;
		}
		if (at_fill(a, 0) == -1)
			break;
		if (a->off > a->len || a->len > sizeof(a->buf))
			abort();
		while (at_getline(a, line, sizeof(line)) == 1) {
			if (strlen(line) >= sizeof(line))
				abort();
			printable(line, sizeof(line));
			r = at_classify(line);
			if (r == AT_RING) {
				ring_parse(info, &ri);
				call_clean(dtmf, sizeof(dtmf), prev);
				memcpy(ri.dtmf, dtmf, sizeof(ri.dtmf));
				check_meta(&ri, line, prev);
				info[0] = '\0';
			} else if (r == AT_NONE) {
				/* kept whole or not at all, never cut */
				n = strlen(info);
				ring_note(info, sizeof(info), line);
				if (strlen(info) != n && (strlen(info) <
				    strlen(line) || strcmp(info + strlen(info) -
				    strlen(line), line) != 0))
					abort();
			}
			if (strlen(info) >= sizeof(info))
				abort();
			m = class1_modems(prev, line);
			if (m & ~(T30_SUPPORT_V27TER | T30_SUPPORT_V29 |
			    T30_SUPPORT_V17))
				abort();
			memcpy(prev, line, sizeof(prev));
		}
	}
	close(a->fd);
	/* the same bytes as a voice modem's DTMF report */
	memset(&fg.at, 0, sizeof(fg.at));
	conf.dtmf_digits = data[0] % 40;
	a->fd = feed(data + 1, size - 1);
	dtmf_digits(&fg, dtmf, sizeof(dtmf));
	close(a->fd);
	if (strspn(dtmf, "0123456789*") != strlen(dtmf) ||
	    strlen(dtmf) > (size_t)conf.dtmf_digits)
		abort();
	return 0;
}
