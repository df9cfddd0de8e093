/*
 * modems: status/DEV, the one line faxgetty replaces at every phase of a
 * call, read into struct modem; a line whose pid is not a running
 * faxgetty, or a call that has stood longer than a call can last, is
 * stale and shown as down.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faxstat.h"
#include "path.h"
#include "spool.h"
#include "status.h"

#define TMAX	253402300799LL	/* 9999-12-31T23:59:59Z */

/* the number field of m named key, or NULL */
static long long *
status_num(struct modem *m, const char *key)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} nums[] = {
		{ "pid", offsetof(struct modem, pid) },
		{ "time", offsetof(struct modem, time) },
		{ "page", offsetof(struct modem, page) },
		{ "pages", offsetof(struct modem, pages) },
		{ "rate", offsetof(struct modem, rate) },
		{ "ecm", offsetof(struct modem, ecm) },
	};
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (strcmp(key, nums[i].key) == 0)
			return (long long *)((char *)m + nums[i].off);
	return NULL;
}

/*
 * status/DEV: "key=value" words.  The line must be printable ASCII (the
 * remote's id is escaped by faxgetty); keys other than these are ignored.
 */
int
fs_parse_status(struct modem *m)
{
	char *p, *w, *eq, *end;
	long long v, *np;

	for (p = m->line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return -1;
	m->state = m->id = m->number = m->remote = m->retry = m->rings = NULL;
	m->pid = m->time = m->page = m->pages = m->rate = -1;
	m->ecm = -1;
	for (p = m->line; (w = strsep(&p, " ")) != NULL;) {
		if (*w == '\0')
			continue;
		if ((eq = strchr(w, '=')) == NULL)
			return -1;
		*eq++ = '\0';
		if (strcmp(w, "state") == 0)
			m->state = eq;
		else if (strcmp(w, "id") == 0)
			m->id = eq;
		else if (strcmp(w, "number") == 0)
			m->number = eq;
		else if (strcmp(w, "remote") == 0)
			m->remote = eq;
		else if (strcmp(w, "retry") == 0)
			m->retry = eq;
		else if (strcmp(w, "rings") == 0)
			m->rings = eq;
		else if ((np = status_num(m, w)) != NULL) {
			errno = 0;
			v = strtoll(eq, &end, 10);
			if (errno != 0 || end == eq || *end != '\0' || v < 0 ||
			    v > TMAX)
				return -1;
			*np = v;
		}
	}
	if (m->state == NULL || m->pid <= 0 || m->pid > 0x7fffffff ||
	    m->time < 0)
		return -1;
	return 0;
}

/* 1 if the state is one of a call's (whatever the pid) */
int
fs_in_call(const struct modem *m)
{
	static const char *const calls[] = {
		"ringing", "answering", "receiving", "dialing", "sending", NULL
	};
	int i;

	for (i = 0; calls[i] != NULL; i++)
		if (strcmp(m->state, calls[i]) == 0)
			return 1;
	return 0;
}

/* 1 if pid is not a running faxgetty */
static int
pid_gone(long long pid)
{
	char path[64], comm[32];
	ssize_t n;
	int fd;

	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return 1;
	/* a pid used again by another program */
	(void)snprintf(path, sizeof(path), "/proc/%lld/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;	/* kill found it; /proc may hide it (hidepid) */
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	comm[n] = '\0';
	return strncmp(comm, "faxgetty", 8) != 0;
}

static int
cmp_modem(const void *a, const void *b)
{
	return strcmp(((const struct modem *)a)->dev,
	    ((const struct modem *)b)->dev);
}

void
fs_free_modems(struct modem *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].line);
	free(m);
}

int
fs_load_modems(struct fs *fs, struct modem **mp, size_t *np)
{
	char path[PATH_MAX], line[STATUS_MAX];
	struct dirent *de;
	struct modem *m = NULL, *g;
	size_t n = 0, cap = 0;
	DIR *d;
	int dfd;

	*mp = NULL;
	*np = 0;
	dfd = openat(spool_dirfd(fs->sp), "status", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (dfd == -1 || (d = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;	/* faxgetty's temporary .DEV.tmp */
		(void)path_fmt(path, sizeof(path), "status/%s", de->d_name);
		if (strlen(de->d_name) >= sizeof(m->dev)) {
			fs_skip(fs, path, "name too long");
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((g = reallocarray(m, cap, sizeof(*m))) == NULL) {
				closedir(d);
				fs_free_modems(m, n);
				return -1;
			}
			m = g;
		}
		memset(&m[n], 0, sizeof(m[n]));
		(void)str_copy(m[n].dev, de->d_name, sizeof(m[n].dev));
		if (status_read(fs->sp, de->d_name, line, sizeof(line)) == -1) {
			if (errno != ENOENT)
				fs_skip(fs, path, fs_open_error(errno));
			continue;
		}
		if ((m[n].line = strdup(line)) == NULL) {
			closedir(d);
			fs_free_modems(m, n);
			return -1;
		}
		if (fs_parse_status(&m[n]) == -1) {
			fs_skip(fs, path, "corrupt: not a status line");
			free(m[n].line);
			continue;
		}
		if (pid_gone(m[n].pid))
			m[n].stale = STALE_GONE;
		else if (fs_in_call(&m[n]) && fs->now - m[n].time >
		    fs->call_limit)
			m[n].stale = STALE_STUCK;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(m, n, sizeof(*m), cmp_modem);
	*mp = m;
	*np = n;
	return 0;
}
