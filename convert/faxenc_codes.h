/*
 * faxenc_codes: T.4 and T.6 code words as numbers (see faxenc_codes.c).
 */
#ifndef RAMPART_FAXENC_CODES_H
#define RAMPART_FAXENC_CODES_H

#include <stdint.h>

struct faxcode {
	uint16_t	code;		/* right-aligned */
	uint8_t		len;		/* bits, at most 13 */
};

struct faxrun {
	struct faxcode	term[64];	/* runs 0 to 63 */
	struct faxcode	makeup[41];	/* [n]: a run of 64 n, n = 1 .. 40 */
};

struct faxcodes {
	int		ready;
	struct faxrun	run[2];		/* 0 white, 1 black */
	struct faxcode	vert[7];	/* [a1 - b1 + 3] */
	struct faxcode	pass, horiz, eol;
};

extern struct faxcodes	faxcodes;

/* fills faxcodes on first use */
void	faxcodes_init(void);

#endif
