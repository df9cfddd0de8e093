/*
 * remote: the simulated fax machine at the far end of the line, built
 * on libspandsp's fax terminal (its own T.30).  It answers and receives
 * into a TIFF file, or calls in with a document (optionally sending DTMF
 * digits first), with the capabilities of its profile.  It keeps the
 * T.30 outcome for the call record; it never touches the modems.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "faxsim.h"
#include "log.h"
#include "path.h"

#define DTMF_DELAY	SIM_SECS(1)	/* caller waits after the answer */

struct remote {
	fax_state_t		*fax;
	t30_state_t		*t30;
	dtmf_tx_state_t		*dtmf;
	int			 calling;
	int			 in_dtmf;	/* digits still to send */
	int			 wait;		/* samples before the digits */
	int			 hangup_after;
	int			 rtn;		/* reject every page */
	int			 done;		/* 1: phase E, 2: dropped */
	int			 code;
	t30_stats_t		 st;
	char			 rxid[64], rxsub[64], file[PATH_MAX];
	char			 ident[21];
};

static int
phase_d(t30_state_t *t, void *arg, int fcf)
{
	struct remote *r = arg;
	t30_stats_t st;

	(void)fcf;
	if (r->hangup_after <= 0 || r->done)
		return T30_ERR_OK;
	t30_get_transfer_statistics(t, &st);
	if ((r->calling ? st.pages_tx : st.pages_rx) >= r->hangup_after) {
		r->st = st;
		r->done = 2;	/* the line drops right now */
		r->code = T30_ERR_CALLDROPPED;
	}
	return T30_ERR_OK;
}

static void
phase_e(t30_state_t *t, void *arg, int code)
{
	struct remote *r = arg;
	const char *p;

	if (r->done == 2)
		return;
	r->done = 1;
	r->code = code;
	t30_get_transfer_statistics(t, &r->st);
	if ((p = t30_get_rx_ident(t)) != NULL)
		(void)str_copy(r->rxid, p, sizeof(r->rxid));
	if ((p = t30_get_rx_sub_address(t)) != NULL)
		(void)str_copy(r->rxsub, p, sizeof(r->rxsub));
}

static int
modems(int rate)
{
	if (rate >= 12000)
		return T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17;
	if (rate >= 7200)
		return T30_SUPPORT_V27TER | T30_SUPPORT_V29;
	return T30_SUPPORT_V27TER;
}

static void
configure(struct remote *r, const struct profile *p)
{
	t30_state_t *t = r->t30;

	t30_set_tx_ident(t, r->ident);
	t30_set_supported_modems(t, modems(p->rate));
	t30_set_ecm_capability(t, p->ecm);
	t30_set_supported_resolutions(t, p->res);
	t30_set_supported_compressions(t, p->comp);
	/* A4, B4 and A3 widths, any length (libspandsp's default: A4) */
	t30_set_supported_image_sizes(t, T30_SUPPORT_215MM_WIDTH |
	    T30_SUPPORT_255MM_WIDTH | T30_SUPPORT_303MM_WIDTH |
	    T30_SUPPORT_UNLIMITED_LENGTH | T30_SUPPORT_A4_LENGTH |
	    T30_SUPPORT_B4_LENGTH | T30_SUPPORT_US_LETTER_LENGTH |
	    T30_SUPPORT_US_LEGAL_LENGTH);
	t30_set_phase_d_handler(t, phase_d, r);
	t30_set_phase_e_handler(t, phase_e, r);
	r->hangup_after = p->action == PROF_HANGUP ? p->hangup_after : 0;
	r->rtn = p->action == PROF_RTN;
}

struct remote *
remote_new(const struct profile *p, int calling, unsigned id, const char *dir)
{
	struct remote *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->calling = calling;
	(void)str_copy(r->ident, p->ident[0] ? p->ident : "FAXSIM REMOTE",
	    sizeof(r->ident));
	if ((r->fax = fax_init(NULL, calling)) == NULL)
		goto fail;
	r->t30 = fax_get_t30_state(r->fax);
	fax_set_transmit_on_idle(r->fax, 1);
	configure(r, p);
	if (calling) {
		t30_set_tx_file(r->t30, p->file, -1, -1);
		if (p->sub[0] != '\0')
			t30_set_tx_sub_address(r->t30, p->sub);
		(void)str_copy(r->file, p->file, sizeof(r->file));
		if (p->dtmf[0] != '\0') {
			if ((r->dtmf = dtmf_tx_init(NULL)) == NULL)
				goto fail;
			dtmf_tx_put(r->dtmf, p->dtmf, -1);
			r->in_dtmf = 1;
			r->wait = (int)DTMF_DELAY;
		}
	} else {
		if (p->file[0] != '\0')
			(void)str_copy(r->file, p->file, sizeof(r->file));
		else if (path_fmt(r->file, sizeof(r->file), "%s/rx-%u.tif",
		    dir, id) == -1)
			goto fail;
		t30_set_rx_file(r->t30, r->file, -1);
	}
	return r;
fail:
	remote_free(r);
	return NULL;
}

