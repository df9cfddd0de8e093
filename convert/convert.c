/*
 * convert: the supervisor.  Parses the command line, opens the input and
 * creates the output as the caller, makes a private directory, forks the
 * worker into the sandbox and waits for it with a wall-clock deadline.
 * It maps the worker's end (exit code, signal, timeout) to one exit
 * status and one line on stderr that names the attachment.  It never
 * parses a document: everything in the file is the worker's business.
 * A plain fork, not a re-exec, is enough: the supervisor has read
 * nothing untrusted before the fork.  PostScript, which it tells from
 * the first bytes alone, first goes through Ghostscript in a sandboxed
 * child of its own (gs.c); the worker then gets the PDF gs wrote.  One
 * deadline covers both.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "convert.h"
#include "log.h"
#include "path.h"
#include "privdrop.h"
#include "sandbox.h"

struct run {
	const struct convert_opts	*o;
	int				 infd, outfd, pipefd[2];
	int				 dirfd;	/* the private directory */
	int				 kind;	/* DOC_*, from the first bytes */
	char				 dir[PATH_MAX];
	struct timespec			 deadline;
	char				 reason[256];
	pid_t				 pid, parent;
	uid_t				 uid;	/* the worker's, if root */
	gid_t				 gid;
	int				 created;	/* the output, by us */
	int				 synced;	/* output fsync done */
	int				 sync_err;	/* its errno, or close's */
};

/* set by SIGTERM, SIGINT, SIGHUP: stop the worker and clean up */
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	stop = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
say(const struct convert_opts *o, const char *reason)
{
	char name[256];

	log_escape(name, sizeof(name), o->name != NULL ? o->name : "-");
	fprintf(stderr, "convert: %s: %s\n", name, reason);
}

