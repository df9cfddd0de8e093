/*
 * fax2pdf: queued's PDF maker (queued/pdf.c) on its own, for the
 * benchmark against tiff2pdf: fax2pdf [-n N] IN.tif OUT.pdf
 * -n N makes the PDF N times in one process (queued makes it in-process,
 * with no program to start), and writes the last.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pdf.h"

int
main(int argc, char **argv)
{
	struct pdfbuf pdf;
	char err[256];
	int fd, out, np, n = 1;

	if (argc == 5 && argv[1][0] == '-' && argv[1][1] == 'n') {
		n = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 3 || n < 1) {
		fprintf(stderr, "usage: fax2pdf [-n N] in.tif out.pdf\n");
		return 64;
	}
	for (;;) {
		if ((fd = open(argv[1], O_RDONLY)) == -1) {
			perror(argv[1]);
			return 1;
		}
		if (pdf_from_tiff(fd, &pdf, &np, err, sizeof(err)) == -1) {
			fprintf(stderr, "fax2pdf: %s: %s\n", argv[1], err);
			return 1;
		}
		if (--n == 0)
			break;
		free(pdf.data);
	}
	if ((out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    write(out, pdf.data, pdf.len) != (ssize_t)pdf.len ||
	    close(out) == -1) {
		perror(argv[2]);
		return 1;
	}
	free(pdf.data);
	return 0;
}
