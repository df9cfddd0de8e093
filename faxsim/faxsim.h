/*
 * faxsim: a simulated phone line for tests and the demo.  Shared types:
 * the line (struct sim), its pty modems, the calls between them and the
 * simulated remote fax machine.  Everything runs in one process and one
 * poll loop; time on the line is counted in 8 kHz samples.
 */
#ifndef FAXSIM_H
#define FAXSIM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_RATE	8000		/* samples per second of line time */
#define SIM_TICK	160		/* samples per audio tick (20 ms) */
#define SIM_MAXMODEMS	64
#define SIM_INMAX	32768		/* host bytes queued ahead of T.31 */
#define SIM_SECS(s)	((uint64_t)(s) * SIM_RATE)
#define SIM_HOLD	SIM_SECS(3)	/* real time for a host's next command */
#define SIM_HOLD_RX	(SIM_RATE / 2)	/* and to take up received data */

/* what the far end does when a modem dials it */
enum prof_action {
	PROF_ANSWER,		/* answer as a fax machine and receive */
	PROF_BUSY,		/* busy tone: the modem prints BUSY */
	PROF_NOANSWER,		/* rings forever: NO ANSWER */
	PROF_NOTFAX,		/* answers, says nothing, hangs up later */
	PROF_HANGUP,		/* answers, drops the line after page N */
	PROF_RTN		/* answers, rejects every page (RTN) */
};

/* a remote fax machine's behaviour and capabilities, or a caller's data */
struct profile {
	int	 action;		/* enum prof_action */
	int	 hangup_after;		/* PROF_HANGUP: pages before the drop */
	int	 rate;			/* highest bit rate: 14400 9600 4800 2400 */
	int	 ecm;			/* 1: ECM offered */
	int	 res;			/* T30_SUPPORT_*_RESOLUTION mask */
	int	 comp;			/* T30_SUPPORT_T4_*, T6 mask */
	int	 noise;			/* added noise in dBm0, 0: none */
	char	 ident[21];		/* CSI (answering) or TSI (calling) */
	char	 file[PATH_MAX];	/* received into / document to send */
	char	 cid[33], name[33], did[33], sub[21], dtmf[33];
};

struct route {
	char		 number[33];	/* dialled number; "*" matches any */
	int		 modem;		/* >= 0: rings that modem (pairing) */
	struct profile	 prof;		/* modem < 0: the remote machine */
	struct route	*next;
};

struct sim;
struct call;
struct remote;

/* the fast (V.17, V.29, V.27ter) carriers one end of a call sends */
struct carriers {
	int		 on;		/* one is being sent now */
	int		 heard;		/* the far end trained on this one */
	unsigned	 sent;		/* carriers started */
	unsigned	 untrained;	/* ended with the far end never trained */
};

struct modem {
	struct sim	*sim;
	int		 idx;
	int		 fd;		/* pty master, non-blocking */
	char		 link[PATH_MAX];	/* DIR/ttySIMn */
	char		 slave[64];
	struct t31_state_s *t31;
	struct dtmf_rx_state_s *dtmf;
	int		 cts;		/* 0: T.31 buffer full, stop feeding */
	int		 swflow;	/* host asked for XON/XOFF (+IFC=x,1) */
	int		 xoff;		/* XOFF sent to the host */
	int		 hup;		/* no host has the pty open */
	uint64_t	 hup_check;	/* next time to look for a new host */
	uint8_t		*in;		/* from host, not yet taken by T.31 */
	size_t		 inlen, inoff;	/* in[inoff..inlen) is queued */
	uint8_t		*out;		/* to host, waiting for the pty */
	size_t		 outlen;
	char		 line[256];	/* command line being typed */
	size_t		 linelen;
	int		 voice;		/* +FCLASS=8 selected */
	int		 voice_up;	/* answered in voice mode */
	unsigned	 late;		/* ticks T.31 ran dry mid-page */
	struct carriers	 fast;		/* what this modem sent on the call */
	int		 spoke;		/* the modem spoke last, not the host */
	int		 incmd;		/* off-hook command mode in a call */
	uint64_t	 cmd_at;	/* line time it entered it */
	int		 inrx;		/* trained, delivering page data */
	uint64_t	 rx_at;		/* line time it trained */
	int		 ev;		/* MEV_* raised inside libspandsp */
	char		 dialnum[101];
	struct call	*call;
};

