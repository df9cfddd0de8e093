/*
 * record: one job's or one received fax's whole record, in time order:
 * the intake (envelope), the job and its documents, each try (result.N),
 * the end, and each notice with its delivery (sent/NID).  Every event
 * keeps the file it came from, for the JSON.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "faxstat.h"
#include "path.h"
#include "spool.h"

struct ev {
	long long		 t;
	int			 seq;
	const char		*name;
	char			*text;
	struct json_object	*data;
};

struct evlist {
	struct ev	*v;
	size_t		 n, cap;
};

static void
ev_add(struct evlist *e, long long t, const char *name,
    struct json_object *data, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
ev_add(struct evlist *e, long long t, const char *name,
    struct json_object *data, const char *fmt, ...)
{
	struct ev *g;
	va_list ap;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		if ((g = reallocarray(e->v, e->cap, sizeof(*g))) == NULL) {
			perror("faxstat");
			exit(1);
		}
		e->v = g;
	}
	g = &e->v[e->n];
	g->t = t;
	g->seq = (int)e->n;
	g->name = name;
	g->data = data;
	va_start(ap, fmt);
	if (vasprintf(&g->text, fmt, ap) == -1) {
		perror("faxstat");
		exit(1);
	}
	va_end(ap);
	e->n++;
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq - y->seq;
}

static const char *
g(const struct kvlist *l, const char *k)
{
	const char *v = kv_get(l, k);

	return v != NULL && *v != '\0' ? v : "-";
}

static long long
n(const struct kvlist *l, const char *k)
{
	long long v;

	return kv_num(l, k, 0, 253402300799LL, 0, &v) == 0 ? v : 0;
}

/*
 * fs_read_kv, and every number and time must be one: a record's files
 * are shown whole, so a bad value is named rather than shown as 0.
 */
static int
read_checked(struct fs *fs, const char *path, struct kvlist *l, int quiet)
{
	const char *bad;
	char why[80];
	int rv;

	if ((rv = fs_read_kv(fs, path, l, quiet)) != 0)
		return rv;
	if ((bad = json_kv_bad_number(l)) != NULL) {
		(void)snprintf(why, sizeof(why), "corrupt: bad %s", bad);
		fs_skip(fs, path, why);
		kv_free(l);
		return -1;
	}
	return 0;
}

/* a unique job or fax id from a full id or a prefix of at least 8 */
static int
resolve(struct fs *fs, const char *arg, char id[ID_SIZE])
{
	static const char *const dirs[] = { "jobs", "done" };
	struct dirent *de;
	size_t len = strlen(arg), i, found = 0;
	DIR *d;
	int fd;

	if (id_valid(arg)) {
		memcpy(id, arg, ID_SIZE);
		return 0;
	}
	if (len < 8 || len > ID_LEN || strspn(arg, "0123456789abcdef-") != len)
		return -1;
	for (i = 0; i < 2; i++) {
		fd = openat(spool_dirfd(fs->sp), dirs[i], O_RDONLY |
		    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1 || (d = fdopendir(fd)) == NULL) {
			if (fd != -1)
				close(fd);
			continue;
		}
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, arg, len) == 0 &&
			    id_valid(de->d_name) &&
			    (found == 0 || strcmp(id, de->d_name) != 0)) {
				memcpy(id, de->d_name, ID_SIZE);
				found++;
			}
		closedir(d);
	}
	if (found > 1) {
		fprintf(stderr, "faxstat: %s: more than one job or fax has "
		    "this prefix\n", arg);
		return -2;
	}
	return found == 1 ? 0 : -1;
}

