/*
 * spool: the only code that writes files into the rampart spool.
 *
 * Every write is durable before it is reported: create in a tmp/ with
 * O_CREAT|O_EXCL|O_NOFOLLOW mode 0600, write all (short writes and EINTR
 * retried), fsync, check close, rename into place, fsync the directory.
 * Existing files are opened only if they are regular, not symlinks, have
 * one link, and fstat matches lstat.  Names are checked before they are
 * joined into paths: no '/', no leading '.', no "..".
 *
 * Areas with a maildir hand-off ("incoming", "results", "recv", "notify")
 * have tmp/ (producer writes), new/ (producer publishes by rename) and
 * cur/ (consumer takes by rename).  See rampart-spool(5).
 */
#ifndef RAMPART_SPOOL_H
#define RAMPART_SPOOL_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct spool;
struct spool_file;

/* who owns what; uid/gid (uid_t)-1 means "the current user" */
struct spool_owners {
	uid_t	daemon_uid;	/* rampart: queued, faxgetty, notifyd */
	gid_t	daemon_gid;
	uid_t	smtp_uid;	/* rampart-smtp: writes incoming/ */
};

/*
 * As root: the uids of user and smtp_user and user's primary group (ENOENT
 * if one is missing).  Otherwise all (uid_t)-1: the current user owns all.
 */
int	spool_owners_get(struct spool_owners *own, const char *user,
	    const char *smtp_user);

/* Creates the layout under dir (mkdir -p), with modes and, as root, owners. */
int	spool_init(const char *dir, const struct spool_owners *own);

/*
 * Checks every directory of the layout for existence, owner and mode;
 * reports every mismatch (one per line in err).  Returns 0 or -1.
 */
int	spool_check(const char *dir, const struct spool_owners *own,
	    char *err, size_t errsz);

struct spool *spool_open(const char *dir);	/* NULL with errno */
void	spool_close(struct spool *sp);
const char *spool_dir(const struct spool *sp);
int	spool_dirfd(const struct spool *sp);

/* 1 if name is safe to join into a path (see above) */
int	spool_name_ok(const char *name);

/* Durable one-shot: area/tmp/name, then published as area/new/name. */
int	spool_put(struct spool *sp, const char *area, const char *name,
	    const void *buf, size_t len);

/* Streaming writes, for messages too large to hold in memory. */
struct spool_file *spool_create(struct spool *sp, const char *area,
	    const char *name);
int	spool_write(struct spool_file *f, const void *buf, size_t len);
off_t	spool_file_size(const struct spool_file *f);
int	spool_file_fd(const struct spool_file *f);
/* fsync, close, rename area/tmp/name -> area/new/name, fsync; frees f */
int	spool_commit(struct spool_file *f);
/* close and unlink the tmp file; frees f; keeps errno */
void	spool_abort(struct spool_file *f);

/*
 * Durably replaces dir/name (dir relative to the spool) with buf: a
 * temporary ".name.tmp" in the same directory, fsync, rename, fsync dir.
 * Used for job files, status/DEV and files inside a tmp/ entry.
 */
int	spool_replace(struct spool *sp, const char *dir, const char *name,
	    const void *buf, size_t len);

/*
 * The same, the file synced but not the directory: for writing many files
 * into one directory and syncing it once with spool_sync() before anything
 * relies on them (notifyd's group commit of sent/ records).
 */
int	spool_replace_nosync(struct spool *sp, const char *dir,
	    const char *name, const void *buf, size_t len);
int	spool_sync(struct spool *sp, const char *dir);

/* mkdir dir (relative) with mode, fsync its parent; EEXIST is an error */
int	spool_mkdir(struct spool *sp, const char *dir, mode_t mode);

/* area/tmp/name -> area/new/name (file or directory), fsync both dirs */
int	spool_publish(struct spool *sp, const char *area, const char *name);

/* consumer: area/new/name -> area/cur/name, fsync both dirs */
int	spool_take(struct spool *sp, const char *area, const char *name);

/*
 * The same two without syncing the directories, for a consumer whose own
 * records make a lost rename or unlink harmless: after a crash it finds
 * the entry in new/ again, or finds it in cur/ with its record written
 * and removes it again (notifyd: two directory fsyncs fewer per mail).
 * The rename is still atomic and never replaces.
 */
int	spool_take_lazy(struct spool *sp, const char *area, const char *name);
int	spool_unlink_lazy(struct spool *sp, const char *path);

/* any rename inside the spool (jobs/ID -> done/ID), fsync both parents */
int	spool_move(struct spool *sp, const char *from, const char *to);

/* removes a file, or a directory and the files in it (one level) */
int	spool_remove(struct spool *sp, const char *path);

/*
 * Opens an existing file (relative path) read-only, refusing symlinks,
 * hard links, non-regular files and a file swapped under us.  Returns an
 * fd or -1 with errno (ELOOP, EMLINK, EISDIR, ...).
 */
int	spool_open_read(struct spool *sp, const char *path);

/* reads a whole file (as above) into a NUL-terminated malloc'd buffer;
 * EFBIG if larger than max */
int	spool_read(struct spool *sp, const char *path, size_t max,
	    char **buf, size_t *len);

/*
 * Calls cb for each entry of dir (relative) not starting with '.', in
 * name order.  cb returns 0 to go on, -1 to stop with that error.
 */
int	spool_scan(struct spool *sp, const char *dir,
	    int (*cb)(const char *name, void *arg), void *arg);

/* removes entries of area/tmp older than max_age seconds; returns count */
int	spool_clean_tmp(struct spool *sp, const char *area, long max_age);

/*
 * Per-job (or per-anything) exclusive lock: opens or creates path (a
 * file, relative), takes flock(LOCK_EX|LOCK_NB).  Returns the fd that
 * holds the lock, or -1 (EWOULDBLOCK: someone else has it).  The lock
 * dies with the process, so a crash never leaves it stale.
 */
int	spool_lock(struct spool *sp, const char *path);
void	spool_unlock(int fd);

/* free bytes and inodes on the spool's file system for unprivileged users */
int	spool_free(struct spool *sp, uint64_t *bytes, uint64_t *inodes);

#endif
