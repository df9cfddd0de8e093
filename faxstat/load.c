/*
 * load: reads jobs/, done/ and msgs/ into records.  Directory
 * entries are read with readdir and their d_type, not spool_scan: the
 * lists are sorted by time afterwards, so the name sort and the copy of
 * 100,000 names would be wasted, and d_type refuses a symbolic link in
 * place of a job directory without one more system call per entry.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faxstat.h"
#include "log.h"
#include "path.h"
#include "spool.h"

#define FILE_MAX	(1024 * 1024)	/* no spool record is larger */

static pthread_mutex_t skip_lock = PTHREAD_MUTEX_INITIALIZER;

/* called from the reading threads too */
void
fs_skip(struct fs *fs, const char *path, const char *why)
{
	char safe[PATH_MAX];

	/* path is made of checked names, but a bad name is shown too */
	log_escape(safe, sizeof(safe), path);
	pthread_mutex_lock(&skip_lock);
	fprintf(stderr, "faxstat: %s/%s: %s, skipped\n", spool_dir(fs->sp),
	    safe, why);
	fs->status = FS_EXIT_SKIPPED;
	pthread_mutex_unlock(&skip_lock);
}

const char *
fs_open_error(int e)
{
	switch (e) {
	case ELOOP:
		return "a symbolic link, refused";
	case EMLINK:
		return "has more than one link, refused";
	case EINVAL:
		return "not a regular file, refused";
	case EXDEV:
		return "outside the spool, refused";
	case EFBIG:
		return "too large";
	default:
		return strerror(e);
	}
}

/*
 * Opens path (relative to the spool) for reading with openat2: no
 * symbolic link anywhere on the path, nothing outside the spool.  Where
 * the kernel has no openat2, the last component is still checked
 * (O_NOFOLLOW) and the lists check the directories by d_type.
 */
static int
open_beneath(struct fs *fs, const char *path)
{
	static int no_openat2;
	struct open_how how;
	int fd;

	if (!__atomic_load_n(&no_openat2, __ATOMIC_RELAXED)) {
		memset(&how, 0, sizeof(how));
		how.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, spool_dirfd(fs->sp), path, &how,
		    sizeof(how));
		if (fd != -1 || errno != ENOSYS)
			return fd;
		__atomic_store_n(&no_openat2, 1, __ATOMIC_RELAXED);
	}
	return openat(spool_dirfd(fs->sp), path, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC);
}

/*
 * Reads a whole spool file into a buffer faxstat reuses (valid until the
 * next call): a regular file with one link, as spool_open_read demands,
 * in four system calls (open, fstat, read, close) where spool_read needs
 * seven; with 100,000 jobs that is most of faxstat -s's time.
 */
static __thread char *rbuf;		/* one per reading thread */
static __thread size_t rcap;

static void
read_file_done(void)
{
	free(rbuf);
	rbuf = NULL;
	rcap = 0;
}

