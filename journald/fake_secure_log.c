// SPDX-License-Identifier: GPL-2.0-only
/*
 * fake_secure_log.c - /dev/secure_log's file position, for aklctl's tests
 *
 * An LD_PRELOAD library: opening $FAKE_DEV gives a file that behaves as the
 * module's device does for a reader (README, "Reading the records"): the
 * position is a sequence number; SEEK_SET/CUR/END/DATA as the module does
 * them; read() returns whole lines, as many as fit, and an overrun record
 * first for a position the ring no longer holds; EAGAIN when none is new.
 * The ring holds the last $FAKE_CAP of $FAKE_NEXT records written. Records
 * are written meanwhile, as by other tasks: $FAKE_ON_READ before each
 * read(), $FAKE_ON_END before each SEEK_END, $FAKE_ON_CUR before each
 * SEEK_CUR. Only what aklctl's tail uses is there (open, fstat, lseek,
 * read); one fake file at a time.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fake_fd = -1;
static unsigned long long first, next, cap, pos;

static unsigned long long env_num(const char *name, unsigned long long def)
{
	const char *s = getenv(name);

	return s ? strtoull(s, NULL, 10) : def;
}

/* Other tasks write @n records: the oldest go when the ring is full. */
static void write_records(unsigned long long n)
{
	next += n;
	if (next - first > cap)
		first = next - cap;
}

static int fake_open(const char *path, int flags, mode_t mode)
{
	int (*real)(const char *path, int flags, ...) = dlsym(RTLD_NEXT, "open");
	const char *dev = getenv("FAKE_DEV");

	if (!dev || strcmp(path, dev))
		return real(path, flags, mode);
	cap = env_num("FAKE_CAP", 1000);
	next = env_num("FAKE_NEXT", 0);
	first = next > cap ? next - cap : 0;
	pos = first;		/* a new open starts at the oldest record */
	fake_fd = real("/dev/null", O_RDONLY);
	return fake_fd;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return fake_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int fstat(int fd, struct stat *st)
{
	int (*real)(int fd, struct stat *st) = dlsym(RTLD_NEXT, "fstat");
	int r = real(fd, st);

	if (!r && fd == fake_fd)
		st->st_mode = S_IFCHR | 0400;
	return r;
}

off_t lseek(int fd, off_t off, int whence)
{
	off_t (*real)(int fd, off_t off, int whence) = dlsym(RTLD_NEXT, "lseek");
	long long base;

	if (fd != fake_fd)
		return real(fd, off, whence);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		write_records(env_num("FAKE_ON_CUR", 0));
		base = pos;
		break;
	case SEEK_END:
		write_records(env_num("FAKE_ON_END", 0));
		base = next;
		break;
	case SEEK_DATA:
		base = first;
		off = 0;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	/* SEEK_END -N: at most all. Past the newest, or before 0: EINVAL. */
	if (whence == SEEK_END && off < -(long long)(next - first))
		off = first - base;
	if (off > (long long)next - base || base + off < 0) {
		errno = EINVAL;
		return -1;
	}
	pos = base + off;
	return pos;
}

off_t lseek64(int fd, off_t off, int whence) __attribute__((alias("lseek")));

ssize_t read(int fd, void *buf, size_t count)
{
	ssize_t (*real)(int fd, void *buf, size_t count) = dlsym(RTLD_NEXT, "read");
	char line[200];
	size_t done = 0;
	int n;

	if (fd != fake_fd)
		return real(fd, buf, count);
	write_records(env_num("FAKE_ON_READ", 0));
	while (pos < next) {
		if (pos < first)
			n = snprintf(line, sizeof(line),
				     "seq=%llu ts=1.000000 load=00000000000000aa type=overrun missed=%llu first_missed=%llu\n",
				     first - 1, first - pos, pos);
		else
			n = snprintf(line, sizeof(line),
				     "seq=%llu ts=1.000000 load=00000000000000aa type=net event=udp_bind pid=1\n",
				     pos);
		if (done + n > count)
			break;
		memcpy((char *)buf + done, line, n);
		done += n;
		pos = pos < first ? first : pos + 1;
	}
	if (!done) {
		errno = EAGAIN;
		return -1;
	}
	return done;
}
