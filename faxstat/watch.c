/*
 * watch: -w, the calls in flight.  inotify on status/ (faxgetty replaces
 * status/DEV by rename at every phase) and jobs/ wakes a redraw; a timer
 * of one second catches a faxgetty that died.  On a terminal the screen
 * is redrawn in place with a progress bar per call (no curses: home, clear,
 * print); otherwise one line is printed per change of a modem.  It ends
 * when the calls it saw have ended, or on q, ^C or the end of input.
 */
#include <sys/inotify.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "faxstat.h"
#include "path.h"
#include "spool.h"

static volatile sig_atomic_t quit;
static struct termios saved_tio;
static int tio_saved;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void
restore_tty(void)
{
	if (tio_saved)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	tio_saved = 0;
}

static int
in_call(const struct modem *m)
{
	return !m->stale && fs_in_call(m);
}

static size_t
count_jobs(struct fs *fs)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int fd;

	fd = openat(spool_dirfd(fs->sp), "jobs", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* "[#####.....]" for page n of m: the pages before n are done */
static void
bar(char *buf, size_t sz, long long page, long long pages)
{
	size_t w = sz - 3, i, done;

	if (pages <= 0 || page <= 0) {
		buf[0] = '\0';
		return;
	}
	if (page > pages + 1)
		page = pages + 1;
	done = (size_t)((page - 1) * (long long)w / pages);
	buf[0] = '[';
	for (i = 0; i < w; i++)
		buf[1 + i] = i < done ? '#' : '.';
	buf[1 + w] = ']';
	buf[2 + w] = '\0';
}

/* one modem's state as the line mode prints it */
static void
summary(const struct modem *m, char *buf, size_t sz)
{
	char b[32];

	if (m->stale) {
		(void)snprintf(buf, sz, "down (%s)", m->stale == STALE_GONE ?
		    "faxgetty gone" : "stuck");
		return;
	}
	bar(b, sizeof(b), m->page, m->pages);
	(void)snprintf(buf, sz, "%s%s%s%s%s", m->state,
	    m->id ? " job " : "", m->id ? m->id : "",
	    m->number ? " number " : "", m->number ? m->number : "");
	if (m->page >= 0) {
		size_t l = strlen(buf);

		if (m->pages > 0)
			(void)snprintf(buf + l, sz - l, " page %lld/%lld %s",
			    m->page > m->pages ? m->pages : m->page, m->pages,
			    b);
		else
			(void)snprintf(buf + l, sz - l, " page %lld",
			    m->page);
	}
	if (m->rate > 0) {
		size_t l = strlen(buf);

		(void)snprintf(buf + l, sz - l, " %lld bit/s%s", m->rate,
		    m->ecm > 0 ? " ECM" : "");
	}
	if (m->remote != NULL && strcmp(m->remote, "-") != 0) {
		size_t l = strlen(buf);

		(void)snprintf(buf + l, sz - l, " remote %s", m->remote);
	}
}

struct last {
	char	dev[64];
	char	sum[600];
};

/* the terminal: home, clear, the table, a progress line per call */
static void
draw_tty(struct fs *fs, const struct modem *m, size_t nm, int in_tty)
{
	char t[32], b[44];
	size_t i;

	fmt_local(t, sizeof(t), fs->now, 1);
	printf("\033[H\033[2Jfaxstat -w  %s  %zu jobs queued%s\n\n", t,
	    count_jobs(fs), in_tty ? "  (q quits)" : "");
	text_modems(fs, m, nm);
	for (i = 0; i < nm; i++) {
		if (!in_call(&m[i]) || m[i].page < 0)
			continue;
		bar(b, sizeof(b), m[i].page, m[i].pages);
		putchar('\n');
		col(fs, m[i].dev, 10, 0);
		printf(" %s%spage %lld", b, *b ? " " : "",
		    m[i].pages > 0 && m[i].page > m[i].pages ? m[i].pages :
		    m[i].page);
		if (m[i].pages > 0)
			printf(" of %lld", m[i].pages);
		if (m[i].rate > 0)
			printf(", %lld bit/s%s", m[i].rate,
			    m[i].ecm > 0 ? " ECM" : "");
		putchar('\n');
	}
	fflush(stdout);
}

/* not a terminal: a line (text or JSON) for each modem that changed */
static void
draw_lines(struct fs *fs, const struct modem *m, size_t nm,
    struct last **lastp, size_t *nlast)
{
	struct json_object *o;
	struct last *last = *lastp;
	char sum[600], t[32];
	size_t i, j;

	for (i = 0; i < nm; i++) {
		summary(&m[i], sum, sizeof(sum));
		for (j = 0; j < *nlast; j++)
			if (strcmp(last[j].dev, m[i].dev) == 0)
				break;
		if (j < *nlast && strcmp(last[j].sum, sum) == 0)
			continue;
		if (j == *nlast) {
			if ((last = reallocarray(last, *nlast + 1,
			    sizeof(*last))) == NULL) {
				perror("faxstat");
				exit(1);
			}
			*lastp = last;
			(*nlast)++;
			(void)str_copy(last[j].dev, m[i].dev,
			    sizeof(last[j].dev));
		}
		(void)str_copy(last[j].sum, sum, sizeof(last[j].sum));
		if (fs->json) {
			o = json_modem(&m[i]);
			json_object_object_add(o, "seen", json_time(fs->now));
			puts(json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
			continue;
		}
		fmt_local(t, sizeof(t), fs->now, 1);
		printf("%s ", t);
		put_disp(fs, m[i].dev);
		putchar(' ');
		put_disp(fs, sum);
		putchar('\n');
	}
}

/* inotify on status/ and jobs/: 0, or the exit status (reported) */
static int
watch_dirs(struct fs *fs, int *ino)
{
	char path[PATH_MAX];
	int e;

	if ((*ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1) {
		perror("faxstat: inotify");
		return 1;
	}
	(void)path_fmt(path, sizeof(path), "%s/status", spool_dir(fs->sp));
	if (inotify_add_watch(*ino, path, IN_MOVED_TO | IN_CLOSE_WRITE |
	    IN_DELETE | IN_DONT_FOLLOW | IN_ONLYDIR) == -1) {
		e = errno;
		fprintf(stderr, "faxstat: %s: %s\n", path, strerror(e));
		close(*ino);
		return e == EACCES ? FS_EXIT_NOPERM : FS_EXIT_NOINPUT;
	}
	(void)path_fmt(path, sizeof(path), "%s/jobs", spool_dir(fs->sp));
	(void)inotify_add_watch(*ino, path, IN_MOVED_TO | IN_MOVED_FROM |
	    IN_CREATE | IN_DELETE | IN_DONT_FOLLOW | IN_ONLYDIR);
	return 0;
}

/* keys without Enter and without echo, until restore_tty */
static void
raw_tty(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &saved_tio) == -1)
		return;
	tio = saved_tio;
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0) {
		tio_saved = 1;
		atexit(restore_tty);
	}
}

