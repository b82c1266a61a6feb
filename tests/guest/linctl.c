// SPDX-License-Identifier: GPL-2.0-only
/*
 * linctl - process trees whose records the lineage tests join by exec id
 *
 *   linctl noop                 exit 0
 *   linctl connect PORT         UDP connect() to 127.0.0.1:PORT, exit 0
 *   linctl exec PROG ARGS...    exec PROG (an exec without a fork)
 *   linctl thread-exec PROG ARGS...
 *                               a second thread execs PROG
 *   linctl daemon PROG ARGS...  double fork: the grandchild, whose parent
 *                               has exited, execs PROG; waits for it to end;
 *                               prints the grandchild's pid
 *   linctl exit CODE            exit with CODE, from a second thread
 *                               while a third one sleeps
 *   linctl kill SIG             kill itself with SIG
 *   linctl scm PORT             open a TCP connection to itself on PORT,
 *                               pass its client end by SCM_RIGHTS to a child
 *                               that exec'd "linctl scm-recv FD", which
 *                               closes it; prints "owner PID receiver PID"
 *   linctl scm-recv FD          receive a socket on FD and close it
 *   linctl pid-reuse PROG       fork+exec "PROG noop reuse", then fork until
 *                               a child gets the same pid, which execs it
 *                               too; prints
 *                               the pid and how many forks it took
 *   linctl setcap PATH          give PATH the file capability cap_net_raw
 *                               (permitted, effective)
 *   linctl sleepers N SECS      N processes "sleep"ing SECS each (forked,
 *                               not exec'd), then exit; prints their pids
 *   linctl e2big PROG           exec PROG with a 200 KiB argument (E2BIG)
 *   linctl etxtbsy PATH         exec PATH while it is open for writing;
 *                               prints the error's name, or "ok"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "udp-connect.h"

static int fail(const char *what)
{
	fprintf(stderr, "linctl: %s: %s\n", what, strerror(errno));
	return 1;
}

static char **exec_argv;

static void *exec_thread(void *arg)
{
	execv(exec_argv[0], exec_argv);
	_exit(fail("execv"));
}

static void *sleeper(void *arg)
{
	pause();
	return NULL;
}

static void *exiter(void *arg)
{
	exit(*(int *)arg);
}

/* A TCP connection to itself: returns its client end; the rest closed. */
static int tcp_self(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int l, c, a, one = 1;

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0)
		return -1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    connect(c, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	a = accept(l, NULL, NULL);
	if (a < 0)
		return -1;
	close(a);
	close(l);
	return c;
}

static int scm(int port)
{
	char fdname[16], byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], c, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail("socketpair");
	pid = fork();
	if (!pid) {
		close(sv[0]);
		snprintf(fdname, sizeof(fdname), "%d", sv[1]);
		execl("/tests/linctl", "/tests/linctl", "scm-recv", fdname,
		      (char *)NULL);
		_exit(fail("execl"));
	}
	close(sv[1]);
	c = tcp_self(port);
	if (c < 0)
		return fail("tcp connection");
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &c, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) != 1)
		return fail("sendmsg");
	/* The receiver's close is the last: it waits for this byte. */
	close(c);
	if (write(sv[0], &byte, 1) != 1)
		return fail("write");
	waitpid(pid, &status, 0);
	printf("owner %d receiver %d\n", getpid(), pid);
	return 0;
}

static int scm_recv(int fd)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int s;

	if (recvmsg(fd, &msg, 0) != 1)
		return fail("recvmsg");
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return fail("no SCM_RIGHTS");
	memcpy(&s, CMSG_DATA(cm), sizeof(int));
	if (read(fd, &byte, 1) != 1)
		return fail("read");
	return close(s) ? fail("close") : 0;
}

