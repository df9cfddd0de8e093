/*
 * spool: durable writes and hand-offs in the rampart spool (see spool.h
 * and rampart-spool(5)).  All paths are relative to the spool's directory
 * descriptor and checked before use.  Nothing is reported written until
 * the data and the directory entry that names it are on disk.  Never
 * logs; errors go back as -1 and errno.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "path.h"
#include "spool.h"

#define FILE_MODE	0640	/* group rampart reads (faxstat, queued) */

struct spool {
	int	fd;
	char	dir[PATH_MAX];
};

struct spool_file {
	struct spool	*sp;
	int		 fd;
	off_t		 size;
	char		 area[64];
	char		 name[NAME_MAX + 1];
};

int
spool_name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && name[0] != '.' &&
	    strchr(name, '/') == NULL && strlen(name) <= NAME_MAX;
}

/* a relative path of spool_name_ok() components (internal ".x.tmp" ok) */
static int
path_ok(const char *path, int allow_dot_last)
{
	const char *p = path, *slash;
	size_t len;

	if (*p == '\0' || *p == '/')
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || len > NAME_MAX)
			return 0;
		if (p[0] == '.' && (slash != NULL || !allow_dot_last ||
		    len <= 2))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

static int
checked(const char *path)
{
	if (!path_ok(path, 0)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* "dir/<a>name", "dir/<b>name" after checking both parts; EINVAL if bad */
static int
two_paths(const char *dir, const char *name, const char *a, const char *b,
    char from[PATH_MAX], char to[PATH_MAX])
{
	if (checked(dir) == -1 || !spool_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	if (path_fmt(from, PATH_MAX, "%s/%s%s", dir, a, name) == -1 ||
	    path_fmt(to, PATH_MAX, "%s/%s%s", dir, b, name) == -1)
		return -1;
	return 0;
}

/* fsync a directory given relative to the spool ("" is the spool itself) */
static int
sync_dir(struct spool *sp, const char *dir)
{
	int fd, r;

	fd = openat(sp->fd, *dir ? dir : ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	r = fsync(fd);
	if (close(fd) == -1)
		r = -1;
	return r;
}

/* fsync the directory that holds path */
static int
sync_parent(struct spool *sp, const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (str_copy(dir, path, sizeof(dir)) == -1)
		return -1;
	if ((slash = strrchr(dir, '/')) == NULL)
		return sync_dir(sp, "");
	*slash = '\0';
	return sync_dir(sp, dir);
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* rename that never replaces, then both directories synced */
static int
move_durably(struct spool *sp, const char *from, const char *to)
{
	int saved;

	if (renameat2(sp->fd, from, sp->fd, to, RENAME_NOREPLACE) == -1)
		return -1;
	if (sync_parent(sp, to) == -1 || sync_parent(sp, from) == -1) {
		/* not known durable: take it back so nobody acts on it */
		saved = errno;
		renameat2(sp->fd, to, sp->fd, from, RENAME_NOREPLACE);
		errno = saved;
		return -1;
	}
	return 0;
}

struct spool *
spool_open(const char *dir)
{
	struct spool *sp;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return NULL;
	if (str_copy(sp->dir, dir, sizeof(sp->dir)) == -1)
		goto fail;
	sp->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sp->fd == -1)
		goto fail;
	return sp;
fail:
	free(sp);
	return NULL;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	close(sp->fd);
	free(sp);
}

const char *
spool_dir(const struct spool *sp)
{
	return sp->dir;
}

int
spool_dirfd(const struct spool *sp)
{
	return sp->fd;
}

struct spool_file *
spool_create(struct spool *sp, const char *area, const char *name)
{
	struct spool_file *f;
	char path[PATH_MAX];

	if (checked(area) == -1 || !spool_name_ok(name)) {
		errno = EINVAL;
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->sp = sp;
	f->fd = -1;
	if (str_copy(f->area, area, sizeof(f->area)) == -1 ||
	    str_copy(f->name, name, sizeof(f->name)) == -1 ||
	    path_fmt(path, sizeof(path), "%s/tmp/%s", area, name) == -1)
		goto fail;
	f->fd = openat(sp->fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, FILE_MODE);
	if (f->fd == -1)
		goto fail;
	return f;
fail:
	free(f);
	return NULL;
}

int
spool_write(struct spool_file *f, const void *buf, size_t len)
{
	if (write_all(f->fd, buf, len) == -1)
		return -1;
	f->size += len;
	return 0;
}

off_t
spool_file_size(const struct spool_file *f)
{
	return f->size;
}

int
spool_file_fd(const struct spool_file *f)
{
	return f->fd;
}

int
spool_commit(struct spool_file *f)
{
	int fd = f->fd;

	f->fd = -1;
	if (fsync(fd) == -1) {
		close(fd);
		goto fail;
	}
	if (close(fd) == -1)
		goto fail;
	if (spool_publish(f->sp, f->area, f->name) == -1)
		goto fail;
	free(f);
	return 0;
fail:
	spool_abort(f);
	return -1;
}

void
spool_abort(struct spool_file *f)
{
	char path[PATH_MAX];
	int saved = errno;

	if (f == NULL)
		return;
	if (f->fd != -1)
		close(f->fd);
	if (path_fmt(path, sizeof(path), "%s/tmp/%s", f->area, f->name) == 0)
		unlinkat(f->sp->fd, path, 0);
	free(f);
	errno = saved;
}

int
spool_put(struct spool *sp, const char *area, const char *name,
    const void *buf, size_t len)
{
	struct spool_file *f;

	if ((f = spool_create(sp, area, name)) == NULL)
		return -1;
	if (spool_write(f, buf, len) == -1) {
		spool_abort(f);
		return -1;
	}
	return spool_commit(f);
}

static int
replace(struct spool *sp, const char *dir, const char *name,
    const void *buf, size_t len, int syncdir)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	int fd;

	if (two_paths(dir, name, "", "", dst, dst) == -1 ||
	    path_fmt(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) == -1)
		return -1;
	if (unlinkat(sp->fd, tmp, 0) == -1 && errno != ENOENT)
		return -1;	/* a stale one from a crash goes first */
	fd = openat(sp->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, FILE_MODE);
	if (fd == -1)
		return -1;
	if (write_all(fd, buf, len) == -1 || fsync(fd) == -1) {
		close(fd);
		goto fail;
	}
	if (close(fd) == -1)
		goto fail;
	if (renameat2(sp->fd, tmp, sp->fd, dst, 0) == -1)
		goto fail;
	return syncdir ? sync_dir(sp, dir) : 0;
fail:
	{
		int saved = errno;
		unlinkat(sp->fd, tmp, 0);
		errno = saved;
	}
	return -1;
}

int
spool_replace(struct spool *sp, const char *dir, const char *name,
    const void *buf, size_t len)
{
	return replace(sp, dir, name, buf, len, 1);
}

int
spool_replace_nosync(struct spool *sp, const char *dir, const char *name,
    const void *buf, size_t len)
{
	return replace(sp, dir, name, buf, len, 0);
}

int
spool_sync(struct spool *sp, const char *dir)
{
	if (*dir != '\0' && checked(dir) == -1)
		return -1;
	return sync_dir(sp, dir);
}

int
spool_mkdir(struct spool *sp, const char *dir, mode_t mode)
{
	if (checked(dir) == -1)
		return -1;
	if (mkdirat(sp->fd, dir, mode) == -1)
		return -1;
	return sync_parent(sp, dir);
}

int
spool_publish(struct spool *sp, const char *area, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX];
	int fd;

	if (two_paths(area, name, "tmp/", "new/", from, to) == -1)
		return -1;
	/* a directory entry (recv/tmp/ID/) is synced before it is named */
	fd = openat(sp->fd, from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fsync(fd) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	return move_durably(sp, from, to);
}

int
spool_take(struct spool *sp, const char *area, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX];

	if (two_paths(area, name, "new/", "cur/", from, to) == -1)
		return -1;
	return move_durably(sp, from, to);
}

int
spool_take_lazy(struct spool *sp, const char *area, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX];

	if (two_paths(area, name, "new/", "cur/", from, to) == -1)
		return -1;
	return renameat2(sp->fd, from, sp->fd, to, RENAME_NOREPLACE);
}

int
spool_unlink_lazy(struct spool *sp, const char *path)
{
	if (checked(path) == -1)
		return -1;
	return unlinkat(sp->fd, path, 0);
}

int
spool_move(struct spool *sp, const char *from, const char *to)
{
	if (checked(from) == -1 || checked(to) == -1)
		return -1;
	return move_durably(sp, from, to);
}

int
spool_remove(struct spool *sp, const char *path)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (checked(path) == -1)
		return -1;
	if (unlinkat(sp->fd, path, 0) == 0)
		return sync_parent(sp, path);
	if (errno != EISDIR && errno != EPERM)
		return -1;
	fd = openat(sp->fd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (unlinkat(sp->fd, path, AT_REMOVEDIR) == -1)
		return -1;
	return sync_parent(sp, path);
}

int
spool_open_read(struct spool *sp, const char *path)
{
	struct stat fst, lst;
	int fd;

	if (checked(path) == -1)
		return -1;
	fd = openat(sp->fd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;	/* ELOOP for a symlink */
	if (fstat(fd, &fst) == -1 ||
	    fstatat(sp->fd, path, &lst, AT_SYMLINK_NOFOLLOW) == -1)
		goto fail;
	if (S_ISDIR(fst.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(fst.st_mode) || fst.st_dev != lst.st_dev ||
	    fst.st_ino != lst.st_ino) {
		errno = EINVAL;
		goto fail;
	}
	if (fst.st_nlink != 1) {
		errno = EMLINK;
		goto fail;
	}
	if (fcntl(fd, F_SETFL, 0) == -1)
		goto fail;
	return fd;
fail:
	{
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return -1;
}

int
spool_read(struct spool *sp, const char *path, size_t max, char **bufp,
    size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd, saved;

	if ((fd = spool_open_read(sp, path)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* shrank under us: take what is there */
		len += n;
	}
	if (n == -1)
		goto fail;
	buf[len] = '\0';
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
spool_scan(struct spool *sp, const char *dir,
    int (*cb)(const char *name, void *arg), void *arg)
{
	struct dirent *de;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, i;
	DIR *d;
	int fd, r = 0;

	if (checked(dir) == -1)
		return -1;
	fd = openat(sp->fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				goto fail;
			names = grown;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto fail;
		n++;
	}
	closedir(d);
	d = NULL;
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && r == 0; i++)
		r = cb(names[i], arg);
	goto out;
fail:
	r = -1;
out:
	{
		int saved = errno;
		if (d != NULL)
			closedir(d);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		errno = saved;
	}
	return r;
}

struct clean_arg {
	struct spool	*sp;
	const char	*area;
	time_t		 before;
	int		 count;
};

static int
clean_one(const char *name, void *arg)
{
	struct clean_arg *c = arg;
	char path[PATH_MAX];
	struct stat st;

	if (path_fmt(path, sizeof(path), "%s/tmp/%s", c->area, name) == -1)
		return 0;
	if (fstatat(c->sp->fd, path, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	if (st.st_mtime <= c->before && spool_remove(c->sp, path) == 0)
		c->count++;
	return 0;
}

int
spool_clean_tmp(struct spool *sp, const char *area, long max_age)
{
	struct clean_arg c = { sp, area, time(NULL) - max_age, 0 };
	char dir[PATH_MAX];

	if (path_fmt(dir, sizeof(dir), "%s/tmp", area) == -1)
		return -1;
	if (spool_scan(sp, dir, clean_one, &c) == -1)
		return -1;
	return c.count;
}

int
spool_lock(struct spool *sp, const char *path)
{
	int fd;

	if (!path_ok(path, 1)) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(sp->fd, path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    FILE_MODE);
	if (fd == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
spool_unlock(int fd)
{
	if (fd != -1)
		close(fd);	/* closing drops the flock */
}

int
spool_free(struct spool *sp, uint64_t *bytes, uint64_t *inodes)
{
	struct statvfs sv;

	if (fstatvfs(sp->fd, &sv) == -1)
		return -1;
	*bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
	*inodes = sv.f_favail;
	return 0;
}