static int
prepare(struct run *r)
{
	const struct convert_opts *o = r->o;
	struct stat st;
	const char *tmp = getenv("TMPDIR");

	if ((r->infd = open(o->in, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(r->infd, &st) == -1) {
		snprintf(r->reason, sizeof(r->reason), "open input: %s",
		    strerror(errno));
		return CONVERT_EINTERNAL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(r->reason, sizeof(r->reason), "input is not a file");
		return CONVERT_EINTERNAL;
	}
	if (st.st_size > o->max_bytes) {
		snprintf(r->reason, sizeof(r->reason),
		    "too large: %lld bytes, limit %ld",
		    (long long)st.st_size, o->max_bytes);
		return CONVERT_ELIMIT;
	}
	if (path_fmt(r->dir, sizeof(r->dir), "%s/convert.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp") == -1 ||
	    mkdtemp(r->dir) == NULL) {
		r->dir[0] = '\0';
		snprintf(r->reason, sizeof(r->reason), "private directory: %s",
		    strerror(errno));
		return CONVERT_EINTERNAL;
	}
	if ((r->dirfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		snprintf(r->reason, sizeof(r->reason), "private directory: %s",
		    strerror(errno));
		return CONVERT_EINTERNAL;
	}
	if ((r->outfd = open(o->out, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(r->reason, sizeof(r->reason), "create %s: %s",
		    o->out, strerror(errno));
		return CONVERT_EINTERNAL;
	}
	r->created = 1;
	return CONVERT_OK;
}

/*
 * Looks up the user the worker becomes, here and once: the sandboxed
 * child must not load the name service.  The private directory is his.
 */
static int
give_dir(struct run *r)
{
	struct passwd *pw;

	if (!privdrop_is_root())
		return 0;
	if ((pw = getpwnam(r->o->user)) == NULL || pw->pw_uid == 0) {
		snprintf(r->reason, sizeof(r->reason), "no such user %s",
		    r->o->user);
		return -1;
	}
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	if (chown(r->dir, r->uid, r->gid) == -1) {
		snprintf(r->reason, sizeof(r->reason), "chown: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Reads the whole input.  The supervisor checked its size with fstat; a
 * file that grew since is read one byte past max, so the caller sees it.
 */
static int
slurp(int fd, long max, unsigned char **bufp, size_t *lenp)
{
	struct stat st;
	unsigned char *buf;
	size_t len = 0, cap;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		return -1;
	/* a file is mapped, its pages filled in one call, not one fault each */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= max &&
	    (buf = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE |
	    MAP_POPULATE, fd, 0)) != MAP_FAILED) {
		*bufp = buf;
		*lenp = st.st_size;
		return 0;
	}
	cap = st.st_size < max ? (size_t)st.st_size + 1 : (size_t)max + 1;
	if ((buf = malloc(cap)) == NULL)
		return -1;
	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void
child_fds(struct run *r)
{
	int null, in, out, rep;

	if ((null = open("/dev/null", O_RDWR)) == -1)
		_exit(CONVERT_EINTERNAL);
	in = fcntl(r->infd, F_DUPFD, 10);
	out = fcntl(r->outfd, F_DUPFD, 10);
	rep = fcntl(r->pipefd[1], F_DUPFD, 10);
	if (in == -1 || out == -1 || rep == -1 || dup2(null, 0) == -1 ||
	    dup2(null, 1) == -1 || (!r->o->verbose && dup2(null, 2) == -1) ||
	    dup2(in, 3) == -1 || dup2(out, 4) == -1 || dup2(rep, 5) == -1)
		_exit(CONVERT_EINTERNAL);
	closefrom(6);
}

static void __attribute__((noreturn))
child(struct run *r)
{
	struct sandbox_limits l;
	const char *what, *skipped;
	unsigned char *doc;
	size_t len;
	int code;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	setsid();
	child_fds(r);
	if (slurp(3, r->o->max_bytes, &doc, &len) == -1)
		_exit(CONVERT_EINTERNAL);
	close(3);
	/* iconv costs a file read or two: only where text may need it */
	if (r->kind == DOC_TEXT16 || r->o->charset[0] != '\0')
		text_prepare(r->o->charset[0] != '\0' ? r->o->charset : NULL);
	l.cpu = r->o->cpu;
	l.mem_mb = r->o->mem_mb;
	l.fsize_mb = 256;
	l.nofile = 16;
	if (sandbox_enter(&l, r->uid, r->gid, r->dir, &what, &skipped) == -1) {
		dprintf(5, "sandbox: %s: %s", what, strerror(errno));
		_exit(CONVERT_EINTERNAL);
	}
	/* die with the supervisor; set last, as a uid change clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != r->parent)
		_exit(CONVERT_EINTERNAL);
	if (skipped != NULL && r->o->verbose)
		fprintf(stderr, "convert: sandbox without %s\n", skipped);
	if ((size_t)r->o->max_bytes < len) {
		dprintf(5, "too large: more than %ld bytes", r->o->max_bytes);
		_exit(CONVERT_ELIMIT);
	}
	code = worker_run(r->o, doc, len, 4, r->reason, sizeof(r->reason));
	if (code != CONVERT_OK)
		dprintf(5, "%s", r->reason);
	close(5);	/* the supervisor goes on while this process is torn down */
	_exit(code);
}

static int
collect(int fd, char *buf, size_t sz, const struct timespec *deadline)
{
	return sandbox_collect(fd, buf, sz, deadline, &stop);
}

static int
reap(struct run *r, const struct timespec *deadline, int *status)
{
	return sandbox_reap(r->pid, deadline, status, &stop);
}

static int
map_status(struct run *r, int st)
{
	int sig;

	if (WIFEXITED(st)) {
		switch (WEXITSTATUS(st)) {
		case CONVERT_OK:
		case CONVERT_EUNSUPPORTED:
		case CONVERT_ECORRUPT:
		case CONVERT_EENCRYPTED:
		case CONVERT_ELIMIT:
		case CONVERT_EINTERNAL:
			if (WEXITSTATUS(st) != CONVERT_OK && r->reason[0] == '\0')
				snprintf(r->reason, sizeof(r->reason),
				    "worker failed without a reason");
			return WEXITSTATUS(st);
		}
		snprintf(r->reason, sizeof(r->reason),
		    "worker exited with status %d", WEXITSTATUS(st));
		return CONVERT_ECRASH;
	}
	sig = WTERMSIG(st);
	if (sig == SIGXCPU) {
		snprintf(r->reason, sizeof(r->reason),
		    "CPU limit of %ld s reached", r->o->cpu);
		return CONVERT_ETIMEOUT;
	}
	if (sig == SIGXFSZ) {
		snprintf(r->reason, sizeof(r->reason), "file size limit reached");
		return CONVERT_ELIMIT;
	}
	snprintf(r->reason, sizeof(r->reason), "worker killed by signal %d (%s)",
	    sig, strsignal(sig));
	return CONVERT_ECRASH;
}

/* the output to disk, once: a second fsync need not report a failure */
static void
sync_output(struct run *r)
{
	r->synced = 1;
	r->sync_err = fsync(r->outfd) == -1 ? errno : 0;
}

/* the deadline passed or a signal came: kills r->pid, says which */
static int
give_up(struct run *r)
{
	int st;

	kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (stop) {
		snprintf(r->reason, sizeof(r->reason),
		    "stopped by signal %d", (int)stop);
		return CONVERT_EINTERNAL;
	}
	snprintf(r->reason, sizeof(r->reason), "timeout after %ld s",
	    r->o->timeout);
	return CONVERT_ETIMEOUT;
}

static int
supervise(struct run *r)
{
	int st, c;

	close(r->pipefd[1]);
	r->pipefd[1] = -1;
	c = collect(r->pipefd[0], r->reason, sizeof(r->reason), &r->deadline);
	r->reason[strcspn(r->reason, "\n")] = '\0';
	/* no reason: the output is written; sync it while the worker exits */
	if (c == 0 && r->reason[0] == '\0')
		sync_output(r);
	if (c == -1 || reap(r, &r->deadline, &st) == -1)
		return give_up(r);
	return map_status(r, st);
}

/*
 * The kind of document by its first bytes (the worker decides on all of
 * them); PostScript wants Ghostscript, if there is one.
 */
static int
wants_gs(struct run *r)
{
	unsigned char head[1024];
	ssize_t n = pread(r->infd, head, sizeof(head), 0);

	r->kind = n > 0 ? worker_sniff(head, n, r->o->type) : DOC_UNKNOWN;
	return r->kind == DOC_PS && access(GS_PATH, X_OK) == 0;
}

/*
 * gs's root: the subdirectory gs of the private directory, so that what
 * gs leaves there is out of the worker's way (the worker's root is the
 * private directory; gs never sees it), with gs/tmp for its scratch
 * files.  Its descriptor, or -1.
 */
static int
gs_dir(struct run *r, char *path, size_t sz)
{
	int fd;

	if (path_fmt(path, sz, "%s/gs", r->dir) == -1 ||
	    mkdirat(r->dirfd, "gs", 0700) == -1 ||
	    (fd = openat(r->dirfd, "gs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	/* and its scratch directory: the filter will refuse gs mkdir */
	if (mkdirat(fd, "tmp", 0700) == -1 || (privdrop_is_root() &&
	    (fchown(fd, r->uid, r->gid) == -1 || fchownat(fd, "tmp", r->uid,
	    r->gid, AT_SYMLINK_NOFOLLOW) == -1))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Runs Ghostscript on the input in its sandbox; its PDF becomes the
 * worker's input.  CONVERT_*.
 */
static int
ghostscript(struct run *r)
{
	char msg[4096], dir[PATH_MAX];
	struct stat st;
	int errp[2], ws, c, fd, dirfd;

	if ((dirfd = gs_dir(r, dir, sizeof(dir))) == -1) {
		snprintf(r->reason, sizeof(r->reason), "gs directory: %s",
		    strerror(errno));
		return CONVERT_EINTERNAL;
	}
	if (pipe2(errp, O_CLOEXEC) == -1 || (r->pid = fork()) == -1) {
		snprintf(r->reason, sizeof(r->reason), "fork: %s",
		    strerror(errno));
		close(dirfd);
		return CONVERT_EINTERNAL;
	}
	if (r->pid == 0)
		gs_exec(r->o, r->infd, errp[1], dir, r->uid, r->gid,
		    r->parent);
	close(errp[1]);
	c = collect(errp[0], msg, sizeof(msg), &r->deadline);
	close(errp[0]);
	if (c == -1 || reap(r, &r->deadline, &ws) == -1) {
		close(dirfd);
		return give_up(r);
	}
	if (r->o->verbose && msg[0] != '\0')
		fprintf(stderr, "%s", msg);
	c = gs_status(r->o, ws, msg, r->reason, sizeof(r->reason));
	fd = c != CONVERT_OK ? -1 : openat(dirfd, GS_OUT, O_RDONLY |
	    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dirfd);
	if (c != CONVERT_OK)
		return c;
	if (fd == -1 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode) || st.st_size == 0) {
		if (fd != -1)
			close(fd);
		snprintf(r->reason, sizeof(r->reason),
		    "PostScript: no pages");
		return CONVERT_ECORRUPT;
	}
	close(r->infd);
	r->infd = fd;
	return CONVERT_OK;
}

/* closes the output: synced and kept on success, removed otherwise */
static int
close_output(struct run *r, int code)
{
	if (code == CONVERT_OK && !r->synced)
		sync_output(r);
	if (r->outfd != -1 && close(r->outfd) == -1 && r->sync_err == 0)
		r->sync_err = errno;
	r->outfd = -1;
	if (code == CONVERT_OK && r->sync_err != 0) {
		snprintf(r->reason, sizeof(r->reason), "write %s: %s",
		    r->o->out, strerror(r->sync_err));
		code = CONVERT_EINTERNAL;
	}
	if (code != CONVERT_OK && r->created)
		unlink(r->o->out);
	return code;
}

static int
finish(struct run *r, int code)
{
	code = close_output(r, code);
	if (r->dir[0] != '\0' && sandbox_rmdir(r->dir) == -1 &&
	    code == CONVERT_OK) {
		snprintf(r->reason, sizeof(r->reason),
		    "remove private directory: %s", strerror(errno));
		code = CONVERT_EINTERNAL;
	}
	if (code != CONVERT_OK)
		say(r->o, r->reason);
	return code;
}

static int
run(const struct convert_opts *o)
{
	struct run r;
	int code;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.infd = r.outfd = r.pipefd[0] = r.pipefd[1] = r.dirfd = -1;
	if ((code = prepare(&r)) != CONVERT_OK)
		goto done;
	code = CONVERT_EINTERNAL;
	if (give_dir(&r) == -1)
		goto done;
	r.parent = getpid();
	clock_gettime(CLOCK_MONOTONIC, &r.deadline);
	r.deadline.tv_sec += o->timeout;
	if (wants_gs(&r) && (code = ghostscript(&r)) != CONVERT_OK)
		goto done;
	code = CONVERT_EINTERNAL;
	if (pipe2(r.pipefd, O_CLOEXEC) == -1 || (r.pid = fork()) == -1) {
		snprintf(r.reason, sizeof(r.reason), "fork: %s", strerror(errno));
		goto done;
	}
	if (r.pid == 0)
		child(&r);
	code = supervise(&r);
 done:
	if (r.infd != -1)
		close(r.infd);
	if (r.pipefd[0] != -1)
		close(r.pipefd[0]);
	if (r.dirfd != -1)
		close(r.dirfd);
	if (code != CONVERT_OK && r.outfd == -1 && r.dir[0] == '\0') {
		say(o, r.reason);
		return code;
	}
	return finish(&r, code);
}

/*
 * Everything is written, synced and closed by now: the destructors of
 * some twenty libraries (about 1 ms) are skipped.  Under AddressSanitizer
 * exit runs as usual, so that its leak check still runs.
 */
static int
quit(int code)
{
#if !defined(__SANITIZE_ADDRESS__)
	fflush(stdout);
	fflush(stderr);
	_exit(code);
#endif
	return code;
}

int
main(int argc, char *argv[])
{
	struct convert_opts o;
	int code;

	catch_signals();
	if (opts_parse(&o, argc, argv) == -1)
		return CONVERT_EUSAGE;
	if (opts_cover(&o) == -1)
		return CONVERT_EINTERNAL;
	code = run(&o);
	free(o.cover_text);
	return quit(code);
}
