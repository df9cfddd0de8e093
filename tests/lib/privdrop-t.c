/*
 * privdrop-t: as root, the drop is complete and verified; unknown users
 * fail; privdrop_ids leaves exactly the one group it was given.
 */
#include <sys/wait.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "privdrop.h"
#include "tap.h"

/* runs privdrop in a child; returns its exit status */
static int
drop_in_child(const char *user, const char *group)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == -1)
		bail("fork");
	if (pid == 0) {
		if (privdrop(user, group, NULL) == -1)
			_exit(10 + (errno == ENOENT));
		if (privdrop_is_root() || setuid(0) != -1)
			_exit(2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* privdrop_ids in a child: 0 if it ends as uid/gid with no other group */
static int
ids_in_child(uid_t uid, gid_t gid)
{
	gid_t groups[8];
	pid_t pid;
	int st, n;

	if ((pid = fork()) == -1)
		bail("fork");
	if (pid == 0) {
		if (privdrop_ids(uid, gid, NULL) == -1)
			_exit(10);
		n = getgroups(8, groups);
		if (getuid() != uid || geteuid() != uid || getgid() != gid ||
		    n != 1 || groups[0] != gid)
			_exit(3);
		if (privdrop_is_root() || setuid(0) != -1)
			_exit(2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(void)
{
	struct passwd *pw;

	plan(6);
	if (!privdrop_is_root()) {
		/* CI runs as root; as a user the drop has nothing to do */
		uid_t uid = getuid();
		is_int(0, privdrop("nobody", NULL, NULL), "not root: nothing to drop");
		is_int(uid, getuid(), "not root: uid unchanged");
		is_int(0, privdrop("no-such-user-rampart", NULL, NULL),
		    "not root: the user is not even looked up");
		ok(!privdrop_is_root(), "not root: still not root");
		is_int(0, privdrop_ids(0, 0, NULL), "not root: privdrop_ids has nothing to do");
		ok(!privdrop_is_root(), "not root: still not root after privdrop_ids");
		return 0;
	}
	is_int(0, drop_in_child("nobody", NULL), "drop to nobody leaves no way back to root");
	is_int(0, drop_in_child("nobody", "dialout"), "drop with an extra group");
	is_int(11, drop_in_child("no-such-user-rampart", NULL), "an unknown user fails with ENOENT");
	is_int(10, drop_in_child("root", NULL), "dropping to root is refused");
	if ((pw = getpwnam("nobody")) == NULL)
		bail("no user nobody");
	/* root's own groups (0 and more) must not survive */
	is_int(0, ids_in_child(pw->pw_uid, pw->pw_gid),
	    "privdrop_ids: nobody's uid and gid, no other group, no way back");
	is_int(10, ids_in_child(0, 0), "privdrop_ids to uid 0 is refused");
	return 0;
}
