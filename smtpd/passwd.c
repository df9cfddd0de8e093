/*
 * passwd: `smtpd -a NAME`, which adds a device to the accounts file or
 * replaces its line.  The password comes from standard input (one line,
 * never an argument, so it stays out of ps and shell history) and is
 * stored only as a yescrypt hash.  The file is replaced atomically and
 * keeps its owner and mode (0600 when new).
 */
#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "smtpd.h"

#define PASS_MAX	256

static int
read_password(char *buf, size_t size)
{
	size_t n;

	if (fgets(buf, size, stdin) == NULL) {
		fprintf(stderr, "smtpd: no password on standard input\n");
		return -1;
	}
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == size - 1) {
		fprintf(stderr, "smtpd: password too long\n");
		return -1;
	}
	buf[n] = '\0';
	if (n == 0) {
		fprintf(stderr, "smtpd: empty password\n");
		return -1;
	}
	return 0;
}

static char *
hash_password(const char *pass)
{
	static struct crypt_data cd;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;
	char *out;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL &&
	    crypt_gensalt_rn("$6$", 0, NULL, 0, salt, sizeof(salt)) == NULL)
		return NULL;
	h = crypt_rn(pass, salt, &cd, sizeof(cd));
	out = h != NULL && h[0] != '*' ? strdup(h) : NULL;
	explicit_bzero(&cd, sizeof(cd));
	return out;
}

/* copies every line of old (if any) but name's into fp, then the new one */
static int
copy_others(const char *path, const char *name, FILE *out)
{
	char line[2048];
	size_t nl = strlen(name);
	FILE *in;

	if ((in = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), in) != NULL)
		if (strncmp(line, name, nl) != 0 || line[nl] != ':')
			fputs(line, out);
	fclose(in);
	return 0;
}

static int
write_file(const struct conf *c, const char *name, const char *entry)
{
	char tmp[PATH_MAX_SMTP + 16];
	struct stat st;
	FILE *out;
	int fd, have = stat(c->accounts_file, &st) == 0;

	if (path_fmt(tmp, sizeof(tmp), "%s.tmp", c->accounts_file) == -1)
		return -1;
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, have ? st.st_mode & 07777 : 0600)) == -1)
		return -1;
	if (have && (fchown(fd, st.st_uid, st.st_gid) == -1 ||
	    fchmod(fd, st.st_mode & 07777) == -1))
		goto fail_fd;
	if ((out = fdopen(fd, "w")) == NULL)
		goto fail_fd;
	if (copy_others(c->accounts_file, name, out) == -1 ||
	    fputs(entry, out) == EOF || fflush(out) == EOF ||
	    fsync(fd) == -1) {
		fclose(out);
		goto fail;
	}
	if (fclose(out) == EOF || rename(tmp, c->accounts_file) == -1)
		goto fail;
	return 0;
fail_fd:
	close(fd);
fail:
	unlink(tmp);
	return -1;
}

int
passwd_add(const struct conf *c, const char *name, const char *numbers,
    long max_rcpts, long per_hour)
{
	char pass[PASS_MAX], entry[2048], *hash;
	int n;

	if (strlen(name) == 0 || strlen(name) >= NAME_MAX_ACCT ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@+-") != strlen(name) ||
	    strspn(numbers, "+0123456789*, ") != strlen(numbers)) {
		fprintf(stderr, "smtpd: bad account name or number patterns\n");
		return -1;
	}
	if (read_password(pass, sizeof(pass)) == -1)
		return -1;
	hash = hash_password(pass);
	explicit_bzero(pass, sizeof(pass));
	if (hash == NULL) {
		fprintf(stderr, "smtpd: crypt failed\n");
		return -1;
	}
	n = snprintf(entry, sizeof(entry), "%s:%s:%s:%ld:%ld\n", name, hash,
	    numbers, max_rcpts, per_hour);
	free(hash);
	if (n < 0 || (size_t)n >= sizeof(entry) ||
	    write_file(c, name, entry) == -1) {
		fprintf(stderr, "smtpd: %s: %s\n", c->accounts_file,
		    strerror(errno));
		return -1;
	}
	printf("smtpd: account %s written to %s\n", name, c->accounts_file);
	return 0;
}
