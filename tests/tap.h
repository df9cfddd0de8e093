/*
 * tap: a small Test Anything Protocol library for rampart's C tests.
 * Every check takes a printf-style description.  At exit the count run
 * is compared with the plan; a mismatch or any failure makes the test
 * exit non-zero.
 */
#ifndef RAMPART_TAP_H
#define RAMPART_TAP_H

#include <stddef.h>

#define TAP_PRINTF(a, b) __attribute__((format(printf, a, b)))

void	plan(int n);
int	ok(int success, const char *fmt, ...) TAP_PRINTF(2, 3);
int	is_int(long want, long got, const char *fmt, ...) TAP_PRINTF(3, 4);
int	is_string(const char *want, const char *got, const char *fmt, ...)
	    TAP_PRINTF(3, 4);
int	is_blob(const void *want, const void *got, size_t len,
	    const char *fmt, ...) TAP_PRINTF(4, 5);
void	diag(const char *fmt, ...) TAP_PRINTF(1, 2);
void	bail(const char *fmt, ...) TAP_PRINTF(1, 2) __attribute__((noreturn));

/* allocation that bails on failure */
void	*bmalloc(size_t n);
char	*bstrdup(const char *s);

/* 1 if the path made from fmt exists (lstat: links are not followed) */
int	file_exists(const char *fmt, ...) TAP_PRINTF(1, 2);

/*
 * A fresh temporary directory for this test, removed (recursively) at
 * exit unless the test failed and TAP_KEEP is set.  Bails on failure.
 */
const char *test_tmpdir(void);

#endif