/* sent/NID: the top keys, then one group of keys per rcpt */
static void
notice(struct fs *fs, struct evlist *e, const char *line, long long when)
{
	char nid[ID_SIZE + 8], kind[32], path[PATH_MAX], ft[32];
	struct kvlist l, grp;
	size_t s, end;
	long long tries;

	if (sscanf(line, "%44s %31s", nid, kind) != 2 || !id_valid(nid)) {
		ev_add(e, when, "notice", NULL, "notice (unreadable line %s)",
		    line);
		return;
	}
	(void)path_fmt(path, sizeof(path), "sent/%s", nid);
	switch (read_checked(fs, path, &l, 1)) {
	case -2:
		ev_add(e, when, "notice", NULL, "%s notice %.8s: not "
		    "delivered yet", kind, nid);
		return;
	case -1:
		ev_add(e, when, "notice", NULL, "%s notice %.8s: delivery "
		    "record unreadable", kind, nid);
		return;
	}
	for (end = 0; end < l.n && strcmp(l.v[end].key, "rcpt") != 0; end++)
		;
	grp = (struct kvlist){ .v = l.v, .n = end };
	fmt_local(ft, sizeof(ft), n(&l, "finished"), 1);
	ev_add(e, n(&l, "created"), "notice", json_kv(&grp), "%s notice "
	    "%.8s published (deliveries done %s)", kind, nid, ft);
	for (s = end; s < l.n; s = end) {
		for (end = s + 1; end < l.n &&
		    strcmp(l.v[end].key, "rcpt") != 0; end++)
			;
		grp = (struct kvlist){ .v = &l.v[s], .n = end - s };
		tries = n(&grp, "tries");
		ev_add(e, n(&grp, "time"), "delivery", json_kv(&grp),
		    "%s notice %.8s to %s: %s after %lld %s via %s, TLS %s "
		    "(%s): %s", kind, nid, g(&grp, "rcpt"),
		    g(&grp, "result"), tries, tries == 1 ? "try" : "tries",
		    g(&grp, "host"), g(&grp, "tls"), g(&grp, "verified"),
		    g(&grp, "reply"));
		json_object_object_add(e->v[e->n - 1].data, "notice",
		    json_object_new_string(nid));
	}
	kv_free(&l);
}

static void
tries(struct fs *fs, struct evlist *e, const char *base)
{
	char path[PATH_MAX], *end;
	struct dirent *de;
	struct kvlist l;
	DIR *d;
	int fd;

	fd = openat(spool_dirfd(fs->sp), base, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "result.", 7) != 0)
			continue;
		(void)strtol(de->d_name + 7, &end, 10);
		if (end == de->d_name + 7 || *end != '\0')
			continue;
		(void)path_fmt(path, sizeof(path), "%s/%s", base, de->d_name);
		if (read_checked(fs, path, &l, 0) != 0)
			continue;
		ev_add(e, n(&l, "started"), "try", json_kv(&l),
		    "try %lld on %s: %s%s%s, %lld sent, %lld/%lld confirmed, "
		    "remote %s, %lld bit/s%s, %lld s (%s)", n(&l, "try"),
		    g(&l, "device"), g(&l, "outcome"),
		    strcmp(g(&l, "outcome"), g(&l, "reason")) ? " " : "",
		    strcmp(g(&l, "outcome"), g(&l, "reason")) ?
		    g(&l, "reason") : "",
		    n(&l, "pages_sent"), n(&l, "pages_confirmed"),
		    n(&l, "pages_total"), g(&l, "remote_id"),
		    n(&l, "bit_rate"), n(&l, "ecm") ? " ECM" : "",
		    n(&l, "duration"), g(&l, "t30_text"));
		kv_free(&l);
	}
	closedir(d);
}

static int
job_record(struct fs *fs, struct evlist *e, const char *base,
    struct kvlist *job, int done)
{
	char path[PATH_MAX], name[256], why[80];
	struct kvlist env;
	const char *v, *bad;
	long long pg;
	size_t i = 0;

