/*
 * sandbox: the worker's confinement, applied in a fixed order: limits,
 * network namespace, privilege drop (with chroot into the private
 * directory when root), no_new_privs, then the seccomp filter last,
 * because the earlier steps need the calls the filter denies.  This file
 * never reads a document; it must not leave any step half done.
 */
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <ftw.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "privdrop.h"
#include "sandbox.h"

static int
set_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl;

	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	return setrlimit(res, &rl);
}

/*
 * AddressSanitizer maps terabytes of shadow memory at start-up, so under
 * it an address-space limit would kill every worker; such builds rely on
 * the MuPDF allocator cap alone.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SB_NO_AS	1
#else
#define SB_NO_AS	0
#endif

/* as: the address-space limit applies even under ASan (an exec'd program) */
static int
apply_limits(const struct sandbox_limits *l, int as, const char **what)
{
	*what = "rlimit CPU";
	if (l->cpu > 0 && set_limit(RLIMIT_CPU, l->cpu, l->cpu + 1) == -1)
		return -1;
	*what = "rlimit AS";
	if ((as || !SB_NO_AS) && l->mem_mb > 0 && set_limit(RLIMIT_AS,
	    (rlim_t)l->mem_mb << 20, (rlim_t)l->mem_mb << 20) == -1)
		return -1;
	*what = "rlimit FSIZE";
	if (set_limit(RLIMIT_FSIZE, (rlim_t)l->fsize_mb << 20,
	    (rlim_t)l->fsize_mb << 20) == -1)
		return -1;
	*what = "rlimit NOFILE";
	if (set_limit(RLIMIT_NOFILE, l->nofile, l->nofile) == -1)
		return -1;
	*what = "rlimit CORE";
	if (set_limit(RLIMIT_CORE, 0, 0) == -1)
		return -1;
	return 0;
}

#if defined(__x86_64__)
#define SB_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SB_ARCH	AUDIT_ARCH_AARCH64
#endif

#define SB_DENY(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

/*
 * The start of both filters: this architecture's calls only; kill and
 * tgkill only at the worker itself (the kernel reads the pid argument as a
 * 32-bit int), so that abort() still works.
 */
#define SB_HEAD(self) \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, arch)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SB_ARCH, 1, 0), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, nr)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kill, 2, 0), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 1, 0), \
	BPF_STMT(BPF_JMP | BPF_JA, 4), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, args[0])), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (self), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
/* x32 calls reuse numbers with a high bit: they kill */
#define SB_X32 \
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)

#ifdef SB_ARCH
/*
 * A deny list, not an allow list: MuPDF, libtiff and glibc use calls we
 * cannot enumerate with confidence, while everything a compromised worker
 * needs to reach beyond its descriptors (network, io_uring, exec, other
 * processes, the kernel) is on this list; tests/convert/seccomp-t tries
 * them.  kill and tgkill may target only the worker itself, so that
 * abort() still ends it with SIGABRT.
 */
