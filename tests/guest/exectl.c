// SPDX-License-Identifier: GPL-2.0-only
/*
 * exectl - runs the execs that the execlog guest tests check
 *
 *   exectl noop ARGS...          exit 0 (what the others execute)
 *   exectl weird                 exec noop with hostile arguments
 *   exectl big N                 exec noop with N bytes of arguments
 *   exectl fexecve               fexecve() of /tests/exectl
 *   exectl execveat              execveat(dirfd of /tests, "exectl")
 *   exectl exec PATH ARGS...     execv(PATH, ARGS); prints ERRNO <NAME> on error
 *   exectl as UID PATH ARGS...   as uid/gid UID, execv(PATH, ARGS)
 *   exectl pty PATH ARGS...      in a new session whose tty is a new pty
 *   exectl burst N TAG           N times: fork, exec "noop TAG i", wait
 *   exectl traced N TAG GO       N children exec "noop TAG i" under ptrace
 *                                and stay stopped at PTRACE_EVENT_EXEC (before
 *                                returning to user space) until the file GO
 *                                exists; prints "STOPPED N" once they all are
 *   exectl failargs MODE PATH    execve(PATH) (which must fail) with an argv
 *                                laid out across page boundaries, a fault
 *                                page (PROT_NONE) after them; MODE: span (an
 *                                argument across two pages), strfault (the
 *                                third runs into the fault page), ptrfault
 *                                (the array does, with no NULL), same (1000
 *                                pointers to one "x"), jump (2999 pointers
 *                                alternating between two pages), cross (300
 *                                arguments, array and strings across pages)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SELF "/tests/exectl"

extern char **environ;

static int fail(const char *what)
{
	const char *name = errno == EACCES ? "EACCES" : errno == ENOEXEC ?
		"ENOEXEC" : errno == ENOENT ? "ENOENT" : errno == EPERM ?
		"EPERM" : "EOTHER";

	printf("ERRNO %s\n", name);
	fprintf(stderr, "exectl: %s: %s\n", what, strerror(errno));
	return 2;
}

static int run_wait(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (!pid) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Children stopped in exec, after the tracepoint, before user space. */
static int traced(int n, const char *tag, const char *go)
{
	pid_t pids[1024];
	int i, status;

	if (n < 1 || n > 1024)
		return 64;
	for (i = 0; i < n; i++) {
		char num[16];
		char *args[] = { SELF, "noop", (char *)tag, num, NULL };

		snprintf(num, sizeof(num), "%d", i);
		pids[i] = fork();
		if (pids[i] < 0)
			return fail("fork");
		if (!pids[i]) {
			ptrace(PTRACE_TRACEME, 0, NULL, NULL);
			raise(SIGSTOP);
			execv(SELF, args);
			_exit(127);
		}
		/* Stopped by SIGSTOP: stop it again at its exec. */
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFSTOPPED(status))
			return fail("waitpid");
		ptrace(PTRACE_SETOPTIONS, pids[i], NULL, PTRACE_O_TRACEEXEC);
		ptrace(PTRACE_CONT, pids[i], NULL, NULL);
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
			return fail("exec stop");
	}
	printf("STOPPED %d\n", n);
	fflush(stdout);
	while (access(go, F_OK))
		usleep(10000);
	for (i = 0; i < n; i++)
		ptrace(PTRACE_DETACH, pids[i], NULL, NULL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], &status, 0);
	return 0;
}

