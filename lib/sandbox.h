/*
 * sandbox: confines a worker (convert's, queued's unpacker's) before it
 * reads untrusted data: rlimits, no network, a private directory, no
 * privileges, no exec.
 */
#ifndef RAMPART_SANDBOX_H
#define RAMPART_SANDBOX_H

#include <sys/types.h>

#include <signal.h>
#include <time.h>

struct sandbox_limits {
	long	cpu;		/* CPU seconds */
	long	mem_mb;		/* address space, 0: none (ASan builds) */
	long	fsize_mb;	/* largest file the worker may write */
	int	nofile;		/* highest descriptor number + 1 */
};

/*
 * In the forked worker: applies the limits, leaves the network (a new
 * network namespace, as root or through a user namespace), drops to uid
 * and gid with no other groups if root, chroots to dir (as root, or as
 * an ordinary user inside the user namespace; where that is refused it
 * only changes into dir), forbids new privileges and installs a seccomp
 * filter that denies sockets, io_uring, exec, fork, signals to others
 * and kernel-changing calls.  Returns 0 or -1 with errno; *what names
 * the step that failed.  A step that only adds depth (the namespace) is
 * skipped where the kernel refuses it; its absence is reported in
 * *skipped (may be NULL).
 */
int	sandbox_enter(const struct sandbox_limits *l, uid_t uid, gid_t gid,
	    const char *dir, const char **what, const char **skipped);

/*
 * The same for a process that then execs a helper program (Ghostscript):
 * also a new mount namespace in which binds (e.g. "/usr") are mounted
 * read-only into dir before the chroot, and a seccomp allow list (file
 * calls on descriptors, memory, the process itself, execve; all else
 * EPERM) instead of sandbox_enter's deny list.  As root, a
 * refused namespace is a failure; an ordinary user without a user
 * namespace gets no chroot, only a chdir into dir (*skipped says so).
 */
int	sandbox_enter_exec(const struct sandbox_limits *l, uid_t uid,
	    gid_t gid, const char *dir, const char *const *binds,
	    const char **what, const char **skipped);

/* Removes dir and everything below it; returns 0 or -1. */
int	sandbox_rmdir(const char *dir);

/* milliseconds until deadline (CLOCK_MONOTONIC); negative once past */
long	sandbox_ms_left(const struct timespec *deadline);

/*
 * Reads fd until EOF, keeping the first sz - 1 bytes in buf (then a NUL)
 * and draining the rest; 0, or -1 at the deadline or once *stop is set
 * (stop may be NULL).
 */
int	sandbox_collect(int fd, char *buf, size_t sz,
	    const struct timespec *deadline, const volatile sig_atomic_t *stop);

/*
 * Waits for pid to exit (a pidfd wakes the wait at once where the kernel
 * has them); 0 with *status, or -1 at the deadline or once *stop is set.
 * The caller kills and reaps a worker that outlived its deadline.
 */
int	sandbox_reap(pid_t pid, const struct timespec *deadline, int *status,
	    const volatile sig_atomic_t *stop);

#endif
