/*
 * intake: incoming/ -> msgs/ID/ -> jobs/.  For each message smtpd
 * accepted: take it into incoming/cur, read its envelope strictly, have
 * the sandboxed unpacker take it apart (unpack), have each document
 * converted once by convert(8), join the pages, and make one job per fax
 * recipient, deduplicated within the message and, by account, Message-ID
 * and number, across deliveries of the same message.  A message that
 * cannot be faxed becomes finished, failed jobs, so that the sender gets
 * a notice naming the attachment and the reason.
 *
 * Children run while the loop goes on; SIGCHLD brings them back here
 * (intake_child).  At most queued_max_parallel messages are worked on at
 * once.  Nothing here is kept only in memory: after a crash the message is
 * still in incoming/cur and is begun again, and its jobs, whose ids depend
 * only on the message, are not made twice.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "kv.h"
#include "log.h"
#include "pages.h"
#include "path.h"
#include "queued.h"
#include "sandbox.h"
#include "spool.h"
#include "unpack.h"

#define ENV_MAX		(1024 * 1024)
#define HEADERS_MAX	(256 * 1024)
#define MAXRCPT		1000
#define MAXDOCS		(UNPACK_MAXPARTS + 1)

/* job ids of a message with a Message-ID are derived in this name space */
static const char dedupe_ns[] = "7c1e4b2a-93d5-4e0f-8a6b-5d2c1f0e9b3a";

enum step { IN_UNPACK, IN_CONVERT, IN_DEFERRED };

struct doc {
	char	file[32];	/* in the unpack directory */
	char	name[256];	/* as the sender named it (raw bytes) */
	char	type[128];
	int	pages;
};

struct intake {
	struct intake	*next;
	char		 id[ID_SIZE];
	enum step	 step;
	pid_t		 pid;
	time_t		 retry_at;
	int		 cur;		/* the document being converted */
	int		 ndocs;
	struct doc	 docs[MAXDOCS];
	char		 dir[4096];	/* absolute msgs/ID */
};

static int	envelope_read(struct qd *, const char *, struct kvlist *,
		    off_t *, char **, char *, size_t);

static struct intake *
find(struct qd *q, const char *id)
{
	struct intake *in;

	for (in = q->intake; in != NULL; in = in->next)
		if (strcmp(in->id, id) == 0)
			return in;
	return NULL;
}

static void
forget(struct qd *q, struct intake *in)
{
	struct intake **p;

	for (p = &q->intake; *p != NULL; p = &(*p)->next)
		if (*p == in) {
			*p = in->next;
			break;
		}
	if (in->step != IN_DEFERRED)
		q->nintake--;
	free(in);
}

/* the time in words for a log line or a notice */
static int
active(struct qd *q)
{
	return q->nintake;
}

/*
 * Starts a child: in is opened on standard input (or /dev/null), its
 * standard error goes to errpath.
 */
