/*
 * mkcorpus: writes the convert test corpus at test time (tests/data
 * holds only what is too small to be worth generating).
 */
#ifndef MKCORPUS_H
#define MKCORPUS_H

#include <stddef.h>

void	die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	    noreturn));

void	mk_pdf_text(const char *path, int npages, float w, float h);
/* full: 50 lines of text a page instead of two */
void	mk_pdf_pages(const char *path, int npages, float w, float h, int full);
void	mk_pdf_encrypted(const char *path);
void	mk_pdf_bomb(const char *path, int side);
void	mk_pdf_slow(const char *path, size_t bytes);
void	mk_pdf_liar(const char *path);

#endif
