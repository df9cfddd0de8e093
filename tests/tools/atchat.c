/*
 * atchat: a scripted AT client for modem tests.
 * Usage: atchat [-t secs] DEVICE STEP...
 *   send:TEXT      write TEXT and a CR
 *   expect:TEXT    read lines until one equals TEXT (others are shown)
 *   expect~TEXT    read lines until one starts with TEXT
 *   dtmf:DIGITS    read until <DLE>digit pairs spell DIGITS
 *   sleep:MS       wait
 * Every line read is printed as "< line".  Exit 0 when every step is
 * done, 1 on a timeout (per step) or a read error, 64 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DLE	0x10

static int	fd;
static int	timeout_ms = 10000;

/* one byte, or -1 after the step's deadline */
static int
get(long long deadline)
{
	struct pollfd p;
	struct timespec ts;
	unsigned char c;
	long long now;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
		if (now >= deadline)
			return -1;
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		if (read(fd, &c, 1) == 1)
			return c;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
}

static long long
deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + timeout_ms;
}

static int
expect(const char *want, int prefix)
{
	char line[512];
	size_t n = 0;
	long long end = deadline();
	int c;

	while ((c = get(end)) != -1) {
		if (c != '\r' && c != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = (char)c;
			continue;
		}
		if (n == 0)
			continue;
		line[n] = '\0';
		n = 0;
		printf("< %s\n", line);
		if (prefix ? strncmp(line, want, strlen(want)) == 0 :
		    strcmp(line, want) == 0)
			return 0;
	}
	printf("# timeout waiting for '%s'\n", want);
	return -1;
}

static int
dtmf(const char *want)
{
	char got[64];
	size_t n = 0;
	long long end = deadline();
	int c, dle = 0;

	while (n < strlen(want) && n < sizeof(got) - 1 &&
	    (c = get(end)) != -1) {
		if (dle) {
			got[n++] = (char)c;
			dle = 0;
		} else if (c == DLE)
			dle = 1;
	}
	got[n] = '\0';
	printf("< dtmf %s\n", got);
	return strcmp(got, want) == 0 ? 0 : -1;
}

static int
step(const char *s)
{
	char buf[512];
	int n;

	if (strncmp(s, "send:", 5) == 0) {
		n = snprintf(buf, sizeof(buf), "%s\r", s + 5);
		printf("> %s\n", s + 5);
		return write(fd, buf, (size_t)n) == n ? 0 : -1;
	}
	if (strncmp(s, "expect:", 7) == 0)
		return expect(s + 7, 0);
	if (strncmp(s, "expect~", 7) == 0)
		return expect(s + 7, 1);
	if (strncmp(s, "dtmf:", 5) == 0)
		return dtmf(s + 5);
	if (strncmp(s, "sleep:", 6) == 0)
		return usleep((useconds_t)atoi(s + 6) * 1000);
	fprintf(stderr, "atchat: bad step %s\n", s);
	exit(64);
}

int
main(int argc, char *argv[])
{
	struct termios t;
	int ch, i;

	while ((ch = getopt(argc, argv, "+t:")) != -1) {
		if (ch != 't')
			goto usage;
		timeout_ms = atoi(optarg) * 1000;
	}
	if (argc - optind < 2)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((fd = open(argv[optind], O_RDWR | O_NOCTTY | O_NONBLOCK)) == -1) {
		perror(argv[optind]);
		return 1;
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	for (i = optind + 1; i < argc; i++)
		if (step(argv[i]) == -1) {
			printf("# step failed: %s\n", argv[i]);
			return 1;
		}
	return 0;
usage:
	fprintf(stderr, "usage: atchat [-t secs] device step...\n");
	return 64;
}
