/* privdrop-t: as root, the drop is complete and verified; unknown users fail */
#include <sys/wait.h>
#include <errno.h>
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

int
main(void)
{
	plan(4);
	if (!privdrop_is_root()) {
		/* CI runs as root; as a user the drop has nothing to do */
		uid_t uid = getuid();
		is_int(0, privdrop("nobody", NULL, NULL), "not root: nothing to drop");
		is_int(uid, getuid(), "not root: uid unchanged");
		is_int(0, privdrop("no-such-user-rampart", NULL, NULL),
		    "not root: the user is not even looked up");
		ok(!privdrop_is_root(), "not root: still not root");
		return 0;
	}
	is_int(0, drop_in_child("nobody", NULL), "drop to nobody leaves no way back to root");
	is_int(0, drop_in_child("nobody", "dialout"), "drop with an extra group");
	is_int(11, drop_in_child("no-such-user-rampart", NULL), "an unknown user fails with ENOENT");
	is_int(10, drop_in_child("root", NULL), "dropping to root is refused");
	return 0;
}
