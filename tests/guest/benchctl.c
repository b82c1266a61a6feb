// SPDX-License-Identifier: GPL-2.0-only
/*
 * benchctl - the loops that the benchmark times, timed from inside
 *
 *   benchctl exec N    N times: fork, exec "benchctl noop", wait
 *   benchctl tcp N     N times: connect to a local listener, accept, close both
 *   benchctl udp N     N times: socket, bind, connect, close
 *   benchctl sendto N  N times: socket, one datagram to each of 8 destinations
 *                      (127.0.0.1 ports 9 to 16), close
 *   benchctl exec32k N N times: fork, exec "benchctl noop" with 32 KiB of
 *                      arguments, wait
 *   benchctl execfail N
 *                      N times: execve("/etc/passwd") with 60,000 empty
 *                      arguments, refused (EACCES): a failed exec's record
 *                      reads the caller's argument array
 *
 *   benchctl flood SECONDS PROCS UID
 *                      PROCS processes as UID run the udp loop for SECONDS
 *                      (a one-user flood of records); prints "ITERATIONS US"
 *   benchctl nice N CMD ARGS...
 *                      runs CMD at nice N (busybox here has no nice)
 *
 * Prints the elapsed time in microseconds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int loop_exec_args(int n, char **args)
{
	int i, st;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid) {
			execv(args[0], args);
			_exit(127);
		}
		waitpid(pid, &st, 0);
	}
	return 0;
}

static int loop_tcp(int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (void *)&a, sizeof(a)) || listen(s, 16) ||
	    getsockname(s, (void *)&a, &len))
		return 1;
	for (i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), x;

		if (c < 0 || connect(c, (void *)&a, sizeof(a)))
			return 1;
		x = accept(s, NULL, NULL);
		if (x < 0)
			return 1;
		close(c);
		close(x);
	}
	close(s);
	return 0;
}

static int loop_udp(int n)
{
	struct sockaddr_in l = { .sin_family = AF_INET };
	struct sockaddr_in r = { .sin_family = AF_INET, .sin_port = htons(9) };
	int i;

	l.sin_addr.s_addr = r.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		int u = socket(AF_INET, SOCK_DGRAM, 0);

		if (u < 0 || bind(u, (void *)&l, sizeof(l)) ||
		    connect(u, (void *)&r, sizeof(r)))
			return 1;
		close(u);
	}
	return 0;
}

static int loop_sendto(int n)
{
	struct sockaddr_in r = { .sin_family = AF_INET };
	int i, d;

	r.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		int u = socket(AF_INET, SOCK_DGRAM, 0);

		if (u < 0)
			return 1;
		for (d = 0; d < 8; d++) {
			r.sin_port = htons(9 + d);
			if (sendto(u, "x", 1, 0, (void *)&r, sizeof(r)) != 1)
				return 1;
		}
		close(u);
	}
	return 0;
}

/* PROCS children as UID, each running the udp loop until SECONDS passed. */
static int flood(int secs, int procs, int uid)
{
	int fds[2], i, st;
	long long t = now_us(), total = 0, one;

	if (pipe(fds))
		return 1;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid) {
			long long end = t + secs * 1000000LL, n = 0;

			if (setgid(uid) || setuid(uid))
				_exit(1);
			while (now_us() < end) {
				if (loop_udp(100))
					_exit(1);
				n += 100;
			}
			if (write(fds[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	while (read(fds[0], &one, sizeof(one)) == sizeof(one))
		total += one;
	while (wait(&st) > 0)
		;
	printf("%lld %lld\n", total, now_us() - t);
	return 0;
}

static int loop_exec(int n)
{
	char *args[] = { "/tests/benchctl", "noop", NULL };

	return loop_exec_args(n, args);
}

static int loop_exec32k(int n)
{
	static char arg[1024];
	char *args[36] = { "/tests/benchctl", "noop" };
	int i;

	memset(arg, 'a', sizeof(arg) - 1);
	for (i = 2; i < 34; i++)
		args[i] = arg;
	return loop_exec_args(n, args);
}

static int loop_execfail(int n)
{
	static char *args[60002];
	int i;

	args[0] = "/etc/passwd";
	for (i = 1; i <= 60000; i++)
		args[i] = "";
	for (i = 0; i < n; i++)
		if (execv(args[0], args) == 0 || errno != EACCES)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	long long t;
	int n, ret;

	if (argc > 1 && !strcmp(argv[1], "noop"))
		return 0;
	if (argc > 3 && !strcmp(argv[1], "nice")) {
		if (setpriority(PRIO_PROCESS, 0, atoi(argv[2])))
			perror("setpriority");
		execvp(argv[3], argv + 3);
		perror("execvp");
		return 127;
	}
	if (argc == 5 && !strcmp(argv[1], "flood"))
		return flood(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (argc != 3)
		return 64;
	n = atoi(argv[2]);
	t = now_us();
	if (!strcmp(argv[1], "exec"))
		ret = loop_exec(n);
	else if (!strcmp(argv[1], "tcp"))
		ret = loop_tcp(n);
	else if (!strcmp(argv[1], "udp"))
		ret = loop_udp(n);
	else if (!strcmp(argv[1], "sendto"))
		ret = loop_sendto(n);
	else if (!strcmp(argv[1], "exec32k"))
		ret = loop_exec32k(n);
	else if (!strcmp(argv[1], "execfail"))
		ret = loop_execfail(n);
	else
		return 64;
	printf("%lld\n", now_us() - t);
	return ret;
}
