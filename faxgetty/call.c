/*
 * call: T.30 set-up shared by both directions (identity, ECM, the
 * modulations the modem has, compressions, page header) and the phase
 * B/D/E handlers that follow a call for status/DEV.  Decides nothing
 * about the protocol: that is libspandsp's T.30.
 */
#include <string.h>

#include <tiffio.h>
#include <spandsp.h>

#include "call.h"
#include "log.h"
#include "path.h"

static void
show(struct callrec *cr)
{
	char rid[64];

	log_escape(rid, sizeof(rid), cr->remote[0] ? cr->remote : "-");
	if (cr->total > 0)
		fg_status(cr->fg, "state=%s id=%s page=%d pages=%d rate=%d "
		    "ecm=%d remote=%s", cr->dir, cr->id,
		    cr->first + cr->pages, cr->total, cr->rate, cr->ecm, rid);
	else
		fg_status(cr->fg, "state=%s id=%s page=%d rate=%d ecm=%d "
		    "remote=%s", cr->dir, cr->id, cr->pages + 1, cr->rate,
		    cr->ecm, rid);
}

static void
stats(struct callrec *cr, t30_state_t *t)
{
	t30_stats_t st;
	const char *rid;

	t30_get_transfer_statistics(t, &st);
	cr->rate = st.bit_rate;
	cr->ecm = st.error_correcting_mode;
	cr->pages = strcmp(cr->dir, "sending") == 0 ? st.pages_tx :
	    st.pages_rx;
	if ((rid = t30_get_rx_ident(t)) != NULL && rid[0] != '\0')
		(void)str_copy(cr->remote, rid, sizeof(cr->remote));
	if ((rid = t30_get_rx_sub_address(t)) != NULL && rid[0] != '\0')
		(void)str_copy(cr->sub, rid, sizeof(cr->sub));
}

static int
phase_b(t30_state_t *t, void *arg, int result)
{
	struct callrec *cr = arg;

	(void)result;
	stats(cr, t);
	show(cr);
	return T30_ERR_OK;
}

static int
phase_d(t30_state_t *t, void *arg, int fcf)
{
	struct callrec *cr = arg;

	if (fcf == T30_RTN)
		cr->rtn++;
	stats(cr, t);
	show(cr);
	return T30_ERR_OK;
}

static void
phase_e(t30_state_t *t, void *arg, int code)
{
	struct callrec *cr = arg;

	stats(cr, t);
	cr->code = code;
}

static void
tick(void *arg)
{
	(void)arg;	/* status is rewritten at phase changes only */
}

struct class1 *
call_setup(struct fg *fg, struct callrec *cr, int calling,
    enum class1_start how)
{
	struct class1 *c;
	t30_state_t *t;
	int comp;

	cr->fg = fg;
	cr->code = -1;
	cr->start = time(NULL);
	cr->t0 = at_clock_ms();
	if ((c = class1_new(&fg->at, calling, how)) == NULL)
		return NULL;
	t = class1_t30(c);
	if (fg->conf->station_id[0] != '\0')
		t30_set_tx_ident(t, fg->conf->station_id);
	if (fg->conf->page_header[0] != '\0')
		t30_set_tx_page_header_info(t, fg->conf->page_header);
	t30_set_supported_modems(t, fg->modems);
	t30_set_ecm_capability(t, fg->conf->fax_ecm ? 1 : 0);
	comp = T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION;
	if (fg->conf->fax_ecm)
		comp |= T30_SUPPORT_T6_COMPRESSION;	/* T.6 needs ECM */
	t30_set_supported_compressions(t, comp);
	t30_set_supported_resolutions(t, T30_SUPPORT_STANDARD_RESOLUTION |
	    T30_SUPPORT_FINE_RESOLUTION | T30_SUPPORT_SUPERFINE_RESOLUTION |
	    T30_SUPPORT_R8_RESOLUTION);
	/*
	 * Pages as wide as B4 (2048 pixels, Japanese and some European
	 * machines) and A3 (2432), any length: libspandsp's default is
	 * A4 width only, and such a sender hung up with "far end cannot
	 * receive at the size of image".  Received pages keep their width.
	 */
	t30_set_supported_image_sizes(t, T30_SUPPORT_215MM_WIDTH |
	    T30_SUPPORT_255MM_WIDTH | T30_SUPPORT_303MM_WIDTH |
	    T30_SUPPORT_UNLIMITED_LENGTH | T30_SUPPORT_A4_LENGTH |
	    T30_SUPPORT_B4_LENGTH | T30_SUPPORT_US_LETTER_LENGTH |
	    T30_SUPPORT_US_LEGAL_LENGTH);
	/* SUB (T.33 sub-address) is routed on by queued */
	t30_set_supported_t30_features(t, T30_SUPPORT_IDENTIFICATION |
	    T30_SUPPORT_SUB_ADDRESSING);
	t30_set_phase_b_handler(t, phase_b, cr);
	t30_set_phase_d_handler(t, phase_d, cr);
	t30_set_phase_e_handler(t, phase_e, cr);
	class1_set_tick(c, tick, cr);
	class1_set_stop(c, fg->stop);
	if (log_getverbose() > 2)
		span_log_set_level(t30_get_logging_state(t),
		    SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL |
		    SPAN_LOG_FLOW);
	return c;
}

void
call_finish(struct callrec *cr, struct class1 *c)
{
	stats(cr, class1_t30(c));
	if (cr->code == -1)
		cr->code = T30_ERR_CALLDROPPED;
}

void
call_xferlog(struct fg *fg, const struct callrec *cr, struct xferlog_rec *x)
{
	memset(x, 0, sizeof(*x));
	x->start = cr->start;
	x->id = cr->id;
	x->device = fg->name;
	x->remote_id = cr->remote;
	x->pages = cr->pages;
	x->duration = (long)((at_clock_ms() - cr->t0 + 500) / 1000);
	x->bit_rate = cr->rate;
}