	(void)path_fmt(path, sizeof(path), "%s/envelope", base);
	if (fs_envelope(fs, path, &env) == 0) {
		if ((bad = json_kv_bad_number(&env)) != NULL) {
			(void)snprintf(why, sizeof(why), "corrupt: bad %s",
			    bad);
			fs_skip(fs, path, why);
		} else
			ev_add(e, n(&env, "time"), "intake", json_kv(&env),
			    "intake from %s (helo %s), account %s, auth %s, "
			    "%s %s, mail from <%s>, %lld bytes, message %.8s",
			    g(&env, "client"), g(&env, "helo"),
			    g(&env, "account"), g(&env, "auth"),
			    g(&env, "tls_version"), g(&env, "tls_cipher"),
			    kv_get(&env, "mail_from") ?
			    kv_get(&env, "mail_from") : "", n(&env, "size"),
			    g(&env, "id"));
		kv_free(&env);
	}
	ev_add(e, n(job, "created"), "queued", json_kv(job),
	    "queued for %s (%s), %lld pages, priority %lld, subject %s",
	    g(job, "e164"), g(job, "number"), n(job, "pages"),
	    n(job, "priority"), g(job, "subject"));
	while ((v = kv_next(job, "document", &i)) != NULL) {
		if (sscanf(v, "%lld %255s", &pg, name) != 2)
			ev_add(e, n(job, "created"), "document", NULL,
			    "document %s", v);
		else
			ev_add(e, n(job, "created"), "document", NULL,
			    "document %s, %lld page%s", name, pg,
			    pg == 1 ? "" : "s");
	}
	tries(fs, e, base);
	if (done)
		ev_add(e, n(job, "finished"), "finished", NULL,
		    "finished: %s%s%s, %lld/%lld pages", g(job, "outcome"),
		    kv_get(job, "reason") && *kv_get(job, "reason") ? ", " :
		    "", kv_get(job, "reason") ? kv_get(job, "reason") : "",
		    strcmp(g(job, "outcome"), "ok") == 0 ? n(job, "pages") :
		    n(job, "first_page") > 0 ? n(job, "first_page") - 1 : 0,
		    n(job, "pages"));
	i = 0;
	while ((v = kv_next(job, "notice", &i)) != NULL)
		notice(fs, e, v, done ? n(job, "finished") :
		    n(job, "created"));
	return 0;
}

static int
fax_record(struct fs *fs, struct evlist *e, const char *base,
    struct kvlist *meta)
{
	char path[PATH_MAX];
	struct kvlist route;
	const char *v;
	size_t i = 0;
	long long end = n(meta, "started") + n(meta, "duration");
	int rv;

	ev_add(e, n(meta, "started"), "received", json_kv(meta),
	    "received on %s from %s (%s), TSI %s, for %s, %lld pages%s, "
	    "%lld bit/s%s, %lld s (%s)", g(meta, "device"),
	    g(meta, "caller_id"), g(meta, "caller_name"), g(meta, "tsi"),
	    g(meta, "did"), n(meta, "pages"),
	    n(meta, "complete") ? "" : " (call broken off)",
	    n(meta, "bit_rate"), n(meta, "ecm") ? " ECM" : "",
	    n(meta, "duration"), g(meta, "t30_text"));
	(void)path_fmt(path, sizeof(path), "%s/route", base);
	if ((rv = read_checked(fs, path, &route, 1)) == -2) {
		ev_add(e, end, "routed", NULL, "not routed yet");
		return 0;
	} else if (rv == -1)
		return 0;
	ev_add(e, end, "routed", json_kv(&route), "%s by %s, routed by %s "
	    "to %s%s%s, attached as %s%s", n(&route, "authorized") ?
	    "authorized" : "not authorized", g(&route, "rule"),
	    g(&route, "route"), g(&route, "rcpt"),
	    *g(&route, "reason") != '-' ? ": " : "",
	    *g(&route, "reason") != '-' ? g(&route, "reason") : "",
	    g(&route, "attach"), n(&route, "encrypted") ? ", encrypted" : "");
	while ((v = kv_next(&route, "notice", &i)) != NULL)
		notice(fs, e, v, end);
	kv_free(&route);
	return 0;
}

/* what the record is about, for its heading */
struct about {
	const char	*id;
	int		 fax, done;
	const char	*outcome;
	struct rec	 r;		/* a queued job's state */
};

