/*
 * t30err: the one table that maps every libspandsp T30_ERR_* completion
 * code to an outcome class (faxgetty(8), OUTCOMES).  Recoverable means
 * queued tries again later from the first unconfirmed page; permanent
 * means the job ends and the sender gets a failure notice.
 */
#include <tiffio.h>
#include <spandsp.h>

#include "faxgetty.h"

static const struct {
	int		 code;
	enum outcome	 out;
	const char	*name;
} table[] = {
	{ T30_ERR_OK,			OUT_OK,		"ok" },
	{ T30_ERR_CEDTONE,		OUT_RECOVERABLE, "ced_too_long" },
	/* answered, but no fax signals: not a fax machine */
	{ T30_ERR_T0_EXPIRED,		OUT_PERMANENT,	"not_fax" },
	{ T30_ERR_T1_EXPIRED,		OUT_PERMANENT,	"not_fax" },
	{ T30_ERR_T3_EXPIRED,		OUT_RECOVERABLE, "t3_expired" },
	{ T30_ERR_HDLC_CARRIER,		OUT_RECOVERABLE, "hdlc_carrier" },
	{ T30_ERR_CANNOT_TRAIN,		OUT_RECOVERABLE, "training_failed" },
	{ T30_ERR_OPER_INT_FAIL,	OUT_RECOVERABLE, "operator_interrupt" },
	{ T30_ERR_INCOMPATIBLE,		OUT_PERMANENT,	"incompatible" },
	{ T30_ERR_RX_INCAPABLE,		OUT_PERMANENT,	"remote_cannot_receive" },
	{ T30_ERR_TX_INCAPABLE,		OUT_PERMANENT,	"remote_cannot_send" },
	{ T30_ERR_NORESSUPPORT,		OUT_PERMANENT,	"resolution_refused" },
	{ T30_ERR_NOSIZESUPPORT,	OUT_PERMANENT,	"size_refused" },
	{ T30_ERR_UNEXPECTED,		OUT_RECOVERABLE, "unexpected_message" },
	{ T30_ERR_TX_BADDCS,		OUT_RECOVERABLE, "bad_dcs_response" },
	{ T30_ERR_TX_BADPG,		OUT_RECOVERABLE, "dcn_after_page" },
	{ T30_ERR_TX_ECMPHD,		OUT_RECOVERABLE, "ecm_phase_d" },
	{ T30_ERR_TX_GOTDCN,		OUT_RECOVERABLE, "dcn_before_dis" },
	{ T30_ERR_TX_INVALRSP,		OUT_RECOVERABLE, "invalid_response" },
	{ T30_ERR_TX_NODIS,		OUT_RECOVERABLE, "no_dis" },
	{ T30_ERR_TX_PHBDEAD,		OUT_RECOVERABLE, "no_response_dcs" },
	{ T30_ERR_TX_PHDDEAD,		OUT_RECOVERABLE, "no_response_page" },
	{ T30_ERR_TX_T5EXP,		OUT_RECOVERABLE, "t5_expired" },
	{ T30_ERR_RX_ECMPHD,		OUT_RECOVERABLE, "rx_ecm_phase_d" },
	{ T30_ERR_RX_GOTDCS,		OUT_RECOVERABLE, "rx_dcs_for_dtc" },
	{ T30_ERR_RX_INVALCMD,		OUT_RECOVERABLE, "rx_invalid_command" },
	{ T30_ERR_RX_NOCARRIER,		OUT_RECOVERABLE, "rx_no_carrier" },
	{ T30_ERR_RX_NOEOL,		OUT_RECOVERABLE, "rx_no_eol" },
	{ T30_ERR_RX_NOFAX,		OUT_RECOVERABLE, "rx_no_fax" },
	{ T30_ERR_RX_T2EXPDCN,		OUT_RECOVERABLE, "rx_t2_dcn" },
	{ T30_ERR_RX_T2EXPD,		OUT_RECOVERABLE, "rx_t2_phase_d" },
	{ T30_ERR_RX_T2EXPFAX,		OUT_RECOVERABLE, "rx_t2_fax" },
	{ T30_ERR_RX_T2EXPMPS,		OUT_RECOVERABLE, "rx_t2_mps" },
	{ T30_ERR_RX_T2EXPRR,		OUT_RECOVERABLE, "rx_t2_rr" },
	{ T30_ERR_RX_T2EXP,		OUT_RECOVERABLE, "rx_t2" },
	{ T30_ERR_RX_DCNWHY,		OUT_RECOVERABLE, "rx_dcn_why" },
	{ T30_ERR_RX_DCNDATA,		OUT_RECOVERABLE, "rx_dcn_data" },
	{ T30_ERR_RX_DCNFAX,		OUT_RECOVERABLE, "rx_dcn_fax" },
	{ T30_ERR_RX_DCNPHD,		OUT_RECOVERABLE, "rx_dcn_phase_d" },
	{ T30_ERR_RX_DCNRRD,		OUT_RECOVERABLE, "rx_dcn_rr" },
	{ T30_ERR_RX_DCNNORTN,		OUT_RECOVERABLE, "rx_dcn_rtn" },
	/* our document cannot be sent: trying again will not help */
	{ T30_ERR_FILEERROR,		OUT_PERMANENT,	"file_error" },
	{ T30_ERR_NOPAGE,		OUT_PERMANENT,	"no_page" },
	{ T30_ERR_BADTIFF,		OUT_PERMANENT,	"bad_tiff" },
	{ T30_ERR_BADPAGE,		OUT_PERMANENT,	"bad_page" },
	{ T30_ERR_BADTAG,		OUT_PERMANENT,	"bad_tiff_tag" },
	{ T30_ERR_BADTIFFHDR,		OUT_PERMANENT,	"bad_tiff_header" },
	{ T30_ERR_NOMEM,		OUT_RECOVERABLE, "no_memory" },
	{ T30_ERR_RETRYDCN,		OUT_RECOVERABLE, "retries_exhausted" },
	{ T30_ERR_CALLDROPPED,		OUT_RECOVERABLE, "call_dropped" },
	/* the remote refused what we asked for */
	{ T30_ERR_NOPOLL,		OUT_PERMANENT,	"poll_refused" },
	{ T30_ERR_IDENT_UNACCEPTABLE,	OUT_PERMANENT,	"ident_refused" },
	{ T30_ERR_SUB_UNACCEPTABLE,	OUT_PERMANENT,	"subaddress_refused" },
	{ T30_ERR_SEP_UNACCEPTABLE,	OUT_PERMANENT,	"sep_refused" },
	{ T30_ERR_PSA_UNACCEPTABLE,	OUT_PERMANENT,	"psa_refused" },
	{ T30_ERR_SID_UNACCEPTABLE,	OUT_PERMANENT,	"sid_refused" },
	{ T30_ERR_PWD_UNACCEPTABLE,	OUT_PERMANENT,	"password_refused" },
	{ T30_ERR_TSA_UNACCEPTABLE,	OUT_PERMANENT,	"tsa_refused" },
	{ T30_ERR_IRA_UNACCEPTABLE,	OUT_PERMANENT,	"ira_refused" },
	{ T30_ERR_CIA_UNACCEPTABLE,	OUT_PERMANENT,	"cia_refused" },
	{ T30_ERR_ISP_UNACCEPTABLE,	OUT_PERMANENT,	"isp_refused" },
	{ T30_ERR_CSA_UNACCEPTABLE,	OUT_PERMANENT,	"csa_refused" },
};

#define NTABLE	(sizeof(table) / sizeof(table[0]))

enum outcome
t30err_class(int code)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].code == code)
			return table[i].out;
	return OUT_RECOVERABLE;	/* a newer libspandsp's code: try again */
}

const char *
t30err_name(int code)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].code == code)
			return table[i].name;
	return "unknown";
}

const char *
outcome_name(enum outcome o)
{
	switch (o) {
	case OUT_OK:		return "ok";
	case OUT_RECOVERABLE:	return "recoverable";
	default:		return "permanent";
	}
}