static pid_t spawn(char *prog)
{
	pid_t pid = fork();

	if (!pid) {
		execl(prog, prog, "noop", "reuse", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int pid_reuse(char *prog)
{
	pid_t first = spawn(prog), pid;
	long forks = 0;

	waitpid(first, NULL, 0);
	for (;;) {
		pid = fork();
		if (!pid) {
			if (getpid() == first) {
				execl(prog, prog, "noop", "reuse", (char *)NULL);
				_exit(127);
			}
			_exit(0);
		}
		if (pid < 0)
			return fail("fork");
		waitpid(pid, NULL, 0);
		forks++;
		if (pid == first)
			break;
		if (forks > 5000000)
			return fail("pid never came back");
	}
	printf("%d %ld\n", first, forks);
	return 0;
}

static int setcap(const char *path)
{
	struct vfs_cap_data c = { 0 };

	c.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
	c.data[0].permitted = 1U << CAP_NET_RAW;
	return setxattr(path, "security.capability", &c, XATTR_CAPS_SZ_2, 0) ?
	       fail("setxattr") : 0;
}

static int daemonize(char **argv)
{
	int p[2], gc[2], status;
	pid_t pid, g = 0;
	char c;

	if (pipe(p) || pipe(gc))
		return fail("pipe");
	pid = fork();
	if (!pid) {
		if (fork() == 0) {
			setsid();
			g = getpid();
			if (write(gc[1], &g, sizeof(g)) != sizeof(g))
				_exit(1);
			close(p[0]);
			close(gc[0]);
			close(gc[1]);
			/* Its parent exits meanwhile. */
			usleep(100000);
			execv(argv[0], argv);
			_exit(127);
		}
		_exit(0);
	}
	close(p[1]);
	close(gc[1]);
	waitpid(pid, &status, 0);
	if (read(gc[0], &g, sizeof(g)) != sizeof(g))
		return fail("read");
	/* Ends when the grandchild, which holds the pipe, ends. */
	while (read(p[0], &c, 1) > 0)
		;
	printf("%d\n", g);
	return 0;
}

static int sleepers(int n, int secs)
{
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return fail("fork");
		if (!pid) {
			prctl(PR_SET_NAME, "sleeper");
			sleep(secs);
			_exit(0);
		}
		printf("%d\n", pid);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	pthread_t t;
	int code;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(cmd, "noop"))
		return 0;
	if (!strcmp(cmd, "connect") && argc == 3)
		return udp_connect(atoi(argv[2])) ? fail("connect") : 0;
	if (!strcmp(cmd, "exec") && argc > 2) {
		execv(argv[2], argv + 2);
		return fail("execv");
	}
	if (!strcmp(cmd, "thread-exec") && argc > 2) {
		exec_argv = argv + 2;
		pthread_create(&t, NULL, exec_thread, NULL);
		pause();
	}
	if (!strcmp(cmd, "daemon") && argc > 2)
		return daemonize(argv + 2);
	if (!strcmp(cmd, "exit") && argc == 3) {
		code = atoi(argv[2]);
		pthread_create(&t, NULL, sleeper, NULL);
		pthread_create(&t, NULL, exiter, &code);
		pause();
	}
	if (!strcmp(cmd, "kill") && argc == 3) {
		kill(getpid(), atoi(argv[2]));
		pause();
	}
	if (!strcmp(cmd, "scm") && argc == 3)
		return scm(atoi(argv[2]));
	if (!strcmp(cmd, "scm-recv") && argc == 3)
		return scm_recv(atoi(argv[2]));
	if (!strcmp(cmd, "pid-reuse") && argc == 3)
		return pid_reuse(argv[2]);
	if (!strcmp(cmd, "setcap") && argc == 3)
		return setcap(argv[2]);
	if (!strcmp(cmd, "e2big") && argc == 3) {
		static char big[200 * 1024];

		memset(big, 'x', sizeof(big) - 1);
		execl(argv[2], argv[2], big, (char *)NULL);
		return errno == E2BIG ? 0 : fail("execl");
	}
	if (!strcmp(cmd, "etxtbsy") && argc == 3) {
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0)
			return fail("open");
		execl(argv[2], argv[2], "noop", (char *)NULL);
		printf("%s\n", errno == ETXTBSY ? "ETXTBSY" : strerror(errno));
		return 0;
	}
	if (!strcmp(cmd, "sleepers") && argc == 4)
		return sleepers(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of linctl.c\n");
	return 2;
}
