// SPDX-License-Identifier: GPL-2.0-only
/*
 * slogctl - drives /dev/secure_log for the guest tests
 *
 * slogctl [options] [action]
 *   -n        open O_NONBLOCK
 *   -b SIZE   read() buffer size (default 65536)
 *   -r        after a read() fails with EINVAL, retry with 65536 bytes
 *   -s POS    before reading: lseek to sequence number POS, "data", or
 *             "end" or "cur" with an optional signed offset ("end-10")
 *   -c COUNT  stop after COUNT records (default: all, then EAGAIN ends)
 *   -p MS     poll() for POLLIN before each read, at most MS ms
 *   -e MS     like -p, with epoll
 *   -u UID    drop to UID/GID UID before opening
 *   -w        open O_WRONLY (expected to fail)
 *   -f PATH   device (default /dev/secure_log)
 *   -W FILE   after opening, wait until FILE exists
 *   -P FILE   with -n: at the first EAGAIN, create FILE.paused, wait until
 *             FILE exists, then go on reading (the next EAGAIN ends)
 *   -N NAME   set this process's comm to NAME first
 *   -R RUID   set the real uid to RUID, keeping euid 0, first
 * actions: read (default), open, write, ioctl, tell,
 *   set PARAM VALUE: write VALUE to the module parameter PARAM
 *
 * Records go to stdout as read. A failing call prints "ERRNO <NAME>" and
 * exits 2; a poll timeout prints "TIMEOUT" and exits 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EBADF: return "EBADF";
	case ENOTTY: return "ENOTTY";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EFAULT: return "EFAULT";
	default: return "EOTHER";
	}
}

static int fail(int e)
{
	printf("ERRNO %s\n", errname(e));
	fflush(stdout);
	return 2;
}

static int wait_ready(int fd, int ms, int use_epoll)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ep, n;

	if (!use_epoll) {
		n = poll(&pfd, 1, ms);
		return n < 0 ? -errno : n;
	}
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	n = epoll_wait(ep, &ev, 1, ms);
	close(ep);
	return n < 0 ? -errno : n;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/secure_log", *seek = NULL, *action = "read";
	int nonblock = 0, retry = 0, wronly = 0, use_epoll = 0, opt, fd;
	long bufsize = 65536, count = -1, poll_ms = -2, uid = -1, got = 0;
	long ruid = -1;
	const char *waitfile = NULL, *pausefile = NULL;
	struct stat st;
	static char buf[1 << 20];
	ssize_t n;

	while ((opt = getopt(argc, argv, "+nb:rs:c:p:e:u:wf:W:P:N:R:")) != -1) {
		switch (opt) {
		case 'n': nonblock = 1; break;
		case 'b': bufsize = atol(optarg); break;
		case 'r': retry = 1; break;
		case 's': seek = optarg; break;
		case 'c': count = atol(optarg); break;
		case 'e': use_epoll = 1; /* fall through */
		case 'p': poll_ms = atol(optarg); break;
		case 'u': uid = atol(optarg); break;
		case 'w': wronly = 1; break;
		case 'f': dev = optarg; break;
		case 'W': waitfile = optarg; break;
		case 'P': pausefile = optarg; break;
		case 'N': prctl(PR_SET_NAME, optarg); break;
		case 'R': ruid = atol(optarg); break;
		default: return 64;
		}
	}
	if (optind < argc)
		action = argv[optind];
	if (bufsize < 1 || bufsize > (long)sizeof(buf))
		return 64;
	if (uid >= 0 && (setgroups(0, NULL) || setgid(uid) || setuid(uid)))
		return fail(errno);
	if (ruid >= 0 && setresuid(ruid, 0, 0))
		return fail(errno);
	if (!strcmp(action, "set")) {
		char path[256];

		if (optind + 2 >= argc)
			return 64;
		snprintf(path, sizeof(path),
			 "/sys/module/activity_klog/parameters/%s", argv[optind + 1]);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			return fail(errno);
		if (write(fd, argv[optind + 2], strlen(argv[optind + 2])) < 0)
			return fail(errno);
		printf("OK %d\n", getpid());
		return 0;
	}

	fd = open(dev, (wronly ? O_WRONLY : O_RDONLY) | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0)
		return fail(errno);
	while (waitfile && stat(waitfile, &st))
		usleep(10000);
	if (!strcmp(action, "open")) {
		printf("OK\n");
		return 0;
	}
	if (!strcmp(action, "write"))
		return write(fd, "forged\n", 7) < 0 ? fail(errno) : 0;
	if (!strcmp(action, "ioctl"))
		return ioctl(fd, 0x5401, buf) < 0 ? fail(errno) : 0;
	if (seek) {
		off_t r;

		if (!strncmp(seek, "end", 3))
			r = lseek(fd, atoll(seek + 3), SEEK_END);
		else if (!strncmp(seek, "cur", 3))
			r = lseek(fd, atoll(seek + 3), SEEK_CUR);
		else if (!strcmp(seek, "data"))
			r = lseek(fd, 0, SEEK_DATA);
		else
			r = lseek(fd, atoll(seek), SEEK_SET);
		if (r < 0)
			return fail(errno);
	}
	if (!strcmp(action, "tell")) {
		printf("%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
		return 0;
	}
	while (count < 0 || got < count) {
		if (poll_ms > -2) {
			int r = wait_ready(fd, poll_ms, use_epoll);

			if (r < 0)
				return fail(-r);
			if (r == 0) {
				printf("TIMEOUT\n");
				return 3;
			}
		}
		n = read(fd, buf, bufsize);
		if (n < 0 && errno == EINVAL && retry) {
			printf("ERRNO EINVAL\n");
			n = read(fd, buf, 65536);
		}
		if (n < 0) {
			if (errno == EAGAIN && count < 0 && pausefile) {
				char paused[256];

				snprintf(paused, sizeof(paused), "%s.paused", pausefile);
				close(open(paused, O_WRONLY | O_CREAT, 0600));
				while (stat(pausefile, &st))
					usleep(10000);
				pausefile = NULL;
				continue;
			}
			if (errno == EAGAIN && count < 0)
				break;
			return fail(errno);
		}
		fwrite(buf, 1, n, stdout);
		fflush(stdout);
		got++;
	}
	return 0;
}
