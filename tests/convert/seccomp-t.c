/*
 * seccomp-t: what a worker can still do once sandbox_enter has run.
 * Each probe runs in a child of its own that enters the sandbox as the
 * worker does and then makes one call.  The calls a compromised worker
 * would use to reach the network, other processes or the kernel must
 * fail with EPERM, io_uring among them (its ring can open and connect
 * sockets without socket(2), which matters where the kernel refuses
 * the network namespace); on x86-64 an x32 call kills it.  Reading,
 * writing, mapping memory and abort() must still work.
 *
 * The exec mode (sandbox_enter_exec, for Ghostscript) is tried with
 * programs it execs: python3 reports what the calls return from inside.
 * execve works there, and file calls in its own directory; calls off
 * its allow list fail, after the exec too, and the file system is /usr
 * read-only and the private directory.
 */
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "tap.h"

#define NOBODY	65534

static int pipefd[2];

static int
denied(long r)
{
	return r == -1 && errno == EPERM;
}

static int
p_socket(void)
{
	return denied(socket(AF_INET, SOCK_STREAM, 0));
}

static int
p_socketpair(void)
{
	int sv[2];

	return denied(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
}

static int
p_io_uring(void)
{
	unsigned char params[120];	/* struct io_uring_params */

	memset(params, 0, sizeof(params));
	return denied(syscall(SYS_io_uring_setup, 4, params));
}

static int
p_execve(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	/* EPERM, not ENOENT: the filter answers before the path is looked up */
	return denied(execve("/bin/true", argv, envp));
}

static int
p_clone(void)
{
	return denied(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
}

static int
p_kill_parent(void)
{
	return denied(kill(getppid(), 0));
}

static int
p_ptrace(void)
{
	return denied(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}

static int
p_unshare(void)
{
	return denied(unshare(CLONE_NEWNS));
}

#ifdef __x86_64__
static int
p_x32(void)
{
	syscall(0x40000000 | SYS_getpid);
	return 0;	/* should not get here */
}
#define X32_CHECKS	1
#else
#define X32_CHECKS	0	/* no x32 calls to refuse */
#endif

static int
p_write(void)
{
	return write(pipefd[1], "x", 1) == 1;
}

static int
p_mmap(void)
{
	void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p != MAP_FAILED && memset(p, 1, 1 << 20) == p &&
	    munmap(p, 1 << 20) == 0;
}

static int
p_abort(void)
{
	abort();
}

/*
 * Runs probe in a sandboxed child; returns its wait status, or -1 if the
 * sandbox could not be entered.
 */
static int
in_sandbox(int (*probe)(void))
{
	struct sandbox_limits l = { 10, 0, 1, 16 };
	const char *what, *skipped;
	char dir[256];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/sb.XXXXXX", test_tmpdir());
	if (mkdtemp(dir) == NULL || (getuid() == 0 &&
	    chown(dir, NOBODY, NOBODY) == -1))
		bail("private directory %s: %s", dir, strerror(errno));
	if ((pid = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (pid == 0) {
		if (sandbox_enter(&l, NOBODY, NOBODY, dir, &what,
		    &skipped) == -1)
			_exit(100);
		_exit(probe() ? 0 : 1);
	}
	if (waitpid(pid, &st, 0) != pid)
		bail("waitpid: %s", strerror(errno));
	rmdir(dir);
	return WIFEXITED(st) && WEXITSTATUS(st) == 100 ? -1 : st;
}

/*
 * Execs python3 -c code in the exec sandbox as a worker's child would;
 * its exit status, or -1 if the sandbox could not be entered.
 */
static int
in_exec_sandbox(const char *code)
{
	static const char *const binds[] = { "/usr", NULL };
	struct sandbox_limits l = { 10, 512, 1, 16 };
	const char *what, *skipped;
	char *argv[] = { "python3", "-S", "-c", (char *)code, NULL };
	char *envp[] = { NULL };
	char dir[256];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/sbx.XXXXXX", test_tmpdir());
	if (mkdtemp(dir) == NULL || (getuid() == 0 &&
	    chown(dir, NOBODY, NOBODY) == -1))
		bail("private directory %s: %s", dir, strerror(errno));
	if ((pid = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (pid == 0) {
		if (sandbox_enter_exec(&l, NOBODY, NOBODY, dir, binds, &what,
		    &skipped) == -1 || skipped != NULL)
			_exit(100);
		execve("/usr/bin/python3", argv, envp);
		_exit(101);
	}
	if (waitpid(pid, &st, 0) != pid)
		bail("waitpid: %s", strerror(errno));
	if (sandbox_rmdir(dir) == -1)
		bail("rm %s: %s", dir, strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 100)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* python: exit 0 if the statement raises OSError with errno E */
#define PY_ERRNO(stmt, e) "import errno, os, socket, sys\n" \
	"try:\n  " stmt "\nexcept OSError as x:\n" \
	"  sys.exit(0 if x.errno == errno." e " else 1)\nsys.exit(2)\n"

static void
want_exec(const char *code, const char *what)
{
	int r = in_exec_sandbox(code);

	ok(r == 0, "exec mode: %s", what);
	if (r != 0)
		diag("exit %d", r);
}

static void
exec_checks(void)
{
	want_exec("import sys; sys.exit(0)", "execve(2) of a program works");
	want_exec(PY_ERRNO("socket.socket()", "EPERM"),
	    "after the exec, socket(2): EPERM");
	want_exec(PY_ERRNO("os.fork()", "EPERM"),
	    "after the exec, fork (clone): EPERM");
	/* python execs python, which tries to fork: the filter is inherited */
	want_exec("import os\n"
	    "os.execv('/usr/bin/python3', ['python3', '-S', '-c', "
	    "'import os, sys\\ntry:\\n  os.fork()\\nexcept OSError as x:\\n"
	    "  sys.exit(0 if x.errno == 1 else 1)\\nsys.exit(2)'])\n",
	    "a program it execs cannot fork either");
	/* the root is the program's own directory: only the filter says no */
	want_exec(PY_ERRNO("os.mkdir('/d')", "EPERM"),
	    "mkdir(2), not on the allow list: EPERM");
	want_exec(PY_ERRNO("import fcntl, termios\n"
	    "  fcntl.ioctl(1, termios.FIONREAD, b'0000')", "EPERM"),
	    "ioctl(2), not on the allow list: EPERM");
	want_exec("import sys\n"
	    "open('/f', 'w').write('x'); sys.exit(0 if open('/f').read() == 'x' "
	    "else 1)", "files in its own directory: written and read back");
	want_exec(PY_ERRNO("open('/etc/passwd')", "ENOENT"),
	    "/etc/passwd is not there (chroot)");
	want_exec(PY_ERRNO("open('/usr/x', 'w')", "EROFS"),
	    "/usr is read-only");
	want_exec("import os, sys\n"
	    "sys.exit(0 if sorted(os.listdir('/')) == "
	    "['bin', 'lib', 'lib64', 'usr'] else 1)",
	    "the root holds /usr and its links, nothing else");
	want_exec("import os, sys\n"
	    "sys.exit(0 if os.getuid() != 0 and os.geteuid() != 0 else 1)",
	    "the program does not run as root");
	/* PR_GET_NO_NEW_PRIVS is 39 (no /proc to read it from) */
	want_exec("import ctypes, sys\n"
	    "sys.exit(0 if ctypes.CDLL(None).prctl(39, 0, 0, 0, 0) == 1 "
	    "else 1)\n", "no_new_privs holds across the exec");
}

static void
want_exit0(int (*probe)(void), const char *what)
{
	int st = in_sandbox(probe);

	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", what);
}

static void
want_signal(int (*probe)(void), int sig, const char *what)
{
	int st = in_sandbox(probe);

	ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s", what);
}

int
main(void)
{
	char c = 0;

	plan(12 + X32_CHECKS + 12);
	if (pipe(pipefd) == -1)
		bail("pipe");
	want_exit0(p_socket, "socket(2): EPERM");
	want_exit0(p_socketpair, "socketpair(2): EPERM");
	want_exit0(p_io_uring, "io_uring_setup(2): EPERM");
	want_exit0(p_execve, "execve(2): EPERM");
	want_exit0(p_clone, "clone(2): EPERM");
	want_exit0(p_kill_parent, "kill(2) of another process: EPERM");
	want_exit0(p_ptrace, "ptrace(2): EPERM");
	want_exit0(p_unshare, "unshare(2): EPERM");
#ifdef __x86_64__
	want_signal(p_x32, SIGSYS, "an x32 call kills the worker (SIGSYS)");
#endif
	want_exit0(p_write, "write(2) to a descriptor it holds works");
	ok(read(pipefd[0], &c, 1) == 1 && c == 'x', "and the byte arrives");
	want_exit0(p_mmap, "mmap(2) of memory works");
	want_signal(p_abort, SIGABRT, "abort(3) still ends it with SIGABRT");
	exec_checks();
	return 0;
}