static int
read_file(struct fs *fs, const char *path, char **bufp, size_t *lenp)
{
	struct stat st;
	size_t len = 0, want;
	ssize_t n;
	char *g;
	int fd, saved;

	if ((fd = open_beneath(fs, path)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if (st.st_nlink != 1) {
		errno = EMLINK;
		goto fail;
	}
	if (st.st_size > FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	want = (size_t)st.st_size;
	if (want + 1 > rcap) {
		if ((g = realloc(rbuf, want + 1)) == NULL)
			goto fail;
		rbuf = g;
		rcap = want + 1;
	}
	while (len < want) {
		n = read(fd, rbuf + len, want - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;		/* shrank under us: take what is there */
		len += (size_t)n;
	}
	close(fd);
	rbuf[len] = '\0';
	*bufp = rbuf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * Reads and parses path.  0; -2 if it does not exist and quiet_enoent
 * (not reported); -1 if it was skipped (reported).
 */
int
fs_read_kv(struct fs *fs, const char *path, struct kvlist *l,
    int quiet_enoent)
{
	char err[128], why[160];
	size_t len;
	char *buf;

	if (read_file(fs, path, &buf, &len) == -1) {
		if (errno == ENOENT && quiet_enoent)
			return -2;
		fs_skip(fs, path, fs_open_error(errno));
		return -1;
	}
	if (kv_parse(l, buf, len, err, sizeof(err)) == -1) {
		(void)snprintf(why, sizeof(why), "corrupt: %s", err);
		fs_skip(fs, path, why);
		return -1;
	}
	return 0;
}

/*
 * An envelope (jobs/ID/envelope): key = value lines up to an empty line
 * or the end.  Parsed like any record.
 */
int
fs_envelope(struct fs *fs, const char *path, struct kvlist *l)
{
	char err[128], why[160];
	size_t len;
	char *buf, *end;

	if (read_file(fs, path, &buf, &len) == -1) {
		if (errno == ENOENT)
			return -2;
		fs_skip(fs, path, fs_open_error(errno));
		return -1;
	}
	if ((end = strstr(buf, "\n\n")) != NULL)
		len = end - buf + 1;
	if (kv_parse(l, buf, len, err, sizeof(err)) == -1) {
		(void)snprintf(why, sizeof(why), "corrupt: %s", err);
		fs_skip(fs, path, why);
		return -1;
	}
	return 0;
}

/* a number key; required ones must be there */
static int
num(struct fs *fs, const char *path, const struct kvlist *l,
    const char *key, int required, long long max, long long *out)
{
	char why[80];

	if (required && kv_get(l, key) == NULL) {
		(void)snprintf(why, sizeof(why), "corrupt: no %s", key);
		fs_skip(fs, path, why);
		return -1;
	}
	if (kv_num(l, key, 0, max, 0, out) == -1) {
		(void)snprintf(why, sizeof(why), "corrupt: bad %s", key);
		fs_skip(fs, path, why);
		return -1;
	}
	return 0;
}

static const char *
str(const struct kvlist *l, const char *key)
{
	const char *v = kv_get(l, key);

	return v != NULL ? v : "";
}

#define TMAX	253402300799LL	/* 9999-12-31T23:59:59Z */
#define NMAX	1000000000LL

/* a strict decimal in [0, max]; -1 if not */
static int
strict_num(const char *v, long long max, long long *out)
{
	long long n = 0;

	if (*v == '\0')
		return -1;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9' || n > (max - (*v - '0')) / 10)
			return -1;
		n = n * 10 + (*v - '0');
	}
	*out = n;
	return 0;
}

enum ftype { F_ID, F_STR, F_NUM };

/* the job file's keys faxstat shows, sorted for bsearch */
static const struct jfield {
	const char	*key;
	enum ftype	 type;
	size_t		 off;
	int		 required;
	long long	 max;
} jfields[] = {
	{ "account", F_STR, offsetof(struct rec, account), 1, 0 },
	{ "created", F_NUM, offsetof(struct rec, created), 0, TMAX },
	{ "device", F_STR, offsetof(struct rec, device), 0, 0 },
	{ "e164", F_STR, offsetof(struct rec, e164), 0, 0 },
	{ "finished", F_NUM, offsetof(struct rec, finished), 0, TMAX },
	{ "first_page", F_NUM, offsetof(struct rec, first_page), 1, NMAX },
	{ "id", F_ID, 0, 1, 0 },
	{ "last_reason", F_STR, offsetof(struct rec, last_reason), 0, 0 },
	{ "not_before", F_NUM, offsetof(struct rec, not_before), 0, TMAX },
	{ "number", F_STR, offsetof(struct rec, number), 1, 0 },
	{ "outcome", F_STR, offsetof(struct rec, outcome), 0, 0 },
	{ "pages", F_NUM, offsetof(struct rec, pages), 1, NMAX },
	{ "reason", F_STR, offsetof(struct rec, reason), 0, 0 },
	{ "state", F_STR, offsetof(struct rec, state), 0, 0 },
	{ "subject", F_STR, offsetof(struct rec, subject), 0, 0 },
	{ "try", F_NUM, offsetof(struct rec, try), 1, NMAX },
};
#define NJFIELDS	(sizeof(jfields) / sizeof(jfields[0]))

static int
cmp_jfield(const void *k, const void *f)
{
	return strcmp(k, ((const struct jfield *)f)->key);
}

/*
 * One pass over the job file's lines (kv_get for each field would be
 * some 600 string compares a job).  The first of a repeated key counts,
 * as with kv_get.
 */
static int
load_job(struct fs *fs, const char *path, const char *id, struct rec *r)
{
	const struct jfield *f;
	struct kvlist l;
	unsigned seen = 0;
	char why[80];
	size_t i;
	int rv;

	if ((rv = fs_read_kv(fs, path, &l, 1)) != 0)
		return rv;
	for (i = 0; i < l.n; i++) {
		f = bsearch(l.v[i].key, jfields, NJFIELDS, sizeof(*f),
		    cmp_jfield);
		if (f == NULL || (seen & 1u << (f - jfields)))
			continue;
		seen |= 1u << (f - jfields);
		if (f->type == F_ID) {
			if (strcmp(l.v[i].val, id) != 0) {
				fs_skip(fs, path, "corrupt: id is not the "
				    "directory's name");
				goto bad;
			}
		} else if (f->type == F_STR)
			*(const char **)((char *)r + f->off) = l.v[i].val;
		else if (strict_num(l.v[i].val, f->max,
		    (long long *)((char *)r + f->off)) == -1) {
			(void)snprintf(why, sizeof(why), "corrupt: bad %s",
			    f->key);
			fs_skip(fs, path, why);
			goto bad;
		}
	}
	for (i = 0; i < NJFIELDS; i++) {
		f = &jfields[i];
		if (seen & 1u << i)
			continue;
		if (f->required) {
			(void)snprintf(why, sizeof(why), "corrupt: no %s",
			    f->key);
			fs_skip(fs, path, why);
			goto bad;
		}
		if (f->type == F_STR)
			*(const char **)((char *)r + f->off) = "";
	}
	if (r->kind == REC_DONE && *r->outcome == '\0') {
		fs_skip(fs, path, "corrupt: a finished job with no outcome");
		goto bad;
	}
	r->sort = r->kind == REC_DONE ? r->finished : r->created;
	r->buf = l.buf;		/* the fields point into it */
	free(l.v);
	return 0;
bad:
	kv_free(&l);
	return -1;
}

static int
load_recv(struct fs *fs, const char *id, struct rec *r)
{
	char path[PATH_MAX];
	struct kvlist l, rl;
	size_t i = 0;
	int rv;

	(void)path_fmt(path, sizeof(path), "done/%s/meta", id);
	if ((rv = fs_read_kv(fs, path, &l, 1)) != 0)
		return rv;
	if (strcmp(str(&l, "id"), id) != 0) {
		fs_skip(fs, path, "corrupt: id is not the directory's name");
		goto bad;
	}
	if (num(fs, path, &l, "pages", 1, NMAX, &r->pages) == -1 ||
	    num(fs, path, &l, "started", 1, TMAX, &r->started) == -1 ||
	    num(fs, path, &l, "duration", 0, NMAX, &r->duration) == -1 ||
	    num(fs, path, &l, "bit_rate", 0, NMAX, &r->bit_rate) == -1 ||
	    num(fs, path, &l, "complete", 0, 1, &r->complete) == -1)
		goto bad;
	r->device = str(&l, "device");
	r->caller_id = str(&l, "caller_id");
	r->tsi = str(&l, "tsi");
	r->did = str(&l, "did");
	r->sort = r->started;
	r->authorized = -1;	/* not routed yet */
	r->route_to = "";
	r->route = "";
	(void)path_fmt(path, sizeof(path), "done/%s/route", id);
	if ((rv = fs_read_kv(fs, path, &rl, 1)) == -1) {
		/* the fax is shown; its routing is not known */
		r->route = "?";
	} else if (rv == 0) {
		if (num(fs, path, &rl, "authorized", 1, 1,
		    &r->authorized) == -1) {
			r->authorized = -1;
			r->route = "?";
			kv_free(&rl);
		} else {
			r->route = str(&rl, "route");
			r->route_to = kv_next(&rl, "rcpt", &i);
			if (r->route_to == NULL)
				r->route_to = "";
			r->buf2 = rl.buf;
			free(rl.v);
		}
	}
	r->buf = l.buf;
	free(l.v);
	return 0;
bad:
	kv_free(&l);
	return -1;
}

/* 1 if dir/name is a directory (not a link to one) */
static int
is_dir(struct fs *fs, int dfd, const char *dir, const struct dirent *de)
{
	char path[PATH_MAX];
	struct stat st;

	(void)path_fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
	if (de->d_type == DT_UNKNOWN) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return 0;	/* gone meanwhile */
		if (S_ISDIR(st.st_mode))
			return 1;
		fs_skip(fs, path, S_ISLNK(st.st_mode) ?
		    "a symbolic link, refused" : "not a directory");
		return 0;
	}
	if (de->d_type == DT_DIR)
		return 1;
	fs_skip(fs, path, de->d_type == DT_LNK ? "a symbolic link, refused" :
	    "not a directory");
	return 0;
}

static int
grow(struct rec **recs, size_t n, size_t *cap)
{
	struct rec *g;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	if ((g = reallocarray(*recs, *cap, sizeof(**recs))) == NULL)
		return -1;
	*recs = g;
	return 0;
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->sort != y->sort)
		return x->sort < y->sort ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* loads the record whose id and kind are set; 0 if it is to be shown */
static int
load_one(struct fs *fs, const char *dir, struct rec *r)
{
	char path[PATH_MAX];
	int rv;

	if (r->kind == REC_MSG)
		return fs_match(fs, r) ? 0 : -1;
	(void)path_fmt(path, sizeof(path), "%s/%s/job", dir, r->id);
	rv = load_job(fs, path, r->id, r);
	if (rv == -2 && r->kind == REC_DONE) {
		char id[ID_SIZE];

		memcpy(id, r->id, ID_SIZE);
		memset(r, 0, sizeof(*r));
		memcpy(r->id, id, ID_SIZE);
		r->kind = REC_RECV;
		if ((rv = load_recv(fs, r->id, r)) == -2) {
			(void)path_fmt(path, sizeof(path), "done/%s", r->id);
			fs_skip(fs, path, "neither a job nor a meta file");
		}
	}
	if (rv != 0)
		return -1;	/* being made (jobs/), or skipped */
	if (!fs_match(fs, r)) {
		free(r->buf);
		free(r->buf2);
		r->buf = r->buf2 = NULL;
		return -1;
	}
	return 0;
}

struct work {
	struct fs	*fs;
	const char	*dir;
	struct rec	*r;
	size_t		 n;
	size_t		 next;		/* the next chunk to take, atomic */
	unsigned char	*keep;
};

#define CHUNK	256

static void *
worker(void *arg)
{
	struct work *w = arg;
	size_t i, end;

	for (;;) {
		i = __atomic_fetch_add(&w->next, CHUNK, __ATOMIC_RELAXED);
		if (i >= w->n) {
			read_file_done();	/* a thread's buffer dies with it */
			return NULL;
		}
		end = i + CHUNK < w->n ? i + CHUNK : w->n;
		for (; i < end; i++)
			w->keep[i] = load_one(w->fs, w->dir, &w->r[i]) == 0;
	}
}

/*
 * The entries of dir that are ids of directories (others are reported),
 * each as a record with only its id and kind; messages (msgs/) are whole.
 */
static int
read_names(struct fs *fs, const char *dir, struct rec **recs, size_t *np)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	struct rec *r;
	size_t n = 0, cap = 0;
	DIR *d;
	int dfd;

	dfd = openat(spool_dirfd(fs->sp), dir, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (dfd == -1 || (d = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)path_fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!id_valid(de->d_name)) {
			fs_skip(fs, path, "not an id");
			continue;
		}
		if (!is_dir(fs, dfd, dir, de))
			continue;
		if (grow(recs, n, &cap) == -1) {
			closedir(d);
			return -1;
		}
		r = &(*recs)[n++];
		memset(r, 0, sizeof(*r));
		memcpy(r->id, de->d_name, ID_SIZE);
		r->kind = strcmp(dir, "jobs") == 0 ? REC_JOB : REC_DONE;
		if (strcmp(dir, "msgs") == 0) {
			r->kind = REC_MSG;
			r->account = r->number = r->e164 = r->state = "";
			r->device = r->last_reason = r->outcome = "";
			r->reason = r->subject = "";
			if (fstatat(dfd, de->d_name, &st, 0) == 0)
				r->created = st.st_mtime;
			r->sort = r->created;
		}
	}
	closedir(d);
	*np = n;
	return 0;
}

/*
 * Loads every record of dir ("jobs", "done" or "msgs") that passes the
 * filter, sorted by time.  -1 with errno if dir cannot be read.  The
 * directory is read first; then the files are read by one thread per
 * processor (up to four): reading 100,000 small files is system calls,
 * and two cores make them in about half the time.
 */
int
fs_load_list(struct fs *fs, const char *dir, struct rec **recs, size_t *np)
{
	pthread_t th[4];
	struct work w;
	size_t n = 0, i, k;
	long ncpu;
	int nth = 0, t;

	*recs = NULL;
	*np = 0;
	if (read_names(fs, dir, recs, &n) == -1)
		goto fail;
	memset(&w, 0, sizeof(w));
	w.fs = fs;
	w.dir = dir;
	w.r = *recs;
	w.n = n;
	if (n > 0 && (w.keep = malloc(n)) == NULL)
		goto fail;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (n >= 2 * CHUNK && ncpu > 1)
		for (t = 0; t < 4 && t < ncpu; t++) {
			if (pthread_create(&th[t], NULL, worker, &w) != 0)
				break;
			nth++;
		}
	(void)worker(&w);	/* this thread works too */
	for (t = 0; t < nth; t++)
		(void)pthread_join(th[t], NULL);
	for (i = k = 0; i < n; i++)
		if (w.keep[i])
			(*recs)[k++] = (*recs)[i];
	free(w.keep);
	if (k > 1)
		qsort(*recs, k, sizeof(**recs), cmp_rec);
	*np = k;
	return 0;
fail:
	{
		int saved = errno;
		free(*recs);
		*recs = NULL;
		errno = saved;
	}
	return -1;
}

void
fs_sort_recs(struct rec *r, size_t n)
{
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_rec);
}

void
fs_free_recs(struct rec *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].buf);
		free(r[i].buf2);
	}
	free(r);
}

