/*
 * faxrules: the onramp's table (rampart-routes(5)): who may send faxes
 * (allow and deny rules, first match wins, and a default) and where a
 * received fax goes (route rules, first match wins, and a default
 * route).  One implementation for queued, which authorizes and routes a
 * received fax, and faxgetty, which refuses a denied caller before it
 * answers.
 */
#ifndef RAMPART_FAXRULES_H
#define RAMPART_FAXRULES_H

#include <stddef.h>

/* what a rule can look at */
enum fr_field { FR_DID, FR_CID, FR_TSI, FR_SUB, FR_DTMF, FR_NFIELD };

enum fr_kind { FR_ALLOW, FR_DENY, FR_ROUTE };

#define FR_ATTACH_PDF	1
#define FR_ATTACH_TIFF	2
#define FR_ATTACH_BOTH	3

struct fr_rule {
	enum fr_kind	 kind;
	int		 line;
	char		*pat[FR_NFIELD];	/* NULL: any */
	/* route only */
	char		**to;
	size_t		 nto;
	int		 attach;		/* FR_ATTACH_* */
	char		*encrypt;		/* certificate file, or NULL */
};

struct faxrules {
	char		 file[256];
	struct fr_rule	*rules;			/* in file order */
	size_t		 nrules;
	int		 auth_default;		/* FR_ALLOW or FR_DENY */
	int		 auth_default_line;	/* 0: not in the file */
	struct fr_rule	*route_default;		/* NULL: none */
};

/* what is known of a call; NULL or "" for what is not there */
struct fr_call {
	const char	*f[FR_NFIELD];
};

/*
 * Reads path ("" or NULL: an empty table, every fax allowed and none
 * routed).  Every bad line is reported as "file:line: message" in err.
 * Returns 0, or -1 (err says why; the table is empty).
 */
int	faxrules_load(struct faxrules *t, const char *path, char *err,
	    size_t errsz);
void	faxrules_free(struct faxrules *t);

/*
 * Authorization: 1 allowed, 0 denied.  *rule is the rule that decided,
 * NULL for the default.
 */
int	faxrules_authorize(const struct faxrules *t, const struct fr_call *c,
	    const struct fr_rule **rule);

/*
 * Before answering, with only the called number and the caller id
 * known: the deny rule that refuses the call, or NULL (answer).  A rule
 * that also looks at the TSI or DTMF cannot decide yet: an allow rule of
 * that kind whose other conditions match means "answer", a deny rule of
 * that kind is passed over.  The default never refuses a call.
 */
const struct fr_rule *faxrules_refuse(const struct faxrules *t,
	    const char *did, const char *cid);

/* the route for a call, the default route, or NULL (unroutable) */
const struct fr_rule *faxrules_route(const struct faxrules *t,
	    const struct fr_call *c);

/* "file:line" of a rule, or "default" */
void	faxrules_where(const struct faxrules *t, const struct fr_rule *r,
	    char *buf, size_t sz);

const char *faxrules_attach_name(int attach);

struct conf;
/* for conf_set_check(): route_file read as faxrules_load() reads it */
int	faxrules_conf_check(const struct conf *c, char *err, size_t errsz);

#endif