static void
record_json(struct fs *fs, const struct about *a, struct evlist *e)
{
	struct json_object *top, *rec, *evs, *o;
	size_t i;

	top = json_object_new_object();
	json_object_object_add(top, "version", json_object_new_int(1));
	json_object_object_add(top, "generated", json_time(fs->now));
	rec = json_object_new_object();
	json_object_object_add(rec, "id", json_object_new_string(a->id));
	json_object_object_add(rec, "kind",
	    json_object_new_string(a->fax ? "fax" : "job"));
	json_object_object_add(rec, "where",
	    json_object_new_string(a->done ? "done" : "queue"));
	json_object_object_add(rec, "status", a->fax ? NULL : a->done ?
	    json_str(a->outcome) : json_str(json_status_word(fs, &a->r)));
	evs = json_object_new_array();
	for (i = 0; i < e->n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "time", json_time(e->v[i].t));
		json_object_object_add(o, "event",
		    json_object_new_string(e->v[i].name));
		json_object_object_add(o, "text",
		    json_object_new_string(e->v[i].text));
		json_object_object_add(o, "data", e->v[i].data);
		e->v[i].data = NULL;	/* the document owns it now */
		json_object_array_add(evs, o);
	}
	json_object_object_add(rec, "events", evs);
	json_object_object_add(top, "record", rec);
	json_print(top);
	json_object_put(top);
}

static void
record_text(struct fs *fs, const struct about *a, struct evlist *e)
{
	char t[32], st[64];
	size_t i;

	if (a->fax)
		printf("Fax %s, received\n", a->id);
	else if (a->done) {
		printf("Job %s, finished: ", a->id);
		put_disp(fs, a->outcome);
		putchar('\n');
	} else {
		printf("Job %s, in the queue: ", a->id);
		put_disp(fs, fs_job_state(fs, &a->r, st, sizeof(st)));
		putchar('\n');
	}
	for (i = 0; i < e->n; i++) {
		fmt_local(t, sizeof(t), e->v[i].t, 1);
		printf("%-19s  %-8s  ", t, e->v[i].name);
		put_disp(fs, e->v[i].text);
		putchar('\n');
	}
}

/* the job or fax file of id: 0, or the exit status (reported) */
static int
record_file(struct fs *fs, const char *id, struct about *a, char *base,
    size_t basesz, struct kvlist *l)
{
	char path[PATH_MAX];
	struct stat sb;
	int rv;

	(void)path_fmt(base, basesz, "jobs/%s", id);
	a->done = !(fstatat(spool_dirfd(fs->sp), base, &sb,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode));
	if (a->done)
		(void)path_fmt(base, basesz, "done/%s", id);
	(void)path_fmt(path, sizeof(path), "%s/job", base);
	rv = read_checked(fs, path, l, 1);
	if (rv == -2 && a->done) {
		(void)path_fmt(path, sizeof(path), "%s/meta", base);
		rv = read_checked(fs, path, l, 1);
		a->fax = 1;
	}
	if (rv == -2) {
		fprintf(stderr, "faxstat: %s: no such job or fax\n", id);
		return FS_EXIT_NOTFOUND;
	}
	return rv == -1 ? FS_EXIT_SKIPPED : 0;
}

int
show_record(struct fs *fs, const char *arg)
{
	char id[ID_SIZE], base[PATH_MAX];
	struct evlist e = { NULL, 0, 0 };
	struct about a;
	struct kvlist l;
	size_t i;
	int rv;

	if ((rv = resolve(fs, arg, id)) != 0) {
		if (rv == -1)
			fprintf(stderr, "faxstat: %s: no such job or fax\n",
			    arg);
		return FS_EXIT_NOTFOUND;
	}
	memset(&a, 0, sizeof(a));
	a.id = id;
	if ((rv = record_file(fs, id, &a, base, sizeof(base), &l)) != 0)
		return rv;
	if (a.fax)
		fax_record(fs, &e, base, &l);
	else
		job_record(fs, &e, base, &l, a.done);
	qsort(e.v, e.n, sizeof(*e.v), cmp_ev);
	a.outcome = g(&l, "outcome");
	a.r.kind = REC_JOB;
	a.r.state = kv_get(&l, "state") ? kv_get(&l, "state") : "";
	a.r.device = kv_get(&l, "device") ? kv_get(&l, "device") : "";
	(void)kv_num(&l, "not_before", 0, 253402300799LL, 0, &a.r.not_before);
	if (fs->json)
		record_json(fs, &a, &e);
	else
		record_text(fs, &a, &e);
	for (i = 0; i < e.n; i++) {
		json_object_put(e.v[i].data);
		free(e.v[i].text);
	}
	free(e.v);
	kv_free(&l);
	return fs->status;
}
