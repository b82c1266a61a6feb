// SPDX-License-Identifier: GPL-2.0-only
/*
 * proctl - processes whose records the process-table tests check
 *
 *   proctl wait-connect GO PORT   wait for the file GO, then UDP connect() to
 *                                 127.0.0.1:PORT (a process that ran before
 *                                 the module was loaded)
 *   proctl fork-connect PORT      a forked child, which does not exec,
 *                                 connects; prints the child's pid
 *   proctl thread-connect PORT    a second thread connects
 *   proctl exit-connected PORT    UDP connect() and exit without close():
 *                                 the socket is closed by the exit
 *   proctl storm SECONDS PORT DIR for SECONDS: rename DIR/a to DIR/b and
 *                                 back, chdir in and out of it, connect()
 *                                 and close, and fork+exec "proctl noop"
 *                                 from inside it, each in its own process;
 *                                 prints "connects N execs N renames N"
 *   proctl noop                   exit 0
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "udp-connect.h"

#define SELF "/tests/proctl"

static void *thread_fn(void *arg)
{
	return (void *)(long)udp_connect(*(int *)arg);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs fn(i) in a loop in a child for @secs; counts in *@count (shared). */
static pid_t loop_child(void (*fn)(const char *dir, long i), const char *dir,
			double secs, long *count)
{
	pid_t pid = fork();
	double end = now() + secs;
	long i;

	if (pid)
		return pid;
	for (i = 0; now() < end; i++)
		fn(dir, i);
	*count = i;
	_exit(0);
}

static char path_a[256], path_b[256];
static int storm_port;

static void do_rename(const char *dir, long i)
{
	if (i & 1)
		rename(path_b, path_a);
	else
		rename(path_a, path_b);
}

static void do_chdir(const char *dir, long i)
{
	if (chdir(i & 1 ? path_b : path_a))
		chdir(i & 1 ? path_a : path_b);
	chdir(dir);
}

/*
 * At most about 2000 a second: enough beside the renames, and their
 * records (connect, close, and the process's exit) fit the test's ring.
 */
static void do_connect(const char *dir, long i)
{
	udp_connect(storm_port);
	usleep(500);
}

static void do_exec(const char *dir, long i)
{
	char *args[] = { SELF, "noop", NULL };
	pid_t pid;

	/* Renamed between the two tries: both can fail; try again. */
	while (chdir(path_a) && chdir(path_b))
		;
	pid = fork();
	if (!pid) {
		execv(SELF, args);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int storm(double secs, int port, const char *dir)
{
	long *counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[4];
	int i;

	if (counts == MAP_FAILED)
		return 1;
	storm_port = port;
	snprintf(path_a, sizeof(path_a), "%s/a", dir);
	snprintf(path_b, sizeof(path_b), "%s/b", dir);
	if (mkdir(path_a, 0755) && errno != EEXIST)
		return 1;
	pids[0] = loop_child(do_rename, dir, secs, &counts[0]);
	pids[1] = loop_child(do_chdir, dir, secs, &counts[1]);
	pids[2] = loop_child(do_connect, dir, secs, &counts[2]);
	pids[3] = loop_child(do_exec, dir, secs, &counts[3]);
	for (i = 0; i < 4; i++)
		waitpid(pids[i], NULL, 0);
	printf("connects %ld execs %ld renames %ld\n", counts[2], counts[3],
	       counts[0]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "noop"))
		return 0;
	if (!strcmp(cmd, "wait-connect") && argc == 4) {
		while (access(argv[2], F_OK))
			usleep(10000);
		return udp_connect(atoi(argv[3])) ? 1 : 0;
	}
	if (!strcmp(cmd, "fork-connect") && argc == 3) {
		int status;
		pid_t pid = fork();

		if (!pid)
			_exit(udp_connect(atoi(argv[2])) ? 1 : 0);
		printf("%d\n", pid);
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	if (!strcmp(cmd, "thread-connect") && argc == 3) {
		int port = atoi(argv[2]);
		pthread_t t;
		void *ret;

		if (pthread_create(&t, NULL, thread_fn, &port) ||
		    pthread_join(t, &ret))
			return 1;
		return ret ? 1 : 0;
	}
	if (!strcmp(cmd, "exit-connected") && argc == 3) {
		struct sockaddr_in sa = { .sin_family = AF_INET };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		sa.sin_port = htons(atoi(argv[2]));
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (!strcmp(cmd, "storm") && argc == 5)
		return storm(atof(argv[2]), atoi(argv[3]), argv[4]);
	fprintf(stderr, "proctl: bad usage\n");
	return 64;
}