/* Fifteen pages of arguments, then a page that faults. */
static int failargs(const char *mode, char *path)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 16 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *fault = m + 15 * pg, **args, *s;
	int i;

	if (m == MAP_FAILED || mprotect(fault, pg, PROT_NONE))
		return fail("mmap");
	args = (char **)m;
	args[0] = path;
	if (!strcmp(mode, "span")) {
		args[1] = strcpy(m + 2 * pg - 3, "abcdef");
		args[2] = "z";
		args[3] = NULL;
	} else if (!strcmp(mode, "strfault")) {
		args[1] = "ok";
		args[2] = memcpy(fault - 4, "wxyz", 4);
		args[3] = NULL;
	} else if (!strcmp(mode, "ptrfault")) {
		args = (char **)(fault - 3 * sizeof(char *));
		args[0] = path;
		args[1] = "b";
		args[2] = "c";
	} else if (!strcmp(mode, "same")) {
		for (i = 1; i <= 1000; i++)
			args[i] = "x";
		args[i] = NULL;
	} else if (!strcmp(mode, "jump")) {
		strcpy(m + 8 * pg + 100, "x");
		strcpy(m + 10 * pg + 100, "y");
		for (i = 1; i < 3000; i++)
			args[i] = m + (i % 2 ? 8 : 10) * pg + 100;
		args[i] = NULL;
	} else if (!strcmp(mode, "cross")) {
		args = (char **)(m + pg - 10 * sizeof(char *));
		args[0] = path;
		s = m + 2 * pg - 500;
		for (i = 1; i < 300; i++) {
			args[i] = s;
			s += sprintf(s, "a%d", i) + 1;
		}
		args[i] = NULL;
	} else {
		return 64;
	}
	execve(path, args, environ);
	return fail("execve");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "noop"))
		return 0;
	if (!strcmp(cmd, "weird")) {
		char *args[] = { SELF, "noop", "a b", "\"q\"", "x=y",
				 "line\nbreak", "tab\t", "\xff\xfe", "",
				 "back\\slash", "end", NULL };

		execv(SELF, args);
		return fail("execv");
	}
	if (!strcmp(cmd, "big") && argc == 3) {
		/* One argument may not exceed 128 KiB: 50000-byte pieces. */
		size_t left = strtoul(argv[2], NULL, 0), n;
		char *args[64] = { SELF, "noop" };
		int i = 2;

		for (; left && i < 63; i++, left -= n) {
			n = left < 50000 ? left : 50000;
			args[i] = malloc(n + 1);
			memset(args[i], 'A', n);
			args[i][n] = 0;
		}
		execv(SELF, args);
		return fail("execv");
	}
	if (!strcmp(cmd, "fexecve")) {
		char *args[] = { "exectl-fd", "noop", "fexecve", NULL };
		int fd = open(SELF, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return fail("open");
		fexecve(fd, args, environ);
		return fail("fexecve");
	}
	if (!strcmp(cmd, "execveat")) {
		char *args[] = { "exectl", "noop", "execveat", NULL };
		int dfd = open("/tests", O_RDONLY | O_DIRECTORY);

		if (dfd < 0)
			return fail("open");
		syscall(SYS_execveat, dfd, "exectl", args, environ, 0);
		return fail("execveat");
	}
	if (!strcmp(cmd, "exec") && argc > 2) {
		execv(argv[2], argv + 2);
		return fail("execv");
	}
	if (!strcmp(cmd, "as") && argc > 3) {
		gid_t id = atoi(argv[2]);

		if (setgroups(0, NULL) || setgid(id) || setuid(id))
			return fail("setuid");
		execv(argv[3], argv + 3);
		return fail("execv");
	}
	if (!strcmp(cmd, "pty") && argc > 2) {
		int status, m = posix_openpt(O_RDWR | O_NOCTTY);
		pid_t pid;

		if (m < 0 || grantpt(m) || unlockpt(m))
			return fail("posix_openpt");
		pid = fork();
		if (!pid) {
			int s;

			setsid();
			/* A session leader's first tty open makes it its tty. */
			s = open(ptsname(m), O_RDWR);
			if (s < 0)
				_exit(fail("open pts"));
			dup2(s, 0);
			dup2(s, 1);
			dup2(s, 2);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	if (!strcmp(cmd, "burst") && argc == 4) {
		int i, n = atoi(argv[2]);
		char num[16];
		char *args[] = { SELF, "noop", argv[3], num, NULL };

		for (i = 0; i < n; i++) {
			snprintf(num, sizeof(num), "%d", i);
			if (run_wait(args))
				return 1;
		}
		return 0;
	}
	if (!strcmp(cmd, "failargs") && argc == 4)
		return failargs(argv[2], argv[3]);
	if (!strcmp(cmd, "traced") && argc == 5)
		return traced(atoi(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "exectl: bad usage\n");
	return 64;
}