int
watch(struct fs *fs)
{
	struct last *last = NULL;
	struct pollfd pfd[2];
	struct sigaction sa;
	struct modem *m;
	size_t nlast = 0, nm, i;
	char evbuf[4096], c;
	int tty = isatty(STDOUT_FILENO) && !fs->json, in_tty, ino, rv;
	int seen = 0, calls, npfd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	if ((rv = watch_dirs(fs, &ino)) != 0)
		return rv;
	if ((in_tty = tty && isatty(STDIN_FILENO)))
		raw_tty();
	if (!tty)
		setvbuf(stdout, NULL, _IOLBF, 0);
	pfd[0].fd = ino;
	pfd[0].events = POLLIN;
	pfd[1].fd = STDIN_FILENO;
	pfd[1].events = POLLIN;
	npfd = in_tty ? 2 : 1;
	while (!quit) {
		fs->now = time(NULL);
		if (fs_load_modems(fs, &m, &nm) == -1) {
			perror("faxstat: status");
			break;
		}
		for (calls = 0, i = 0; i < nm; i++)
			calls += in_call(&m[i]);
		if (tty)
			draw_tty(fs, m, nm, in_tty);
		else
			draw_lines(fs, m, nm, &last, &nlast);
		fs_free_modems(m, nm);
		if (calls > 0)
			seen = 1;
		else if (seen)
			break;		/* the calls it watched have ended */
		if (poll(pfd, npfd, 1000) == -1 && errno != EINTR) {
			perror("faxstat: poll");
			break;
		}
		if (pfd[0].revents & POLLIN)
			while (read(ino, evbuf, sizeof(evbuf)) > 0)
				;	/* any change: redraw all */
		if (npfd == 2 && (pfd[1].revents & (POLLIN | POLLHUP)) &&
		    (read(STDIN_FILENO, &c, 1) != 1 || c == 'q' || c == 'Q'))
			break;
	}
	restore_tty();
	free(last);
	close(ino);
	return fs->status;
}
