/*
 * privdrop: leaves root for good, in the one safe order (groups and gid
 * first, then chroot, then uid), and proves it cannot come back.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <unistd.h>

#include "privdrop.h"

int
privdrop_is_root(void)
{
	uid_t r, e, s;

	if (getresuid(&r, &e, &s) == -1)
		return 1;
	return r == 0 || e == 0 || s == 0;
}

/* the groups are set; the gid, the root and the uid, then the proof */
static int
drop_ids(uid_t uid, gid_t gid, const char *root_dir)
{
	if (setresgid(gid, gid, gid) == -1)
		return -1;
	if (root_dir != NULL && (chroot(root_dir) == -1 || chdir("/") == -1))
		return -1;
	if (setresuid(uid, uid, uid) == -1)
		return -1;
	/* verify: neither uid 0 nor the old gid may be regained */
	if (setuid(0) != -1 || privdrop_is_root()) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
privdrop(const char *user, const char *extra_group, const char *root_dir)
{
	struct passwd *pw;
	struct group *gr;
	gid_t gid;

	if (!privdrop_is_root())
		return 0;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno == 0)
			errno = ENOENT;
		return -1;
	}
	if (pw->pw_uid == 0) {
		errno = EPERM;		/* "dropping" to root is no drop */
		return -1;
	}
	gid = pw->pw_gid;
	if (initgroups(pw->pw_name, gid) == -1)
		return -1;
	if (extra_group != NULL && *extra_group != '\0') {
		gid_t groups[NGROUPS_MAX + 1];
		int n;

		if ((gr = getgrnam(extra_group)) == NULL) {
			errno = ENOENT;
			return -1;
		}
		if ((n = getgroups(NGROUPS_MAX, groups)) == -1)
			return -1;
		groups[n++] = gr->gr_gid;
		if (setgroups(n, groups) == -1)
			return -1;
	}
	return drop_ids(pw->pw_uid, gid, root_dir);
}

int
privdrop_ids(uid_t uid, gid_t gid, const char *root_dir)
{
	if (!privdrop_is_root())
		return 0;
	if (uid == 0) {
		errno = EPERM;
		return -1;
	}
	if (setgroups(1, &gid) == -1)
		return -1;
	return drop_ids(uid, gid, root_dir);
}
