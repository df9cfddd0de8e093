/*
 * ids: UUID message, job and fax ids (libuuid), and their validation.
 */
#include <uuid/uuid.h>

#include "ids.h"

void
id_new(char id[ID_SIZE])
{
	uuid_t u;

	uuid_generate(u);
	uuid_unparse_lower(u, id);
}

int
id_valid(const char *s)
{
	int i;

	for (i = 0; i < ID_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return s[ID_LEN] == '\0';
}

void
id_derive(char id[ID_SIZE], const char *parent, const void *name, size_t len)
{
	uuid_t ns, u;

	if (uuid_parse(parent, ns) == -1)
		uuid_clear(ns);
	uuid_generate_sha1(u, ns, name, len);
	uuid_unparse_lower(u, id);
}
