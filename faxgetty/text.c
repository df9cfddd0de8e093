/*
 * text: caller-id lines, job files and the cleaning of outside text for
 * spool files (see text.h).  Every copy is bounded by its destination;
 * nothing here logs or touches a file.
 */
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "text.h"

/*
 * A line that does not fit is dropped whole: cut, "DDI = 1234567" would
 * be read as another called number.
 */
void
ring_note(char *info, size_t sz, const char *line)
{
	size_t used = strlen(info);

	if (strchr(line, '=') != NULL && path_fmt(info + used, sz - used,
	    "%s%s", used ? "\n" : "", line) == -1)
		info[used] = '\0';
}

/*
 * "NMBR=5551234" or "NMBR = 5551234".  A caller id or name too long is
 * cut (it is only shown); a called number too long is dropped.
 */
void
ring_parse(const char *info, struct ringinfo *ri)
{
	char buf[1024], *line, *save = NULL, *eq, *v;

	memset(ri, 0, sizeof(*ri));
	if (str_copy(buf, info, sizeof(buf)) == -1)
		return;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		for (v = eq + 1; *v == ' '; v++)
			;
		while (eq > line && eq[-1] == ' ')
			eq--;
		*eq = '\0';
		if (strcmp(line, "NMBR") == 0)
			(void)str_copy(ri->cid, v, sizeof(ri->cid));
		else if (strcmp(line, "NAME") == 0)
			(void)str_copy(ri->name, v, sizeof(ri->name));
		else if ((strcmp(line, "NDID") == 0 || strcmp(line, "DDI") == 0) &&
		    str_copy(ri->did, v, sizeof(ri->did)) == -1)
			ri->did[0] = '\0';	/* cut, it is another number */
	}
}

int
job_parse(struct job *j, char *buf)
{
	char *line, *save = NULL, *eq, *k, *v;
	long n;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) == NULL || line[0] == '#')
			continue;
		*eq = '\0';
		k = line;
		for (char *e = eq; e > k && e[-1] == ' '; e--)
			e[-1] = '\0';
		for (v = eq + 1; *v == ' '; v++)
			;
		n = strtol(v, NULL, 10);
		if (strcmp(k, "number") == 0)
			(void)str_copy(j->number, v, sizeof(j->number));
		else if (strcmp(k, "account") == 0)
			(void)str_copy(j->account, v, sizeof(j->account));
		else if (strcmp(k, "subaddress") == 0)
			(void)str_copy(j->sub, v, sizeof(j->sub));
		else if (strcmp(k, "pages") == 0 && n > 0 && n < 10000)
			j->pages = (int)n;
		else if (strcmp(k, "first_page") == 0 && n > 0 && n < 10000)
			j->first = (int)n;
		else if (strcmp(k, "try") == 0 && n > 0 && n < 1000)
			j->try = (int)n;
	}
	return j->number[0] != '\0' && j->pages > 0 ? 0 : -1;
}

void
call_clean(char *dst, size_t sz, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i + 1 < sz; i++)
		dst[i] = (unsigned char)src[i] < 0x20 ||
		    (unsigned char)src[i] > 0x7e ? '?' : src[i];
	dst[i] = '\0';
}