static int
install_filter(void)
{
	uint32_t self = (uint32_t)getpid();
	struct sock_filter f[] = {
		SB_HEAD(self),
#ifdef __x86_64__
		SB_X32,
		SB_DENY(__NR_fork), SB_DENY(__NR_vfork),
#endif
		SB_DENY(__NR_socket), SB_DENY(__NR_socketpair),
		SB_DENY(__NR_connect), SB_DENY(__NR_bind),
		SB_DENY(__NR_listen), SB_DENY(__NR_accept4),
		SB_DENY(__NR_execve), SB_DENY(__NR_execveat),
		SB_DENY(__NR_clone), SB_DENY(__NR_clone3),
		SB_DENY(__NR_ptrace), SB_DENY(__NR_tkill),
		SB_DENY(__NR_ioctl), SB_DENY(__NR_mount),
		SB_DENY(__NR_umount2), SB_DENY(__NR_pivot_root),
		SB_DENY(__NR_chroot), SB_DENY(__NR_unshare),
		SB_DENY(__NR_setns), SB_DENY(__NR_keyctl),
		SB_DENY(__NR_add_key), SB_DENY(__NR_request_key),
		SB_DENY(__NR_bpf), SB_DENY(__NR_perf_event_open),
		SB_DENY(__NR_userfaultfd), SB_DENY(__NR_process_vm_readv),
		SB_DENY(__NR_process_vm_writev), SB_DENY(__NR_init_module),
		SB_DENY(__NR_finit_module), SB_DENY(__NR_reboot),
		SB_DENY(__NR_setuid), SB_DENY(__NR_setgid),
		SB_DENY(__NR_setresuid), SB_DENY(__NR_pidfd_open),
		SB_DENY(__NR_pidfd_send_signal), SB_DENY(__NR_rt_sigqueueinfo),
		SB_DENY(__NR_rt_tgsigqueueinfo),
		/* a ring can open and connect sockets without socket(2) */
		SB_DENY(__NR_io_uring_setup), SB_DENY(__NR_io_uring_enter),
		SB_DENY(__NR_io_uring_register),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

#define SB_ALLOW(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/*
 * The exec mode's filter, an allow list: what Ghostscript was seen to
 * call (strace of gs rendering manuals of hundreds of pages, EPS and
 * hostile programs: read, write, lseek, openat, fstat, getdents64,
 * unlink of its scratch files, memory, futex, rseq, getrandom, prctl,
 * prlimit64, execve for itself), plus the calls of the same kind glibc
 * and ld.so may make on other paths (signals to itself, clocks, the
 * x86-64 names of the same file calls).  Everything else fails with
 * EPERM: sockets, fork and clone, ioctl, mkdir, mount, namespaces and
 * the rest; execve stays allowed, so a program may become another one
 * that inherits this filter and can do no more.
 */
static int
install_allow_filter(void)
{
	uint32_t self = (uint32_t)getpid();
	struct sock_filter f[] = {
		SB_HEAD(self),
#ifdef __x86_64__
		SB_X32,
		SB_ALLOW(__NR_open), SB_ALLOW(__NR_stat), SB_ALLOW(__NR_lstat),
		SB_ALLOW(__NR_access), SB_ALLOW(__NR_readlink),
		SB_ALLOW(__NR_unlink), SB_ALLOW(__NR_rename),
		SB_ALLOW(__NR_dup2), SB_ALLOW(__NR_arch_prctl),
		SB_ALLOW(__NR_getrlimit), SB_ALLOW(__NR_time),
#endif
		/* files, through descriptors it holds or opens */
		SB_ALLOW(__NR_read), SB_ALLOW(__NR_write),
		SB_ALLOW(__NR_readv), SB_ALLOW(__NR_writev),
		SB_ALLOW(__NR_pread64), SB_ALLOW(__NR_pwrite64),
		SB_ALLOW(__NR_lseek), SB_ALLOW(__NR_close),
		SB_ALLOW(__NR_openat), SB_ALLOW(__NR_newfstatat),
		SB_ALLOW(__NR_fstat), SB_ALLOW(__NR_statx),
		SB_ALLOW(__NR_faccessat), SB_ALLOW(__NR_faccessat2),
		SB_ALLOW(__NR_readlinkat), SB_ALLOW(__NR_getdents64),
		SB_ALLOW(__NR_fcntl), SB_ALLOW(__NR_dup), SB_ALLOW(__NR_dup3),
		SB_ALLOW(__NR_unlinkat), SB_ALLOW(__NR_renameat),
		SB_ALLOW(__NR_renameat2), SB_ALLOW(__NR_ftruncate),
		SB_ALLOW(__NR_fsync), SB_ALLOW(__NR_fdatasync),
		SB_ALLOW(__NR_umask), SB_ALLOW(__NR_getcwd),
		/* memory */
		SB_ALLOW(__NR_brk), SB_ALLOW(__NR_mmap), SB_ALLOW(__NR_munmap),
		SB_ALLOW(__NR_mremap), SB_ALLOW(__NR_mprotect),
		SB_ALLOW(__NR_madvise),
		/* the process itself: signals, threads' bookkeeping, limits */
		SB_ALLOW(__NR_rt_sigaction), SB_ALLOW(__NR_rt_sigprocmask),
		SB_ALLOW(__NR_rt_sigreturn), SB_ALLOW(__NR_sigaltstack),
		SB_ALLOW(__NR_futex), SB_ALLOW(__NR_set_tid_address),
		SB_ALLOW(__NR_set_robust_list), SB_ALLOW(__NR_rseq),
		SB_ALLOW(__NR_prctl), SB_ALLOW(__NR_prlimit64),
		SB_ALLOW(__NR_getrandom), SB_ALLOW(__NR_clock_gettime),
		SB_ALLOW(__NR_clock_getres), SB_ALLOW(__NR_gettimeofday),
		SB_ALLOW(__NR_nanosleep), SB_ALLOW(__NR_clock_nanosleep),
		SB_ALLOW(__NR_sched_yield), SB_ALLOW(__NR_sched_getaffinity),
		SB_ALLOW(__NR_uname), SB_ALLOW(__NR_sysinfo),
		SB_ALLOW(__NR_getpid), SB_ALLOW(__NR_gettid),
		SB_ALLOW(__NR_getppid), SB_ALLOW(__NR_getuid),
		SB_ALLOW(__NR_geteuid), SB_ALLOW(__NR_getgid),
		SB_ALLOW(__NR_getegid), SB_ALLOW(__NR_getresuid),
		SB_ALLOW(__NR_getresgid),
		SB_ALLOW(__NR_execve), SB_ALLOW(__NR_exit),
		SB_ALLOW(__NR_exit_group),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
#else
static int
install_filter(void)
{
	errno = ENOSYS;
	return -1;
}

static int
install_allow_filter(void)
{
	errno = ENOSYS;
	return -1;
}
#endif

static int
leave_network(int root)
{
	if (root)
		return unshare(CLONE_NEWNET | CLONE_NEWIPC);
	/* an unprivileged user may own a user namespace with its own net */
	return unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC);
}

/*
 * Inside its own user namespace an ordinary user may chroot too; then it
 * gives up the namespace's capabilities, which no uid maps to anyway.
 */
static int
userns_chroot(const char *dir)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[2];

	memset(none, 0, sizeof(none));
	if (chroot(dir) == -1 || chdir("/") == -1)
		return -1;
	return (int)syscall(SYS_capset, &hdr, none);
}

int
sandbox_enter(const struct sandbox_limits *l, uid_t uid, gid_t gid,
    const char *dir, const char **what, const char **skipped)
{
	int root = privdrop_is_root(), userns = 0;

	if (skipped != NULL)
		*skipped = NULL;
	if (apply_limits(l, 0, what) == -1)
		return -1;
	if (leave_network(root) == 0)
		userns = !root;
	else if (skipped != NULL)
		*skipped = root ? "network namespace" :
		    "user namespace (no chroot, no network isolation)";
	*what = "privdrop";
	if (root && privdrop_ids(uid, gid, dir) == -1)
		return -1;
	*what = "chroot";
	if (userns && userns_chroot(dir) == -1)
		return -1;
	*what = "chdir";
	if (!root && !userns && chdir(dir) == -1)
		return -1;
	*what = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	*what = "seccomp";
	if (install_filter() == -1)
		return -1;
	*what = NULL;
	return 0;
}

/*
 * The exec mode's view of the file system, built in the new mount
 * namespace before the chroot: each of binds (absolute, one level such as
 * "/usr") mounted read-only, nosuid and nodev on a directory of the same
 * name in dir, and the merged-/usr links (lib, lib64, bin) beside it, so
 * that a program and its libraries are found and nothing else of the
 * host is there: no /etc, /home, /tmp, /proc, /dev or spool.
 */
static int
bind_view(const char *dir, const char *const *binds, const char **what)
{
	static const char *const links[][2] = {
		{ "usr/lib", "lib" }, { "usr/lib64", "lib64" },
		{ "usr/bin", "bin" },
	};
	char to[4096];
	size_t i;

	*what = "mount namespace";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	for (; *binds != NULL; binds++) {
		*what = *binds;
		if (**binds != '/' || strchr(*binds + 1, '/') != NULL ||
		    snprintf(to, sizeof(to), "%s%s", dir, *binds) >=
		    (int)sizeof(to)) {
			errno = EINVAL;
			return -1;
		}
		if ((mkdir(to, 0755) == -1 && errno != EEXIST) ||
		    mount(*binds, to, NULL, MS_BIND | MS_REC, NULL) == -1 ||
		    mount(NULL, to, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY |
		    MS_NOSUID | MS_NODEV, NULL) == -1)
			return -1;
	}
	*what = "links";
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (snprintf(to, sizeof(to), "%s/%s", dir, links[i][1]) >=
		    (int)sizeof(to) || (symlink(links[i][0], to) == -1 &&
		    errno != EEXIST))
			return -1;
	}
	return 0;
}

static int
leave_all(int root)
{
	int ns = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS;

	return unshare(root ? ns : ns | CLONE_NEWUSER);
}

int
sandbox_enter_exec(const struct sandbox_limits *l, uid_t uid, gid_t gid,
    const char *dir, const char *const *binds, const char **what,
    const char **skipped)
{
	int root = privdrop_is_root(), chrooted = 0;

	if (skipped != NULL)
		*skipped = NULL;
	if (apply_limits(l, 1, what) == -1)
		return -1;
	*what = "namespaces";
	if (leave_all(root) == 0) {
		if (bind_view(dir, binds, what) == -1)
			return -1;
		chrooted = 1;
	} else if (root)
		return -1;	/* root can always: something is wrong */
	else if (skipped != NULL)
		*skipped = "user namespace (no chroot, no network isolation)";
	*what = "privdrop";
	if (root && privdrop_ids(uid, gid, dir) == -1)
		return -1;
	*what = "chroot";
	if (!root && chrooted && userns_chroot(dir) == -1)
		return -1;
	*what = "chdir";
	if (!chrooted && chdir(dir) == -1)
		return -1;
	*what = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	*what = "seccomp";
	if (install_allow_filter() == -1)
		return -1;
	*what = NULL;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* the directory is most often empty: one rmdir, no walk */
int
sandbox_rmdir(const char *dir)
{
	if (rmdir(dir) == 0)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return -1;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the supervisor's side: a deadline for a worker ---- */

long
sandbox_ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * Reads fd until EOF, keeping the first sz - 1 bytes in buf and draining
 * the rest; 0, or -1 at the deadline or on a signal.
 */
int
sandbox_collect(int fd, char *buf, size_t sz, const struct timespec *deadline,
    const volatile sig_atomic_t *stop)
{
	struct pollfd pfd;
	char drain[512];
	size_t len = 0;
	ssize_t n;
	long left;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if ((stop != NULL && *stop) || (left = sandbox_ms_left(deadline)) <= 0)
			return -1;
		if (poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left) <= 0)
			continue;
		if (len < sz - 1)
			n = read(fd, buf + len, sz - 1 - len);
		else
			n = read(fd, drain, sizeof(drain));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < sz - 1)
			len += n;
	}
	buf[len] = '\0';
	return 0;
}

int
sandbox_reap(pid_t pid, const struct timespec *deadline, int *status,
    const volatile sig_atomic_t *stop)
{
	struct pollfd pfd;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), ret = -1;
	long left;
	pid_t p;

	for (;;) {
		p = waitpid(pid, status, WNOHANG);
		if (p == pid) {
			ret = 0;
			break;
		}
		if ((p == -1 && errno != EINTR) || (stop != NULL && *stop) ||
		    (left = sandbox_ms_left(deadline)) <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (fd == -1 || poll(&pfd, 1, left > 1000 ? 1000 : (int)left) == -1)
			usleep(2000);
	}
	if (fd != -1)
		close(fd);
	return ret;
}