static pid_t
spawn(const char *in, off_t off, const char *errpath, char *const argv[])
{
	int infd, errfd, nul;
	pid_t pid;

	infd = in != NULL ? open(in, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) :
	    open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (infd == -1)
		return -1;
	if (off > 0 && lseek(infd, off, SEEK_SET) == -1) {
		close(infd);
		return -1;
	}
	errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (errfd == -1 || nul == -1 || (pid = fork()) == -1) {
		close(infd);
		if (errfd != -1)
			close(errfd);
		if (nul != -1)
			close(nul);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		if (dup2(infd, 0) == -1 || dup2(nul, 1) == -1 ||
		    dup2(errfd, 2) == -1)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(infd);
	close(errfd);
	close(nul);
	return pid;
}

/* the one line a child left on its standard error */
static void
child_reason(const char *dir, const char *file, char *buf, size_t sz)
{
	char path[4200];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	(void)path_fmt(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sz - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* ---- the end of a message: jobs --------------------------------------- */

struct rcpt {
	char	e164[24], dial[64], sub[24], orig[600];
	char	job[ID_SIZE];
};

static int
rcpts_read(struct kvlist *env, struct rcpt **out, size_t *n)
{
	struct rcpt *r;
	const char *v;
	size_t i = 0, k, m = 0;

	if ((r = calloc(MAXRCPT, sizeof(*r))) == NULL)
		return -1;
	while ((v = kv_next(env, "rcpt", &i)) != NULL && m < MAXRCPT) {
		struct rcpt x;
		char tmp[800];

		memset(&x, 0, sizeof(x));
		if (str_copy(tmp, v, sizeof(tmp)) == -1 || kv_unescape(tmp) == -1 ||
		    sscanf(tmp, "%23s %63s %23s %599s", x.e164, x.dial, x.sub,
		    x.orig) != 4) {
			free(r);
			return -1;
		}
		if (strcmp(x.sub, "-") == 0)
			x.sub[0] = '\0';
		for (k = 0; k < m; k++)	/* the same number twice: one job */
			if (strcmp(r[k].e164, x.e164) == 0 &&
			    strcmp(r[k].sub, x.sub) == 0)
				break;
		if (k == m)
			r[m++] = x;
	}
	*out = r;
	*n = m;
	return m > 0 ? 0 : -1;
}

/* 1 if jobs/jid exists or done/jid finished within dedupe_time */
static int
duplicate(struct qd *q, const char *jid)
{
	char path[64];
	struct kvlist l;
	long long fin;
	int dup = 0;

	(void)path_fmt(path, sizeof(path), "jobs/%s", jid);
	if (qd_exists(q, path))
		return 1;
	(void)path_fmt(path, sizeof(path), "done/%s", jid);
	if (!qd_exists(q, path))
		return 0;
	if (job_read(q, "done", jid, &l) == 0) {
		dup = kv_num(&l, "finished", 0, INT64_MAX, 0, &fin) == 0 &&
		    (long long)time(NULL) - fin < q->conf->dedupe_time;
		kv_free(&l);
	}
	return dup ? 1 : -1;	/* -1: there, but forgotten */
}

static void
job_ids(struct qd *q, const char *msg, struct kvlist *env,
    struct kvlist *man, struct rcpt *r, size_t n)
{
	char account[128], mid[1000], name[1200];
	size_t i, len;

	(void)kv_str(env, "account", account, sizeof(account));
	if (man == NULL || kv_str(man, "message_id", mid, sizeof(mid)) == -1)
		mid[0] = '\0';
	for (i = 0; i < n; i++) {
		if (mid[0] != '\0') {
			len = (size_t)snprintf(name, sizeof(name), "%s%c%s%c%s%c%s",
			    account, 0, mid, 0, r[i].e164, 0, r[i].sub);
			id_derive(r[i].job, dedupe_ns, name,
			    len < sizeof(name) ? len : sizeof(name));
			if (duplicate(q, r[i].job) != -1)
				continue;
		}
		len = (size_t)snprintf(name, sizeof(name), "%s%c%s", r[i].e164,
		    0, r[i].sub);
		id_derive(r[i].job, msg, name, len < sizeof(name) ? len :
		    sizeof(name));
	}
}

/* the header section of the message, cut at a line under HEADERS_MAX */
static int
headers_get(struct qd *q, const char *id, off_t off, char **out, size_t *len)
{
	char path[128], *buf, *end;
	ssize_t n;
	size_t l;
	int fd;

	(void)path_fmt(path, sizeof(path), "incoming/cur/%s", id);
	if ((fd = spool_open_read(q->sp, path)) == -1)
		return -1;
	if ((buf = malloc(HEADERS_MAX + 1)) == NULL ||
	    (n = pread(fd, buf, HEADERS_MAX, off)) < 0) {
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	l = (size_t)n;
	if ((end = strstr(buf, "\r\n\r\n")) != NULL)
		l = (size_t)(end - buf) + 2;
	else
		while (l > 0 && buf[l - 1] != '\n')
			l--;
	*out = buf;
	*len = l;
	return 0;
}

static void
job_text(struct kvbuf *b, const struct qd *q, const char *msg,
    struct kvlist *env, struct kvlist *man, const struct rcpt *r,
    const struct rcpt *all, size_t nall, int pages, const struct doc *docs,
    int ndocs)
{
	char v[1024];
	size_t i;
	int d;

	kvb_str(b, "id", r->job);
	kvb_str(b, "number", r->dial);
	kvb_num(b, "pages", pages);
	kvb_num(b, "first_page", 1);
	kvb_num(b, "try", 1);
	(void)kv_str(env, "account", v, sizeof(v));
	kvb_str(b, "account", v);
	kvb_str(b, "subaddress", r->sub);
	kvb_num(b, "version", 1);
	kvb_str(b, "message", msg);
	kvb_str(b, "e164", r->e164);
	kvb_str(b, "address", r->orig);
	(void)kv_str(env, "mail_from", v, sizeof(v));
	kvb_str(b, "mail_from", v);
	if (man == NULL || kv_str(man, "message_id", v, sizeof(v)) == -1)
		v[0] = '\0';
	kvb_str(b, "message_id", v);
	if (man == NULL || kv_str(man, "subject", v, 201) == -1)
		v[0] = '\0';
	kvb_str(b, "subject", v);
	kvb_num(b, "recipients", (long long)nall);
	kvb_str(b, "notify", q->conf->notify);
	kvb_num(b, "notify_success", q->conf->notify_success);
	{
		long long pr = 127;

		if (man != NULL && kv_num(man, "priority", 0, 255, 127, &pr) == -1)
			pr = 127;
		kvb_num(b, "priority", pr);
	}
	(void)kv_str(env, "time", v, sizeof(v));
	kvb_str(b, "created", v);
	kvb_str(b, "state", "ready");
	kvb_num(b, "not_before", 0);
	kvb_num(b, "busy_tries", 0);
	for (i = 0; i < nall; i++)
		kvb_str(b, "sibling", all[i].job);
	for (d = 0; d < ndocs; d++) {
		(void)snprintf(v, sizeof(v), "%d %s", docs[d].pages,
		    docs[d].name);
		kvb_str(b, "document", v);
	}
}

/*
 * Makes the jobs of a message.  pages < 0: the message failed with
 * reason; its jobs are made finished, and settled (notice, done/).
 */
static int
make_jobs(struct qd *q, struct intake *in, int pages, const char *reason)
{
	struct kvlist env, man, *manp = NULL;
	struct rcpt *r = NULL;
	char path[4200], err[256], *hdr = NULL, *envtxt = NULL, fin[32];
	size_t n = 0, i, hlen = 0;
	off_t off;
	int ret = -1;

	if (envelope_read(q, in->id, &env, &off, &envtxt, err,
	    sizeof(err)) == -1)
		return -1;
	(void)path_fmt(path, sizeof(path), "msgs/%s/u/manifest", in->id);
	{
		char *mb;
		size_t ml;

		if (spool_read(q->sp, path, 1024 * 1024, &mb, &ml) == 0) {
			if (kv_parse(&man, mb, ml, NULL, 0) == 0)
				manp = &man;
			free(mb);
		}
	}
	if (rcpts_read(&env, &r, &n) == -1 ||
	    headers_get(q, in->id, off, &hdr, &hlen) == -1)
		goto out;
	job_ids(q, in->id, &env, manp, r, n);
	(void)snprintf(fin, sizeof(fin), "%lld", (long long)time(NULL));
	for (i = 0; i < n; i++) {
		char jdir[128], to[64];
		struct kvbuf b;
		int w;

		if (duplicate(q, r[i].job) == 1) {
			log_info("id=%s job=%s number=%s: the same message was "
			    "delivered before; no second job", in->id, r[i].job,
			    r[i].e164);
			continue;
		}
		(void)path_fmt(jdir, sizeof(jdir), "msgs/%s/%s", in->id,
		    r[i].job);
		if (spool_mkdir(q->sp, jdir, 0750) == -1 && errno != EEXIST)
			goto out;
		(void)path_fmt(path, sizeof(path), "%s/%s/pages.tif", in->dir,
		    r[i].job);
		if (pages > 0) {
			char src[4200];

			(void)path_fmt(src, sizeof(src), "%s/pages.tif", in->dir);
			(void)unlink(path);
			if (file_copy(src, path) == -1)
				goto out;
		}
		kvb_init(&b);
		job_text(&b, q, in->id, &env, manp, &r[i], r, n,
		    pages > 0 ? pages : 0, in->docs, pages > 0 ? in->ndocs : 0);
		if (pages < 0) {
			kvb_str(&b, "outcome", "failed");
			kvb_str(&b, "reason", reason);
			kvb_str(&b, "finished", fin);
			kvb_str(&b, "state", "done");
		}
		w = b.err ? -1 : 0;
		if (w == 0)
			w = spool_replace(q->sp, jdir, "envelope", envtxt,
			    (size_t)off);
		if (w == 0)
			w = spool_replace(q->sp, jdir, "headers", hdr, hlen);
		if (w == 0)
			w = spool_replace(q->sp, jdir, "job", b.buf, b.len);
		kvb_free(&b);
		(void)path_fmt(to, sizeof(to), "jobs/%s", r[i].job);
		if (w == -1 || spool_move(q->sp, jdir, to) == -1)
			goto out;
		if (pages < 0)
			(void)job_settle(q, r[i].job);
		else {
			struct kvlist jl;
			struct qjob j;

			if (job_read(q, "jobs", r[i].job, &jl) == 0) {
				if (job_index(&jl, &j) == 0)
					(void)jobs_add(q, &j);
				kv_free(&jl);
			}
			log_info("id=%s job=%s number=%s pages=%d queued",
			    in->id, r[i].job, r[i].e164, pages);
		}
	}
	ret = 0;
out:
	if (ret == -1)
		log_warn("id=%s cannot make its jobs; tried again later", in->id);
	free(r);
	free(hdr);
	free(envtxt);
	kv_free(&env);
	if (manp != NULL)
		kv_free(manp);
	return ret;
}

/* done with a message: its entry and its work directory go */
static void
finish(struct qd *q, struct intake *in, int pages, const char *reason)
{
	char path[128];

	if (make_jobs(q, in, pages, reason) == -1) {
		in->step = IN_DEFERRED;
		in->retry_at = time(NULL) + q->conf->rescan_interval;
		q->nintake--;
		return;
	}
	/* the work directory first: an entry left alone is begun again */
	if (sandbox_rmdir(in->dir) == -1)
		log_warn("id=%s cannot remove msgs/", in->id);
	(void)path_fmt(path, sizeof(path), "incoming/cur/%s", in->id);
	if (spool_remove(q->sp, path) == -1)
		log_warn("id=%s cannot remove incoming/cur", in->id);
	if (pages < 0)
		log_warnx("id=%s not faxed: %s", in->id, reason);
	forget(q, in);
	qd_schedule_soon(q);
	intake_scan(q);
}

/* a temporary failure on our side: the message waits and is begun again */
static void
defer(struct qd *q, struct intake *in, const char *why)
{
	log_warnx("id=%s %s; tried again in %ld s", in->id, why,
	    q->conf->retry_interval);
	in->step = IN_DEFERRED;
	in->retry_at = time(NULL) + q->conf->retry_interval;
	in->pid = 0;
	q->nintake--;
}

/* ---- conversion -------------------------------------------------------- */

static void
convert_next(struct qd *q, struct intake *in)
{
	char prog[4200], out[4200], src[4200], err[32], tmo[16], cpu[16];
	char mem[16], pages[16], size[32], name[300];
	const struct conf *c = q->conf;
	struct doc *d;

	if (in->cur >= in->ndocs) {
		char *files[MAXDOCS], joined[4200], e[256];
		int i, n = 0;

		(void)path_fmt(joined, sizeof(joined), "%s/pages.tif", in->dir);
		(void)unlink(joined);
		for (i = 0; i < in->ndocs; i++)
			if (asprintf(&files[i], "%s/doc.%d.tif", in->dir, i) == -1)
				n = -1, files[i] = NULL;
		if (n == 0)
			n = pages_join(joined, (const char *const *)files,
			    (size_t)in->ndocs, e, sizeof(e));
		else
			(void)str_copy(e, "out of memory", sizeof(e));
		for (i = 0; i < in->ndocs; i++)
			free(files[i]);
		if (n < 0)
			defer(q, in, e);
		else if (n > c->max_pages)
			finish(q, in, -1, "too_many_pages");
		else
			finish(q, in, n, NULL);
		return;
	}
	d = &in->docs[in->cur];
	(void)path_fmt(prog, sizeof(prog), "%s/convert", q->libexec);
	(void)path_fmt(out, sizeof(out), "%s/doc.%d.tif", in->dir, in->cur);
	(void)path_fmt(src, sizeof(src), "%s/u/%s", in->dir, d->file);
	(void)unlink(out);
	(void)snprintf(err, sizeof(err), "err.%d", in->cur);
	(void)snprintf(tmo, sizeof(tmo), "%ld", c->convert_timeout);
	(void)snprintf(cpu, sizeof(cpu), "%ld", c->convert_cpu);
	(void)snprintf(mem, sizeof(mem), "%ld", c->convert_memory >> 20);
	(void)snprintf(pages, sizeof(pages), "%ld", c->max_pages);
	(void)snprintf(size, sizeof(size), "%ld", c->convert_max_size);
	(void)str_copy(name, d->name[0] != '\0' ? d->name : "document",
	    sizeof(name));
	{
		char *argv[32];
		int a = 0;
		char errpath[4200];

		argv[a++] = prog;
		argv[a++] = "-r";
		argv[a++] = (char *)c->fax_resolution;
		argv[a++] = "-p";
		argv[a++] = (char *)c->paper;
		argv[a++] = "-c";
		argv[a++] = (char *)c->fax_compression;
		argv[a++] = "-m";
		argv[a++] = pages;
		argv[a++] = "-s";
		argv[a++] = size;
		argv[a++] = "-t";
		argv[a++] = tmo;
		argv[a++] = "-x";
		argv[a++] = cpu;
		argv[a++] = "-M";
		argv[a++] = getenv("RAMPART_CONVERT_NO_AS") ? "0" : mem;
		argv[a++] = "-n";
		argv[a++] = name;
		if (d->type[0] != '\0') {
			argv[a++] = "-T";
			argv[a++] = d->type;
		}
		if (in->cur == 0 && c->cover_page[0] != '\0') {
			argv[a++] = "-C";
			argv[a++] = (char *)c->cover_page;
		}
		argv[a++] = "-o";
		argv[a++] = out;
		argv[a++] = src;
		argv[a] = NULL;
		(void)path_fmt(errpath, sizeof(errpath), "%s/%s", in->dir, err);
		in->pid = spawn(NULL, 0, errpath, argv);
	}
	if (in->pid == -1) {
		in->pid = 0;
		defer(q, in, "cannot start convert");
		return;
	}
	in->step = IN_CONVERT;
}

static void
converted(struct qd *q, struct intake *in, int st)
{
	struct doc *d = &in->docs[in->cur];
	char reason[512], file[32], words[700];
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 15;

	(void)snprintf(file, sizeof(file), "err.%d", in->cur);
	child_reason(in->dir, file, reason, sizeof(reason));
	if (code == 0) {
		char out[4200];

		(void)path_fmt(out, sizeof(out), "%s/doc.%d.tif", in->dir,
		    in->cur);
		d->pages = pages_count(out);
		log_info("id=%s document=%d pages=%d converted", in->id,
		    in->cur, d->pages);
		in->cur++;
		convert_next(q, in);
		return;
	}
	if (code >= 10 && code <= 15) {
		/* "convert: NAME: REASON": NAME escaped; ours is the sender's */
		const char *p = reason;

		if (strncmp(p, "convert: ", 9) == 0 && strstr(p + 9, ": ") != NULL)
			p = strstr(p + 9, ": ") + 2;
		(void)snprintf(words, sizeof(words), "document: %s: %s",
		    d->name[0] != '\0' ? d->name : "attachment",
		    p[0] != '\0' ? p : "unreadable");
		log_warnx("id=%s document=%d convert status %d: %s", in->id,
		    in->cur, code, reason);
		finish(q, in, -1, words);
		return;
	}
	(void)snprintf(words, sizeof(words), "convert failed (status %d): %s",
	    code, reason);
	defer(q, in, words);
}

/* ---- unpacking --------------------------------------------------------- */

static int
add_doc(struct intake *in, const char *file, const char *name,
    const char *type)
{
	struct doc *d;

	if (in->ndocs == MAXDOCS)
		return -1;
	d = &in->docs[in->ndocs++];
	memset(d, 0, sizeof(*d));
	(void)str_copy(d->file, file, sizeof(d->file));
	(void)str_copy(d->name, name, sizeof(d->name));
	(void)str_copy(d->type, type, sizeof(d->type));
	return 0;
}

/* the documents, in fax order, from the manifest; NULL or why none */
static const char *
choose(struct qd *q, struct intake *in, struct kvlist *man)
{
	char file[32], name[256], type[128], kind[32], body[32] = "";
	size_t i;
	int attachments = 0, tnef = 0, html = 0;
	long long hb;

	in->ndocs = 0;
	for (i = 0; i < man->n; i++) {
		if (strcmp(man->v[i].key, "part") != 0 || i + 3 >= man->n ||
		    strcmp(man->v[i + 1].key, "type") != 0 ||
		    strcmp(man->v[i + 2].key, "name") != 0 ||
		    strcmp(man->v[i + 3].key, "file") != 0)
			continue;
		(void)str_copy(kind, man->v[i].val, sizeof(kind));
		if (str_copy(type, man->v[i + 1].val, sizeof(type)) == -1 ||
		    kv_unescape(type) == -1)
			type[0] = '\0';
		if (str_copy(name, man->v[i + 2].val, sizeof(name)) == -1 ||
		    kv_unescape(name) == -1)
			(void)str_copy(name, "attachment", sizeof(name));
		if (str_copy(file, man->v[i + 3].val, sizeof(file)) == -1 ||
		    (file[0] != '\0' && !spool_name_ok(file)))
			continue;
		if (strcmp(kind, "body") == 0)
			(void)str_copy(body, file, sizeof(body));
		else if (strcmp(kind, "tnef") == 0)
			tnef = 1;
		else if (strcmp(kind, "attachment") == 0 && file[0] != '\0')
			attachments += add_doc(in, file, name, type) == 0;
	}
	if (kv_num(man, "html_body", 0, 1, 0, &hb) == 0)
		html = (int)hb;
	if (tnef && attachments == 0)
		return "document: winmail.dat: Outlook sent this message in its "
		    "own format (TNEF), which no fax can show. In Outlook, "
		    "send to this address as HTML or plain text (File > "
		    "Options > Mail > Compose messages), or attach the "
		    "document as a PDF";
	if (body[0] != '\0' && (strcmp(q->conf->fax_body, "always") == 0 ||
	    (strcmp(q->conf->fax_body, "auto") == 0 && attachments == 0))) {
		/* the body first */
		if (in->ndocs == MAXDOCS)
			in->ndocs--;
		memmove(&in->docs[1], &in->docs[0], in->ndocs *
		    sizeof(in->docs[0]));
		in->ndocs++;
		memset(&in->docs[0], 0, sizeof(in->docs[0]));
		(void)str_copy(in->docs[0].file, body, sizeof(in->docs[0].file));
		(void)str_copy(in->docs[0].name, "message text",
		    sizeof(in->docs[0].name));
		(void)str_copy(in->docs[0].type, "text/plain",
		    sizeof(in->docs[0].type));
	}
	if (in->ndocs == 0)
		return html ? "document: the message has only an HTML body, "
		    "which this gateway does not fax; attach the document "
		    "(PDF, TIFF, JPEG, PNG or text)" : "nothing_to_fax";
	return NULL;
}

static void
unpacked(struct qd *q, struct intake *in, int st)
{
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 15;
	char reason[512], path[128], words[700];
	struct kvlist man;
	const char *why;
	size_t len;
	char *buf;

	child_reason(in->dir, "err.unpack", reason, sizeof(reason));
	if (code != 0) {
		const char *p = strncmp(reason, "unpack: ", 8) == 0 ?
		    reason + 8 : reason;

		if (code == UNPACK_EINTERNAL || code == 127) {
			(void)snprintf(words, sizeof(words), "unpack failed: %s",
			    p);
			defer(q, in, words);
			return;
		}
		(void)snprintf(words, sizeof(words), "document: the message "
		    "could not be read: %s", p);
		finish(q, in, -1, words);
		return;
	}
	(void)path_fmt(path, sizeof(path), "msgs/%s/u/manifest", in->id);
	if (spool_read(q->sp, path, 1024 * 1024, &buf, &len) == -1 ||
	    kv_parse(&man, buf, len, NULL, 0) == -1) {
		if (buf != NULL)
			free(buf);
		defer(q, in, "unpack left no manifest");
		return;
	}
	free(buf);
	why = choose(q, in, &man);
	kv_free(&man);
	if (why != NULL) {
		finish(q, in, -1, why);
		return;
	}
	in->cur = 0;
	convert_next(q, in);
}

static int
start_unpack(struct qd *q, struct intake *in, off_t off)
{
	char prog[4200], src[4200], udir[4200], errpath[4200], tmo[16];
	char cpu[16], mem[16], size[32];
	const struct conf *c = q->conf;
	char path[128];

	(void)path_fmt(path, sizeof(path), "msgs/%s", in->id);
	(void)path_fmt(in->dir, sizeof(in->dir), "%s/msgs/%s",
	    spool_dir(q->sp), in->id);
	if (qd_exists(q, path) && sandbox_rmdir(in->dir) == -1)
		return -1;
	(void)path_fmt(udir, sizeof(udir), "%s/u", path);
	if (spool_mkdir(q->sp, path, 0700) == -1 ||
	    spool_mkdir(q->sp, udir, 0700) == -1)
		return -1;
	(void)path_fmt(prog, sizeof(prog), "%s/unpack", q->libexec);
	(void)path_fmt(src, sizeof(src), "%s/incoming/cur/%s",
	    spool_dir(q->sp), in->id);
	(void)path_fmt(udir, sizeof(udir), "%s/u", in->dir);
	(void)path_fmt(errpath, sizeof(errpath), "%s/err.unpack", in->dir);
	(void)snprintf(tmo, sizeof(tmo), "%ld", c->convert_timeout);
	(void)snprintf(cpu, sizeof(cpu), "%ld", c->convert_cpu);
	(void)snprintf(mem, sizeof(mem), "%ld", getenv("RAMPART_CONVERT_NO_AS") ?
	    0L : c->convert_memory >> 20);
	(void)snprintf(size, sizeof(size), "%ld", c->max_message_size * 2);
	char *argv[] = { prog, "-o", udir, "-t", tmo, "-x", cpu, "-M", mem,
	    "-s", size, NULL };
	if ((in->pid = spawn(src, off, errpath, argv)) == -1) {
		in->pid = 0;
		return -1;
	}
	in->step = IN_UNPACK;
	return 0;
}

/* ---- the envelope ------------------------------------------------------ */

/*
 * Reads the envelope of incoming/cur/ID as rampart-spool(5) says: exactly
 * these keys, in this order, version 1, size matching.
 */
static int
envelope_read(struct qd *q, const char *id, struct kvlist *env, off_t *off,
    char **raw, char *err, size_t errsz)
{
	static const char *const order[] = { "version", "id", "time",
	    "client", "helo", "account", "auth", "tls_version", "tls_cipher",
	    "mail_from", "rcpt", "size", NULL };
	char path[128], buf[ENV_MAX + 1], *end;
	struct stat st;
	long long size;
	ssize_t n;
	size_t i, k = 0, hl;
	int fd;

	(void)path_fmt(path, sizeof(path), "incoming/cur/%s", id);
	if ((fd = spool_open_read(q->sp, path)) == -1) {
		snprintf(err, errsz, "open: %s", strerror(errno));
		return -1;
	}
	n = pread(fd, buf, ENV_MAX, 0);
	if (n < 0 || fstat(fd, &st) == -1) {
		snprintf(err, errsz, "read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	if ((end = memmem(buf, (size_t)n, "\n\n", 2)) == NULL) {
		snprintf(err, errsz, "no end of envelope");
		errno = EINVAL;
		return -1;
	}
	hl = (size_t)(end - buf) + 1;
	if (kv_parse(env, buf, hl, err, errsz) == -1)
		return -1;
	for (i = 0; i < env->n; i++) {
		if (order[k] != NULL && strcmp(env->v[i].key, order[k]) == 0) {
			if (strcmp(order[k], "rcpt") != 0)
				k++;
			continue;
		}
		if (order[k] != NULL && strcmp(order[k], "rcpt") == 0 && i > 0 &&
		    strcmp(env->v[i - 1].key, "rcpt") == 0 &&
		    strcmp(env->v[i].key, "size") == 0) {
			k += 2;
			continue;
		}
		snprintf(err, errsz, "line %zu: key %s out of order or unknown",
		    i + 1, env->v[i].key);
		goto bad;
	}
	if (order[k] != NULL) {
		snprintf(err, errsz, "missing key %s", order[k]);
		goto bad;
	}
	if (strcmp(kv_get(env, "version"), "1") != 0 ||
	    strcmp(kv_get(env, "id"), id) != 0) {
		snprintf(err, errsz, "wrong version or id");
		goto bad;
	}
	if (strlen(kv_get(env, "size")) != 20 ||
	    kv_num(env, "size", 0, INT64_MAX, 0, &size) == -1 ||
	    (long long)(st.st_size - (off_t)hl - 1) != size) {
		snprintf(err, errsz, "size does not match the message");
		goto bad;
	}
	*off = (off_t)hl + 1;
	if (raw != NULL && (*raw = strndup(buf, (size_t)*off)) == NULL) {
		kv_free(env);
		return -1;
	}
	return 0;
bad:
	kv_free(env);
	errno = EINVAL;
	return -1;
}

/* a corrupt entry: moved aside, the admin told, queued goes on */
static void
quarantine(struct qd *q, const char *id, const char *why)
{
	char from[128], to[128], text[1024];

	(void)path_fmt(from, sizeof(from), "incoming/cur/%s", id);
	(void)path_fmt(to, sizeof(to), "incoming/bad/%s", id);
	if (spool_move(q->sp, from, to) == -1)
		log_warn("id=%s cannot move to incoming/bad", id);
	log_warnx("id=%s corrupt incoming entry (%s): moved to incoming/bad",
	    id, why);
	(void)snprintf(text, sizeof(text), "queued found the incoming "
	    "message %s unreadable (%s) and moved it to incoming/bad/ in the "
	    "spool. Nothing was faxed and no notice went to its sender.\n",
	    id, why);
	(void)notice_alert(q, id, "corrupt incoming message", text);
}

static void
begin(struct qd *q, const char *id)
{
	struct intake *in;
	struct kvlist env;
	char err[256];
	off_t off;

	if (envelope_read(q, id, &env, &off, NULL, err, sizeof(err)) == -1) {
		if (errno == ENOENT)
			return;
		if (errno == EINVAL)
			quarantine(q, id, err);
		else
			log_warn("id=%s cannot read the envelope", id);
		return;
	}
	kv_free(&env);
	if ((in = calloc(1, sizeof(*in))) == NULL)
		return;
	(void)str_copy(in->id, id, sizeof(in->id));
	in->next = q->intake;
	q->intake = in;
	q->nintake++;
	if (start_unpack(q, in, off) == -1)
		defer(q, in, "cannot start unpack");
	else
		log_info("id=%s unpacking", id);
}

void
intake_one(struct qd *q, const char *id)
{
	struct intake *in = find(q, id);
	char path[128];

	if (in != NULL && (in->step != IN_DEFERRED || in->retry_at > time(NULL)))
		return;
	if (active(q) >= q->conf->queued_max_parallel)
		return;		/* the next scan finds it */
	if (in != NULL)
		forget(q, in);
	(void)path_fmt(path, sizeof(path), "incoming/new/%s", id);
	if (qd_exists(q, path) && spool_take(q->sp, "incoming", id) == -1) {
		log_warn("id=%s cannot take from incoming/new", id);
		return;
	}
	begin(q, id);
}

static int
scan_cb(const char *name, void *arg)
{
	struct qd *q = arg;

	if (!id_valid(name))
		return 0;
	if (active(q) >= q->conf->queued_max_parallel)
		return -1;
	intake_one(q, name);
	return 0;
}

/* a work directory whose message is gone (a crash between the two) */
static int
orphan_cb(const char *name, void *arg)
{
	struct qd *q = arg;
	char path[128], abs[4200];

	(void)path_fmt(path, sizeof(path), "incoming/cur/%s", name);
	if (!id_valid(name) || find(q, name) != NULL || qd_exists(q, path))
		return 0;
	(void)path_fmt(abs, sizeof(abs), "%s/msgs/%s", spool_dir(q->sp), name);
	if (sandbox_rmdir(abs) == -1)
		log_warn("id=%s cannot remove msgs/", name);
	return 0;
}

void
intake_scan(struct qd *q)
{
	(void)spool_scan(q->sp, "msgs", orphan_cb, q);
	(void)spool_scan(q->sp, "incoming/cur", scan_cb, q);
	(void)spool_scan(q->sp, "incoming/new", scan_cb, q);
}

void
intake_child(struct qd *q, pid_t pid, int status)
{
	struct intake *in;

	for (in = q->intake; in != NULL; in = in->next)
		if (in->pid == pid)
			break;
	if (in == NULL)
		return;
	in->pid = 0;
	if (in->step == IN_UNPACK)
		unpacked(q, in, status);
	else if (in->step == IN_CONVERT)
		converted(q, in, status);
}

void
intake_fini(struct qd *q)
{
	struct intake *in;

	while ((in = q->intake) != NULL) {
		if (in->pid > 0)
			kill(in->pid, SIGTERM);
		q->intake = in->next;
		free(in);
	}
}