void
remote_free(struct remote *r)
{
	if (r == NULL)
		return;
	if (r->fax != NULL)
		fax_free(r->fax);
	if (r->dtmf != NULL)
		dtmf_tx_free(r->dtmf);
	free(r);
}

int
remote_tx(struct remote *r, int16_t *amp, int len)
{
	int n;

	if (r->done == 2) {
		memset(amp, 0, (size_t)len * sizeof(*amp));
		return len;
	}
	if (r->in_dtmf) {
		memset(amp, 0, (size_t)len * sizeof(*amp));
		if (r->wait > 0) {
			r->wait -= len;
			return len;
		}
		n = dtmf_tx(r->dtmf, amp, len);
		if (n < len)
			r->in_dtmf = 0;	/* fax (CNG) from the next tick */
		return len;
	}
	n = fax_tx(r->fax, amp, len);
	if (n < len)
		memset(amp + n, 0, (size_t)(len - n) * sizeof(*amp));
	return len;
}

/*
 * RTN: libspandsp's T.30 has no switch for it; it answers RTN when the
 * page's decoder counted too many bad rows.  Keeping that count above
 * any page length between audio blocks makes every page "bad" (the
 * decoder resets it when a page starts).
 */
void
remote_rx(struct remote *r, int16_t *amp, int len)
{
	if (r->in_dtmf || r->done == 2)
		return;
	fax_rx(r->fax, amp, len);
	if (r->rtn && !r->calling)
		r->t30->t4.rx.t4_t6_rx.bad_rows = 1 << 20;
}

int
remote_done(const struct remote *r)
{
	return r->done;
}

int
remote_ok(const struct remote *r)
{
	return r->done == 1 && r->code == T30_ERR_OK;
}

/* the line went dead under the remote: T.30 decides what it got */
void
remote_stop(struct remote *r)
{
	if (r->done == 0)
		t30_terminate(r->t30);
}

/* the remote sends a V.17, V.29 or V.27ter carrier (TCF or page data) */
int
remote_fast_tx(const struct remote *r)
{
	int t = r->fax->modems.current_tx_type;

	if (r->done == 2)
		return 0;
	return t == T30_MODEM_V17 || t == T30_MODEM_V29 ||
	    t == T30_MODEM_V27TER;
}

/* the remote's receiver trained on the fast carrier it hears */
int
remote_trained(const struct remote *r)
{
	return r->t30->rx_trained || r->fax->modems.rx_trained;
}

static const char *
comp_name(int enc)
{
	switch (enc) {
	case T4_COMPRESSION_ITU_T4_1D:	return "mh";
	case T4_COMPRESSION_ITU_T4_2D:	return "mr";
	case T4_COMPRESSION_ITU_T6:	return "mmr";
	default:			return "-";
	}
}

int
remote_format(const struct remote *r, char *buf, size_t size)
{
	char id[128], own[128], sub[128], text[256], file[PATH_MAX * 2];
	int n;

	log_escape(id, sizeof(id), r->rxid[0] ? r->rxid : "-");
	log_escape(own, sizeof(own), r->ident);
	log_escape(sub, sizeof(sub), r->rxsub[0] ? r->rxsub : "-");
	log_escape(text, sizeof(text), t30_completion_code_to_str(r->code));
	log_escape(file, sizeof(file), r->file[0] ? r->file : "-");
	n = snprintf(buf, size, "t30=%d t30text=%s rate=%d ecm=%d comp=%s "
	    "pages=%d xres=%d yres=%d host_id=%s sim_id=%s sub=%s file=%s",
	    r->code, text, r->st.bit_rate, r->st.error_correcting_mode,
	    comp_name(r->st.encoding),
	    r->calling ? r->st.pages_tx : r->st.pages_rx,
	    r->st.x_resolution, r->st.y_resolution, id, own, sub, file);
	if (n < 0 || (size_t)n >= size)
		return -1;
	return 0;
}
