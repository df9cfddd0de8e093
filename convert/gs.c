/*
 * gs: PostScript and EPS through Ghostscript, the one format engine here
 * that is a separate program.  The supervisor forks a child that enters
 * the exec sandbox (lib/sandbox.c: the worker's limits, namespaces and
 * user; a private mount namespace whose root is the directory gs in the
 * private directory, with /usr bound read-only; a seccomp allow list of
 * the calls gs makes) and execs gs with -dSAFER, which writes out.pdf
 * there.  The
 * worker then renders that PDF like any other, so PostScript pages are
 * fitted, centred and turned exactly as PDF pages are and coded by
 * convert's own fax coder.  Nothing here reads the document.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "sandbox.h"

#define GS_ESETUP	125	/* the child's own failure, before exec */

void
gs_exec(const struct convert_opts *o, int infd, int errfd, const char *dir,
    uid_t uid, gid_t gid, pid_t parent)
{
	static const char *const binds[] = { "/usr", NULL };
	struct sandbox_limits l;
	const char *what, *skipped;
	char tmpdir[4200];
	char *argv[] = { "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE",
	    "-dNOPROMPT", "-sDEVICE=pdfwrite", "-dAutoRotatePages=/None",
	    "-dEPSCrop", "-sOutputFile=" GS_OUT, "-", NULL };
	char *envp[] = { tmpdir, "LC_ALL=C", NULL };

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	/* gs reports errors on stdout: both go to the supervisor */
	if ((infd = fcntl(infd, F_DUPFD, 3)) == -1 ||
	    (errfd = fcntl(errfd, F_DUPFD, 3)) == -1 ||
	    dup2(infd, 0) == -1 || dup2(errfd, 1) == -1 || dup2(errfd, 2) == -1)
		_exit(GS_ESETUP);
	closefrom(3);
	l.cpu = o->cpu;
	l.mem_mb = o->mem_mb;
	/* the PDF gs writes counts against the input's size limit */
	l.fsize_mb = (o->max_bytes + (1L << 20) - 1) >> 20;
	l.nofile = 32;
	if (sandbox_enter_exec(&l, uid, gid, dir, binds, &what,
	    &skipped) == -1) {
		dprintf(2, "sandbox: %s: %s\n", what, strerror(errno));
		_exit(GS_ESETUP);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(GS_ESETUP);
	/*
	 * gs's scratch files: a directory of their own (made by the
	 * supervisor: the filter refuses mkdir), since -dSAFER lets gs read
	 * and write anything below TMPDIR (so not the root)
	 */
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s/tmp", skipped == NULL ?
	    "" : dir);
	execve(GS_PATH, argv, envp);
	dprintf(2, "exec %s: %s\n", GS_PATH, strerror(errno));
	_exit(GS_ESETUP);
}

/*
 * The line of gs's messages that says what went wrong, or the first.
 * The document can print what it likes there: anything but printable
 * ASCII becomes '?', so that the reason stays one plain line.
 */
static void
gs_line(const char *msg, char *line, size_t sz)
{
	const char *p = strstr(msg, "Error: ");
	size_t i;

	if (p == NULL)
		p = msg + strspn(msg, "\n ");
	for (i = 0; i + 1 < sz && i < 200 && p[i] != '\0' && p[i] != '\n';
	    i++)
		line[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	line[i] = '\0';
}

int
gs_status(const struct convert_opts *o, int st, const char *msg,
    char *reason, size_t sz)
{
	char line[208];
	int sig;

	gs_line(msg, line, sizeof(line));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return CONVERT_OK;
	if (WIFEXITED(st) && WEXITSTATUS(st) == GS_ESETUP) {
		snprintf(reason, sz, "Ghostscript: %s", line);
		return CONVERT_EINTERNAL;
	}
	if (WIFEXITED(st)) {
		if (strstr(msg, "VMerror") != NULL) {
			snprintf(reason, sz, "PostScript: out of memory "
			    "(limit %ld MB)", o->mem_mb);
			return CONVERT_ELIMIT;
		}
		if (line[0] == '\0')
			snprintf(line, sizeof(line), "Ghostscript exited "
			    "with status %d", WEXITSTATUS(st));
		snprintf(reason, sz, "PostScript: %s", line);
		return CONVERT_ECORRUPT;
	}
	sig = WTERMSIG(st);
	if (sig == SIGXCPU) {
		snprintf(reason, sz, "CPU limit of %ld s reached", o->cpu);
		return CONVERT_ETIMEOUT;
	}
	if (sig == SIGXFSZ) {
		snprintf(reason, sz, "PostScript: its PDF is over the "
		    "size limit of %ld bytes", o->max_bytes);
		return CONVERT_ELIMIT;
	}
	snprintf(reason, sz, "Ghostscript killed by signal %d (%s)", sig,
	    strsignal(sig));
	return CONVERT_ECRASH;
}
