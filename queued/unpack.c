/*
 * unpack: the program queued runs to take a message apart.  The supervisor
 * forks a worker, which reads the message from standard input, enters the
 * sandbox (lib/sandbox.c: limits, no network, the output directory as its
 * root, no privileges, seccomp) and only then parses it with GMime
 * (unpack_mime.c).  The supervisor waits with a wall-clock deadline and
 * reports the outcome as its exit status and one line on standard error,
 * as convert(8) does.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "privdrop.h"
#include "sandbox.h"
#include "unpack.h"

struct opts {
	const char	*dir;
	long		 timeout, cpu, mem_mb, max_bytes;
	uid_t		 uid;
	gid_t		 gid;
};

static void
usage(void)
{
	fprintf(stderr, "usage: unpack -o dir [-M megabytes] [-s maxbytes] "
	    "[-t seconds] [-u user] [-x cpuseconds] < message\n");
	exit(64);
}

static long
num(const char *s)
{
	char *e;
	long n;

	errno = 0;
	n = strtol(s, &e, 10);
	if (errno != 0 || *e != '\0' || n < 0)
		usage();
	return n;
}

static int
slurp(int fd, long max, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap), *g;
	ssize_t r;

	if (b == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			if ((long)cap > max) {
				free(b);
				errno = EFBIG;
				return -1;
			}
			if ((g = realloc(b, cap * 2)) == NULL) {
				free(b);
				return -1;
			}
			b = g;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if ((long)n > max) {
		free(b);
		errno = EFBIG;
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

static void __attribute__((noreturn))
worker(const struct opts *o, int rep, pid_t parent)
{
	struct sandbox_limits l;
	const char *what, *skipped;
	char reason[256], *buf;
	size_t len;
	int code;

	if (slurp(0, o->max_bytes, &buf, &len) == -1) {
		dprintf(rep, "%s", errno == EFBIG ? "message too large" :
		    "cannot read the message");
		_exit(errno == EFBIG ? UNPACK_ELIMIT : UNPACK_EINTERNAL);
	}
	unpack_preload();
	l.cpu = o->cpu;
	l.mem_mb = o->mem_mb;
	l.fsize_mb = o->max_bytes / (1024 * 1024) + 1;
	l.nofile = 16;
	if (sandbox_enter(&l, o->uid, o->gid, o->dir, &what, &skipped) == -1) {
		dprintf(rep, "sandbox: %s: %s", what, strerror(errno));
		_exit(UNPACK_EINTERNAL);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(UNPACK_EINTERNAL);
	code = unpack_mime(buf, len, AT_FDCWD, reason, sizeof(reason));
	if (code != UNPACK_OK)
		dprintf(rep, "%s", reason);
	_exit(code);
}

static int
supervise(const struct opts *o, pid_t pid, int rd, char *reason, size_t sz)
{
	struct timespec deadline;
	int st, sig;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += o->timeout;
	if (sandbox_collect(rd, reason, sz, &deadline, NULL) == -1 ||
	    sandbox_reap(pid, &deadline, &st, NULL) == -1)
		goto timeout;
	if (WIFEXITED(st)) {
		switch (WEXITSTATUS(st)) {
		case UNPACK_OK:
		case UNPACK_ECORRUPT:
		case UNPACK_ELIMIT:
		case UNPACK_EINTERNAL:
			if (WEXITSTATUS(st) != UNPACK_OK && reason[0] == '\0')
				snprintf(reason, sz, "worker failed without "
				    "a reason");
			return WEXITSTATUS(st);
		}
		snprintf(reason, sz, "worker exited with status %d",
		    WEXITSTATUS(st));
		return UNPACK_ECRASH;
	}
	sig = WTERMSIG(st);
	if (sig == SIGXCPU) {
		snprintf(reason, sz, "CPU limit of %ld s reached", o->cpu);
		return UNPACK_ETIMEOUT;
	}
	if (sig == SIGXFSZ) {
		snprintf(reason, sz, "a part is larger than the size limit");
		return UNPACK_ELIMIT;
	}
	snprintf(reason, sz, "worker killed by signal %d (%s)", sig,
	    strsignal(sig));
	return UNPACK_ECRASH;
timeout:
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	snprintf(reason, sz, "timeout after %ld s", o->timeout);
	return UNPACK_ETIMEOUT;
}

int
main(int argc, char **argv)
{
	struct opts o = { NULL, 60, 30, 512, 64L << 20, (uid_t)-1,
	    (gid_t)-1 };
	const char *user = "nobody";
	char reason[256];
	struct stat st;
	int ch, p[2], code;
	pid_t pid, parent = getpid();

	while ((ch = getopt(argc, argv, "M:o:s:t:u:x:")) != -1) {
		switch (ch) {
		case 'M': o.mem_mb = num(optarg); break;
		case 'o': o.dir = optarg; break;
		case 's': o.max_bytes = num(optarg); break;
		case 't': o.timeout = num(optarg); break;
		case 'u': user = optarg; break;
		case 'x': o.cpu = num(optarg); break;
		default: usage();
		}
	}
	if (o.dir == NULL || optind != argc || o.timeout == 0)
		usage();
	if (lstat(o.dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "unpack: %s: not a directory\n", o.dir);
		return UNPACK_EINTERNAL;
	}
	if (privdrop_is_root()) {
		struct passwd *pw = getpwnam(user);

		if (pw == NULL || pw->pw_uid == 0) {
			fprintf(stderr, "unpack: no unprivileged user %s\n", user);
			return UNPACK_EINTERNAL;
		}
		o.uid = pw->pw_uid;
		o.gid = pw->pw_gid;
		/* the worker, as that user, writes the parts there */
		if (chown(o.dir, o.uid, o.gid) == -1 || chmod(o.dir, 0700) == -1) {
			fprintf(stderr, "unpack: %s: %s\n", o.dir,
			    strerror(errno));
			return UNPACK_EINTERNAL;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		fprintf(stderr, "unpack: fork: %s\n", strerror(errno));
		return UNPACK_EINTERNAL;
	}
	if (pid == 0) {
		close(p[0]);
		worker(&o, p[1], parent);
	}
	close(p[1]);
	close(0);
	code = supervise(&o, pid, p[0], reason, sizeof(reason));
	if (code != UNPACK_OK) {
		for (char *c = reason; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
				*c = '?';
		fprintf(stderr, "unpack: %s\n", reason);
	}
	return code;
}