#define MEV_DIAL	0x01
#define MEV_ANSWER	0x02
#define MEV_HANGUP	0x04

enum call_state { CALL_ALERTING, CALL_UP, CALL_DONE };

struct call {
	unsigned	 id;
	int		 state;
	int		 incoming;	/* the remote called modem a */
	struct modem	*a;		/* caller modem, or the called one */
	struct modem	*b;		/* paired modem, or NULL */
	struct remote	*r;		/* remote machine, or NULL */
	struct profile	 prof;
	char		 number[101];
	uint64_t	 start, next_ring, deadline, answered;
	int		 rings;
	const char	*result;	/* set once when the call ends */
	struct awgn_state_s *noise;
	struct carriers	 rfast;		/* what the remote sent */
	struct call	*next;
};

struct ctlconn {
	int		 fd;		/* -1: free slot */
	char		 buf[1024];	/* a command line being received */
	size_t		 len;
};
#define SIM_MAXCONNS	16

struct sim {
	const char	*dir;
	int		 ctlfd;		/* listening control socket */
	struct ctlconn	 conns[SIM_MAXCONNS];
	int		 nmodems;
	double		 speed;
	int		 flat;		/* -F: host turns sped up too */
	struct modem	 modems[SIM_MAXMODEMS];
	struct call	*calls;
	unsigned	 lastcall;
	uint64_t	 now;		/* line time in samples */
	struct route	*routes;
	struct profile	 deflt;		/* numbers with no route */
	int		 resfd;		/* result file, O_APPEND */
	int		 quit;
	int		 verbose;
};

/* modem.c */
int	 modem_open(struct sim *, struct modem *, int idx);
void	 modem_close(struct modem *);
void	 modem_read(struct modem *);
void	 modem_flush(struct modem *);
void	 modem_feed(struct modem *);
void	 modem_events(struct modem *);
void	 modem_check_hup(struct modem *);
void	 modem_gone(struct modem *);
void	 modem_reset(struct modem *);
void	 modem_put(struct modem *, const void *, size_t);
void	 modem_tx(struct modem *, int16_t *, int);
void	 modem_voice_audio(struct modem *, const int16_t *, int);
int	 modem_voice_cmd(struct modem *, const char *);

/* atcheck.c */
int	 atcheck(const char *);

/* call.c */
void	 call_info_clear(struct modem *);
void	 call_dial(struct sim *, struct modem *, const char *);
int	 call_in(struct sim *, int idx, const struct profile *);
void	 call_answer(struct modem *);
void	 call_hangup(struct modem *, const char *);
void	 call_tick(struct sim *);
int	 call_held(struct sim *);
void	 call_end(struct sim *, struct call *, const char *);
const struct route *call_route(const struct sim *, const char *);

/* remote.c */
struct remote *remote_new(const struct profile *, int calling, unsigned id,
	    const char *dir);
void	 remote_free(struct remote *);
int	 remote_tx(struct remote *, int16_t *, int);
void	 remote_rx(struct remote *, int16_t *, int);
int	 remote_done(const struct remote *);
int	 remote_ok(const struct remote *);
void	 remote_stop(struct remote *);
int	 remote_format(const struct remote *, char *, size_t);
int	 remote_fast_tx(const struct remote *);
int	 remote_trained(const struct remote *);

/* ctl.c */
int	 ctl_listen(const char *);
void	 ctl_accept(struct sim *);
void	 ctl_read(struct sim *, struct ctlconn *);
void	 ctl_command(struct sim *, char *, char *, size_t);
void	 ctl_defaults(struct profile *);
int	 ctl_client(const char *, const char *);

#endif
