/*
 * convert: shared declarations of the document-to-fax-pages converter.
 * The supervisor (convert.c) never parses a document; the worker
 * (worker.c and the fmt_*.c parsers) does, inside the sandbox
 * (sandbox.c), and writes pages through a page sink (page.c).
 */
#ifndef RAMPART_CONVERT_H
#define RAMPART_CONVERT_H

#include <sys/types.h>

#include <stddef.h>

#include "membuf.h"

/* exit status of convert(8); documented there, keep in step */
#define CONVERT_OK		0
#define CONVERT_EUNSUPPORTED	10	/* format not handled: permanent */
#define CONVERT_ECORRUPT	11	/* corrupt, truncated or empty */
#define CONVERT_EENCRYPTED	12	/* needs a password */
#define CONVERT_ELIMIT		13	/* pages, bytes, pixels or memory */
#define CONVERT_ETIMEOUT	14	/* wall clock or CPU seconds */
#define CONVERT_ECRASH		15	/* worker died on a signal */
#define CONVERT_EINTERNAL	16	/* our side (I/O, setup): temporary */
#define CONVERT_EUSAGE		64	/* bad command line (EX_USAGE) */

#define FAX_WIDTH	1728		/* pixels per row, T.4 A4/Letter */
#define FAX_XDPI	204
#define MAX_KEYS	16

enum paper { PAPER_A4, PAPER_LETTER };
enum comp { COMP_MH, COMP_MR, COMP_MMR };

struct convert_opts {
	int		 yres;		/* 98 or 196 */
	enum paper	 paper;
	enum comp	 comp;
	long		 max_pages;
	long		 max_bytes;	/* input size */
	long		 max_pixels;	/* per decoded raster image */
	long		 timeout;	/* wall clock seconds */
	long		 cpu;		/* CPU seconds */
	long		 mem_mb;	/* address space of the worker */
	const char	*type;		/* MIME type hint or NULL */
	char		 charset[48];	/* its charset parameter, or "" */
	const char	*name;		/* attachment name for messages */
	const char	*cover;		/* cover template file or NULL */
	char		*cover_text;	/* its text, read by the supervisor */
	char		 date[64];	/* for the cover, local time */
	const char	*keys[MAX_KEYS];	/* "key=value" for the cover */
	int		 nkeys;
	const char	*user;		/* worker user when started as root */
	const char	*in;
	const char	*out;
	int		 verbose;
	int		 reencode;	/* -R: no page passes through */
	int		 nosandbox;	/* -X: tests under ASan only */
};

/* page geometry of the output */
struct geom {
	int	width;		/* FAX_WIDTH */
	int	rows;		/* page length in rows */
	int	yres;		/* 98 or 196 */
};

struct sink;

/* One conversion: options, geometry, the page sink and the reason. */
struct conv {
	const struct convert_opts	*opts;
	struct geom			 geom;
	struct sink			*sink;
	struct mu			*mu;	/* MuPDF state, mu.c */
	size_t				 mu_cap;	/* its memory */
	int				 status;	/* set before a throw */
	long				 pages;		/* of the document */
	int				 direct;	/* sink is the output */
	long				 announced;	/* conv_begin's n */
	char				 reason[256];
	char				 tiff_err[160];	/* libtiff's last */
};

/* sets c->reason (printf-style) and returns code, for "return fail(..)" */
int	conv_fail(struct conv *c, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A parser that knows its page count says so before its first page: the
 * pages then go straight to the output, after the cover.  CONVERT_*.
 */
int	conv_begin(struct conv *c, long n);

void	geom_init(struct geom *g, enum paper paper, int yres);

int	opts_parse(struct convert_opts *o, int argc, char *argv[]);
/* reads the cover template and the date; -1 with a message on stderr */
int	opts_cover(struct convert_opts *o);

/* worker.c: runs in the sandbox; returns a CONVERT_* status */
int	worker_run(const struct convert_opts *o, const unsigned char *doc,
	    size_t len, int outfd, char *reason, size_t reasonsz);
int	worker_sniff(const unsigned char *doc, size_t len, const char *type);

/* opens mb with libtiff (membuf.c); errors go to c->tiff_err */
void	*tiff_open_mem(struct conv *c, struct membuf *mb, const char *name,
	    const char *mode);

/* document parsers: render every page of doc into c->sink */
int	fmt_pdf(struct conv *c, const unsigned char *doc, size_t len);
int	fmt_png(struct conv *c, const unsigned char *doc, size_t len);
int	fmt_tiff(struct conv *c, const unsigned char *doc, size_t len);
int	fmt_jpeg(struct conv *c, const unsigned char *doc, size_t len);
int	fmt_text(struct conv *c, const unsigned char *doc, size_t len);
/* opens iconv before the sandbox (no gconv files in the chroot) */
void	text_prepare(const char *charset);
/* UTF-16 with a BOM to UTF-8, malloc'd; CONVERT_* */
int	text_from_utf16(struct conv *c, const unsigned char *doc, size_t len,
	    unsigned char **out, size_t *outlen);
/* 8-bit text in -T's charset to UTF-8; *out NULL if there is none */
int	text_from_charset(struct conv *c, const unsigned char *doc,
	    size_t len, unsigned char **out, size_t *outlen);
/* one page of filled-in template text, clipped to the page */
int	fmt_cover(struct conv *c, const char *text);


enum doc_type { DOC_UNKNOWN, DOC_EMPTY, DOC_PDF, DOC_TIFF, DOC_JPEG,
	DOC_PNG, DOC_TEXT, DOC_TEXT16, DOC_PS, DOC_OFFICE };

/* Ghostscript, run by the supervisor in a sandbox for PostScript (gs.c) */
#ifndef GS_PATH
#define GS_PATH		"/usr/bin/gs"
#endif
#define GS_OUT		"out.pdf"	/* in the private directory */

/* in a forked child: enters the exec sandbox and runs gs; never returns */
void	gs_exec(const struct convert_opts *o, int infd, int errfd,
	    const char *dir, uid_t uid, gid_t gid, pid_t parent)
	    __attribute__((noreturn));
/* gs's wait status and messages to a CONVERT_* status and reason */
int	gs_status(const struct convert_opts *o, int st, const char *msg,
	    char *reason, size_t sz);

#endif
