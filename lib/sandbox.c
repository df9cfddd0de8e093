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

#include <errno.h>
#include <ftw.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

/* never a call number once the x32 range is refused: denies nothing */
#define SB_NEVER	0x7fffffffU

#define SB_DENY(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

#ifdef SB_ARCH
/*
 * A deny list, not an allow list: MuPDF, libtiff and glibc use calls we
 * cannot enumerate with confidence, while everything a compromised worker
 * needs to reach beyond its descriptors (network, io_uring, exec, other
 * processes, the kernel) is on this list; tests/convert/seccomp-t tries
 * them.  kill and tgkill may target only the worker itself, so that
 * abort() still ends it with SIGABRT.  With exec set, execve and
 * execveat are allowed and nothing else changes: fork and clone stay
 * denied, so the one process may become another program, which inherits
 * this filter, the limits, the namespaces and the root, and nothing more.
 */
static int
install_filter(int exec)
{
	uint32_t self = (uint32_t)getpid();
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SB_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kill, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 1, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 4),
		/* the kernel reads the pid argument as a 32-bit int */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
#ifdef __x86_64__
		/* x32 calls reuse numbers with a high bit: refuse them all */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		SB_DENY(__NR_fork), SB_DENY(__NR_vfork),
#endif
		SB_DENY(__NR_socket), SB_DENY(__NR_socketpair),
		SB_DENY(__NR_connect), SB_DENY(__NR_bind),
		SB_DENY(__NR_listen), SB_DENY(__NR_accept4),
		SB_DENY(exec ? SB_NEVER : __NR_execve),
		SB_DENY(exec ? SB_NEVER : __NR_execveat),
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
#else
static int
install_filter(int exec)
{
	(void)exec;
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
	if (install_filter(0) == -1)
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
	if (install_filter(1) == -1)
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
