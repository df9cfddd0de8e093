/*
 * spool_layout: the spool's directory tree, its owners and modes, made by
 * spool_init() and verified by spool_check() at every program's start-up.
 * The table here is the one rampart-spool(5) documents.
 */
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "spool.h"

enum owner { OWN_DAEMON, OWN_SMTP };

struct layout {
	const char	*path;
	mode_t		 mode;
	enum owner	 owner;
};

/*
 * incoming/new is group-writable: queued (group rampart) takes messages
 * out of it by rename.  Everything else belongs to the rampart user and
 * is readable by group rampart (faxstat); tmp/ directories are private.
 */
static const struct layout layout[] = {
	{ "incoming",		0750, OWN_SMTP },
	{ "incoming/tmp",	0700, OWN_SMTP },
	{ "incoming/new",	0770, OWN_SMTP },
	{ "incoming/cur",	0700, OWN_DAEMON },
	{ "incoming/bad",	0700, OWN_DAEMON },
	{ "msgs",		0700, OWN_DAEMON },
	{ "jobs",		0750, OWN_DAEMON },
	{ "done",		0750, OWN_DAEMON },
	{ "results",		0750, OWN_DAEMON },
	{ "results/tmp",	0700, OWN_DAEMON },
	{ "results/new",	0700, OWN_DAEMON },
	{ "results/cur",	0700, OWN_DAEMON },
	{ "recv",		0750, OWN_DAEMON },
	{ "recv/tmp",		0700, OWN_DAEMON },
	{ "recv/new",		0700, OWN_DAEMON },
	{ "recv/cur",		0700, OWN_DAEMON },
	{ "notify",		0750, OWN_DAEMON },
	{ "notify/tmp",		0700, OWN_DAEMON },
	{ "notify/new",		0700, OWN_DAEMON },
	{ "notify/cur",		0700, OWN_DAEMON },
	{ "notify/bad",		0700, OWN_DAEMON },
	{ "sent",		0750, OWN_DAEMON },
	{ "ctl",		0750, OWN_DAEMON },
	{ "ctl/tmp",		0700, OWN_DAEMON },
	{ "ctl/new",		0700, OWN_DAEMON },
	{ "ctl/cur",		0700, OWN_DAEMON },
	{ "status",		0750, OWN_DAEMON },
	{ "log",		0750, OWN_DAEMON },
	{ NULL,			0, OWN_DAEMON }
};

static uid_t
owner_uid(const struct spool_owners *own, enum owner o)
{
	return o == OWN_SMTP ? own->smtp_uid : own->daemon_uid;
}

static int
make_dir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		return -1;
	if (chmod(path, mode) == -1)	/* mkdir's mode is cut by umask */
		return -1;
	if (geteuid() == 0 && chown(path, uid, gid) == -1)
		return -1;
	return 0;
}

int
spool_init(const char *dir, const struct spool_owners *own)
{
	const struct layout *l;
	char path[PATH_MAX];

	if (make_dir(dir, 0755, own->daemon_uid, own->daemon_gid) == -1)
		return -1;
	for (l = layout; l->path != NULL; l++) {
		if (path_fmt(path, sizeof(path), "%s/%s", dir, l->path) == -1)
			return -1;
		if (make_dir(path, l->mode, owner_uid(own, l->owner),
		    own->daemon_gid) == -1)
			return -1;
	}
	return 0;
}

static void
report(char *err, size_t errsz, int *bad, const char *fmt, ...)
{
	size_t len = strnlen(err, errsz);
	va_list ap;

	(*bad)++;
	if (len + 2 >= errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err + len, errsz - len - 1, fmt, ap);
	va_end(ap);
	len = strnlen(err, errsz);
	err[len] = '\n';
	err[len + 1] = '\0';
}

/* every mismatch is reported, not just the first (cf. OpenSMTPD ckdir) */
int
spool_check(const char *dir, const struct spool_owners *own, char *err,
    size_t errsz)
{
	const struct layout *l;
	char path[PATH_MAX];
	struct stat st;
	uid_t uid;
	int bad = 0;

	if (errsz > 0)
		err[0] = '\0';
	for (l = layout; l->path != NULL; l++) {
		if (path_fmt(path, sizeof(path), "%s/%s", dir, l->path) == -1) {
			report(err, errsz, &bad, "%s: path too long", dir);
			break;
		}
		if (lstat(path, &st) == -1) {
			report(err, errsz, &bad, "%s: %s", path, strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			report(err, errsz, &bad, "%s: not a directory", path);
			continue;
		}
		if ((st.st_mode & 07777) != l->mode)
			report(err, errsz, &bad, "%s: mode %04o, want %04o",
			    path, st.st_mode & 07777, l->mode);
		uid = owner_uid(own, l->owner);
		if (uid != (uid_t)-1 && st.st_uid != uid)
			report(err, errsz, &bad, "%s: owner uid %u, want %u",
			    path, (unsigned)st.st_uid, (unsigned)uid);
		if (own->daemon_gid != (gid_t)-1 && st.st_gid != own->daemon_gid)
			report(err, errsz, &bad, "%s: group gid %u, want %u",
			    path, (unsigned)st.st_gid,
			    (unsigned)own->daemon_gid);
	}
	return bad ? -1 : 0;
}

int
spool_owners_get(struct spool_owners *own, const char *user,
    const char *smtp_user)
{
	struct passwd *pw;

	own->daemon_uid = own->smtp_uid = (uid_t)-1;
	own->daemon_gid = (gid_t)-1;
	if (geteuid() != 0)
		return 0;	/* not root: everything is the current user's */
	errno = 0;
	if ((pw = getpwnam(smtp_user)) == NULL)
		goto fail;
	own->smtp_uid = pw->pw_uid;
	if ((pw = getpwnam(user)) == NULL)
		goto fail;
	own->daemon_uid = pw->pw_uid;
	own->daemon_gid = pw->pw_gid;
	return 0;
fail:
	if (errno == 0)
		errno = ENOENT;
	return -1;
}
