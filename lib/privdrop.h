/*
 * privdrop: leave root for good.  Order: look up the user, initgroups
 * (plus an optional extra group such as dialout), setresgid, optional
 * chroot and chdir("/"), setresuid last; then verify that root cannot be
 * regained.
 */
#ifndef RAMPART_PRIVDROP_H
#define RAMPART_PRIVDROP_H

#include <sys/types.h>

/*
 * If running as root: drop to user (and extra_group if not NULL), chroot
 * to root_dir if not NULL.  If not root: nothing to drop; returns 0 unless
 * the current user is root.  Returns -1 with errno on failure; a process
 * that is still root afterwards is a failure (EPERM).
 */
int	privdrop(const char *user, const char *extra_group, const char *root_dir);

/*
 * The same for a user already looked up, with no supplementary groups:
 * for a sandboxed child that must not touch the name service.
 */
int	privdrop_ids(uid_t uid, gid_t gid, const char *root_dir);

/* 1 if the real, effective or saved uid is 0 */
int	privdrop_is_root(void);

#endif
