/*
 * timeit: runs a command ROUNDS times and prints the best wall time in
 * seconds and that run's peak RSS in kB ("0.0123 4567").  The clock runs
 * from just before fork to the moment wait4 returns, so a run costs what
 * starting and finishing the command costs and no more: timing from a
 * shell with date(1) and time(1) added their processes to every run,
 * 11.5 ms on this project's VM (/bin/true: 13.8 ms there, 2.3 ms
 * here).  -r FILE is removed before each run.  The
 * command's standard output is discarded; a run that fails ends timeit
 * with status 1.
 *   usage: timeit ROUNDS [-r FILE] command [args...]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	const char *rm = NULL;
	double best = -1, t0, t;
	long rss = 0, rounds;
	struct rusage ru;
	int i = 2, st;
	pid_t pid;

	if (argc < 3 || (rounds = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: timeit ROUNDS [-r FILE] cmd [args]\n");
		return 2;
	}
	if (strcmp(argv[i], "-r") == 0 && argc > 4) {
		rm = argv[i + 1];
		i += 2;
	}
	while (rounds-- > 0) {
		if (rm != NULL)
			unlink(rm);
		t0 = now();
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			/* stdout is timeit's; the command's goes nowhere */
			if (!freopen("/dev/null", "w", stdout))
				_exit(127);
			execvp(argv[i], argv + i);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) != pid)
			return 1;
		t = now() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "timeit: %s failed\n", argv[i]);
			return 1;
		}
		if (best < 0 || t < best) {
			best = t;
			rss = ru.ru_maxrss;
		}
	}
	printf("%.4f %ld\n", best, rss);
	return 0;
}