/* 1 if the digits of want end the digits of have */
static int
number_match(const char *want, const char *have)
{
	char d[64];
	size_t n = 0, wl;

	for (; *have != '\0' && n < sizeof(d) - 1; have++)
		if (*have >= '0' && *have <= '9')
			d[n++] = *have;
	d[n] = '\0';
	wl = strlen(want);
	return wl > 0 && wl <= n && strcmp(d + n - wl, want) == 0;
}

int
fs_match(const struct fs *fs, const struct rec *r)
{
	const struct filter *f = &fs->f;

	if (f->since != 0 && r->sort < f->since)
		return 0;
	if (f->account != NULL && (r->kind == REC_RECV ||
	    r->account == NULL || strcmp(f->account, r->account) != 0))
		return 0;
	if (f->number != NULL) {
		if (r->kind == REC_RECV)
			return number_match(f->number, r->did) ||
			    number_match(f->number, r->caller_id);
		return number_match(f->number, r->e164) ||
		    number_match(f->number, r->number);
	}
	return 1;
}

long long
fs_confirmed(const struct rec *r)
{
	long long c;

	if (r->kind == REC_DONE && strcmp(r->outcome, "ok") == 0)
		return r->pages;
	c = r->first_page - 1;
	return c < 0 ? 0 : c > r->pages ? r->pages : c;
}

long long
fs_tries(const struct rec *r)
{
	return r->try > 0 ? r->try - 1 : 0;
}

/* the state of a queued job as a short phrase */
const char *
fs_job_state(const struct fs *fs, const struct rec *r, char *buf, size_t sz)
{
	char t[32];

	if (r->kind == REC_MSG)
		return "converting";
	if (strcmp(r->state, "held") == 0)
		return "held";
	if (strcmp(r->state, "sending") == 0) {
		(void)snprintf(buf, sz, "sending on %s", r->device);
		return buf;
	}
	if (strcmp(r->state, "ready") == 0) {
		if (r->not_before <= fs->now)
			return "waiting for a modem";
		fmt_local(t, sizeof(t), r->not_before, 0);
		(void)snprintf(buf, sz, "retry at %s", t);
		return buf;
	}
	(void)snprintf(buf, sz, "%s", *r->state ? r->state : "(no state)");
	return buf;
}
