/*
 * at: the AT dialogue with a fax modem.  Opens and configures the serial
 * device, writes commands, buffers what the modem says, splits it into
 * lines and maps every reply to an enum.  Each wait has an explicit
 * timeout.  It knows nothing of T.30; class1.c reads raw data bytes out
 * of the same buffer while the modem is in a data mode.
 */
#ifndef FAXGETTY_AT_H
#define FAXGETTY_AT_H

#include <stddef.h>
#include <stdint.h>

enum at_reply {
	AT_NONE,	/* a line that is no result code (info, echo) */
	AT_OK,
	AT_CONNECT,
	AT_NOCARRIER,
	AT_ERROR,
	AT_FCERROR,
	AT_BUSY,
	AT_NOANSWER,
	AT_NODIALTONE,
	AT_RING,
	AT_FRH3,	/* +FRH:3, adaptive receive switched to V.21 */
	AT_TIMEOUT,
	AT_EOF		/* the device went away or a read failed */
};

#define AT_LINEMAX	256
#define AT_BUFSIZE	8192

struct at {
	int	 fd;
	uint8_t	 buf[AT_BUFSIZE];
	size_t	 off, len;		/* unread bytes: buf[off .. len) */
	int	 eof;
	int	 skip_lf;		/* a CR ended the last line */
	int	 trace;			/* log every line and command */
};

int	at_open(struct at *a, const char *dev);	/* -1 with errno */
void	at_close(struct at *a);
/* reads what the modem has, waiting up to ms; 1 data, 0 timeout, -1 EOF */
int	at_fill(struct at *a, int ms);
/* next raw byte of the buffer, or -1 if empty */
int	at_getbyte(struct at *a);
size_t	at_pending(const struct at *a);
void	at_drain(struct at *a);			/* discards buffered input */
/* writes all of buf, waiting for the device up to ms; -1 on failure */
int	at_write(struct at *a, const void *buf, size_t len, int ms);
int	at_send(struct at *a, const char *cmd);	/* cmd + CR */
/* one complete line from the buffer (1), none yet (0) */
int	at_getline(struct at *a, char *line, size_t size);
enum at_reply at_classify(const char *line);
/* waits for a result code (skipping other lines, kept in info) */
enum at_reply at_wait(struct at *a, int ms, char *info, size_t infosz);
/* sends cmd and waits for its result code */
enum at_reply at_chat(struct at *a, const char *cmd, int ms);
const char *at_reply_name(enum at_reply r);
/* milliseconds from CLOCK_MONOTONIC */
int64_t	at_clock_ms(void);

#endif
