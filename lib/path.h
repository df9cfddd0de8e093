/*
 * path: bounded path and string formatting that reports truncation.
 */
#ifndef RAMPART_PATH_H
#define RAMPART_PATH_H

#include <stddef.h>

/* snprintf that returns -1 with errno ENAMETOOLONG on truncation */
int	path_fmt(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* strlcpy semantics; returns -1 with errno ENAMETOOLONG on truncation */
int	str_copy(char *dst, const char *src, size_t size);

#endif
