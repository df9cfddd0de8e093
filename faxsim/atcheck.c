/*
 * atcheck: refuses command lines that libspandsp 0.0.6 would wrongly
 * answer with OK.  Its interpreter stops at the first command it does
 * not know and reports OK for the line; a real modem says ERROR.  This
 * walks the line the way V.250 does (basic commands, &X, +NAME with
 * its parameters up to ';') and knows the extended commands a fax or
 * voice host uses.  It only decides ERROR or "pass it on".
 */
#include <ctype.h>
#include <string.h>

#include "faxsim.h"

static const char *const extended[] = {
	"FAA", "FAR", "FCC", "FCL", "FCLASS", "FCQ", "FCR", "FCT", "FDD",
	"FDR", "FDT", "FEA", "FFC", "FHS", "FIE", "FIP", "FIS", "FIT", "FKS",
	"FLI", "FLO", "FLP", "FMI", "FMM", "FMR", "FMS", "FND", "FNR", "FNS",
	"FPA", "FPI", "FPP", "FPR", "FPS", "FPW", "FRH", "FRM", "FRQ", "FRS",
	"FRY", "FSA", "FSP", "FTH", "FTM", "FTS", "GCAP", "GCI", "GMI", "GMM",
	"GMR", "GOI", "GSN", "ICF", "IFC", "ILRR", "IPR", "VCID", "VDID",
	"VLS", "VSM", "VRX", "VTX", "VTS", "VGR", "VGT", "VIP", "VNH", "VSD",
	"VRA", "VRN", "VCIDR", NULL
};

static int
known(const char *name, size_t len)
{
	int i;

	for (i = 0; extended[i] != NULL; i++)
		if (strlen(extended[i]) == len &&
		    strncmp(extended[i], name, len) == 0)
			return 1;
	return 0;
}

/* cmd: the upper-cased line after "AT", blanks removed; 0 if valid */
int
atcheck(const char *cmd)
{
	size_t n;

	while (*cmd != '\0') {
		if (*cmd == 'D')
			return 0;		/* the rest is a dial string */
		if (*cmd == '+') {
			cmd++;
			for (n = 0; isalnum((unsigned char)cmd[n]); n++)
				;
			if (!known(cmd, n))
				return -1;
			cmd += n;
			while (*cmd != '\0' && *cmd != ';')
				cmd++;		/* =value, ? or =? */
			if (*cmd == ';')
				cmd++;
			continue;
		}
		if (*cmd == '&')
			cmd++;
		else if (strchr("AEHILMOQSTVXZ", *cmd) == NULL)
			return -1;
		if (*cmd == '\0' || !isalpha((unsigned char)*cmd))
			return -1;
		cmd++;
		while (isdigit((unsigned char)*cmd) || *cmd == '=' ||
		    *cmd == '?')
			cmd++;
	}
	return 0;
}
