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
