// SPDX-License-Identifier: GPL-2.0-only
/*
 * stressctl - load generators and a checking reader for t-90-stress
 *
 * stressctl [-u UID] [-t SECONDS] MODE [ARGS]
 *   -u UID   drop to uid and gid UID first
 *   -t SECS  run the loop for SECS seconds (default 10)
 * modes (the loops print "OPS mode n" at the end):
 *   noop                 exit 0 (what exec runs)
 *   exec                 fork + exec "stressctl noop" in a loop
 *   tcp                  a loopback listener; connect, accept, send, close
 *                        (IPv4 and IPv6 in turn)
 *   udp                  socket, bind, connect, send, close (v4 and v6)
 *   rename DIR           rename DIR/a <-> DIR/b (a directory) and
 *                        DIR/f <-> DIR/g (a file) back and forth
 *   chconn DIR           chdir into DIR/a or DIR/b and back, a UDP
 *                        connect and a refused TCP connect there, every
 *                        16th loop a fork + exec from that directory
 *   run PROG ARGS...     exec PROG (after -u)
 *   read [-z] [-S MS] [-x FILE] [-N NAME]
 *                        read /dev/secure_log and check every record:
 *                        grammar, one load id, consecutive sequence
 *                        numbers with gaps accounted for exactly by
 *                        overrun records. -z: the first record must be
 *                        seq 0. -S MS: stall MS ms after each burst of
 *                        reads (a slow reader). Stops when FILE (-x)
 *                        exists and nothing is left to read, or on
 *                        SIGTERM; prints "READER NAME key=value..."
 *                        -f FILE: check the lines of FILE instead
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SELF "/tests/stressctl"

static double t_end;
static volatile sig_atomic_t stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int running(void)
{
	return !stop && now() < t_end;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void exec_noop(void)
{
	char *argv[] = { "stressctl", "noop", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execv(SELF, argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* An address of family FAM on loopback, port PORT. */
static socklen_t lo_addr(struct sockaddr_storage *ss, int fam, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*s);
	}
	((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_loopback;
	return sizeof(struct sockaddr_in6);
}

static int listener(int fam)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(&ss, fam, 0);
	int fd = socket(fam, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 64))
		return -1;
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static long loop_tcp(void)
{
	int lfd[2] = { listener(AF_INET), listener(AF_INET6) };
	int fams[2] = { AF_INET, AF_INET6 };
	long n = 0;
	char buf[512] = { 0 };

	if (lfd[0] < 0)
		return -1;
	while (running()) {
		int i = n & 1, fam = fams[i], c, a;
		struct sockaddr_storage ss;
		socklen_t len;

		if (lfd[i] < 0)
			i = 0, fam = AF_INET;
		len = lo_addr(&ss, fam, port_of(lfd[i]));
		c = socket(fam, SOCK_STREAM, 0);
		if (c < 0)
			break;
		if (connect(c, (struct sockaddr *)&ss, len) == 0) {
			a = accept(lfd[i], NULL, NULL);
			if (send(c, buf, sizeof(buf), MSG_NOSIGNAL) < 0)
				n += 0;
			if (a >= 0) {
				if (recv(a, buf, sizeof(buf), 0) < 0)
					n += 0;
				close(a);
			}
		}
		close(c);
		n++;
	}
	return n;
}

static long loop_udp(void)
{
	long n = 0;

	while (running()) {
		int fam = n & 1 ? AF_INET6 : AF_INET, fd;
		struct sockaddr_storage ss;
		socklen_t len = lo_addr(&ss, fam, 0);

		fd = socket(fam, SOCK_DGRAM, 0);
		if (fd < 0)
			break;
		if (bind(fd, (struct sockaddr *)&ss, len) == 0) {
			len = lo_addr(&ss, fam, port_of(fd));
			if (connect(fd, (struct sockaddr *)&ss, len) == 0 &&
			    send(fd, "x", 1, 0) < 0)
				n += 0;
		}
		close(fd);
		n++;
	}
	return n;
}

static long loop_rename(const char *dir)
{
	char a[256], b[256], f[256], g[256];
	long n = 0;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(g, sizeof(g), "%s/g", dir);
	while (running()) {
		if (rename(a, b) == 0)
			rename(b, a);
		if (rename(f, g) == 0)
			rename(g, f);
		n++;
	}
	return n;
}

static long loop_chconn(const char *dir)
{
	char a[256], b[256];
	long n = 0;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	while (running()) {
		struct sockaddr_storage ss;
		socklen_t len = lo_addr(&ss, AF_INET, 9);
		int fd;

		if (chdir(a) && chdir(b))
			continue;
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd >= 0) {
			if (connect(fd, (struct sockaddr *)&ss, len))
				n += 0;
			close(fd);
		}
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0) {
			if (connect(fd, (struct sockaddr *)&ss, len))
				n += 0; /* ECONNREFUSED: nothing listens on 9 */
			close(fd);
		}
		if ((n & 15) == 0)
			exec_noop();
		if (chdir("/"))
			break;
		n++;
	}
	return n;
}

/* --- the checking reader */

/* The parser of akl-journald and aklctl, and the format's one definition */
#define AKL_FORMAT_NAMES
#include "../../journald/record.h"

#define NTYPES AKL_NR_TYPES

struct rstat {
	long records, overruns, missed, bad, gaps, types[NTYPES], lost_sum;
	long long next; /* the sequence number expected next, -1: any */
	char load[40];
};

static struct akl_field fields[512];
static char decoded[AKL_LINE_MAX + 1];
static size_t err_at; /* where the parser found a fault */

/* A field's value as a C string in BUF (cut to its size), or NULL. */
static const char *field(int nf, const char *key, char *buf, size_t size)
{
	const struct akl_field *f = akl_find(fields, nf, key);
	size_t n;

	if (!f)
		return NULL;
	n = f->val_len < size - 1 ? f->val_len : size - 1;
	memcpy(buf, f->val, n);
	buf[n] = '\0';
	return buf;
}

static int key_is(int i, const char *key)
{
	return fields[i].key_len == strlen(key) &&
	       !memcmp(fields[i].key, key, fields[i].key_len);
}

/* Report a bad record: its start, and the bytes around the fault. */
static void bad(struct rstat *st, const char *why, const char *line, size_t len)
{
	size_t from = err_at > 80 ? err_at - 80 : 0;

	if (len && line[len - 1] == '\n')
		len--;
	if (err_at > len)
		err_at = len;
	if (st->bad++ >= 8) {
		err_at = 0;
		return;
	}
	fprintf(stderr, "BAD %s at byte %zu of %zu: %.*s", why, err_at, len,
		(int)(len < 100 ? len : 100), line);
	if (from > 100)
		fprintf(stderr, " ... %.*s", (int)(len - from < 160 ? len - from : 160),
			line + from);
	fprintf(stderr, "\n");
	err_at = 0;
}

static void check_record(struct rstat *st, const char *line, size_t len)
{
	char seqs[24], load[40], type[24], v[24], w[24];
	const char *why = NULL;
	long long seq;
	int nf, t;

	if (len < 1 || line[len - 1] != '\n' || memchr(line, '\n', len - 1))
		return bad(st, "not one line", line, len);
	if (akl_parse(line, len - 1, decoded, fields, 512, &nf, &why) < 0) {
		/* Where it stopped: after the last field that parsed. */
		err_at = nf ? (size_t)(fields[nf - 1].key - line) : 0;
		/* Still follow its sequence number, if it has one. */
		if (!strncmp(line, "seq=", 4) && line[4] >= '0' && line[4] <= '9')
			st->next = atoll(line + 4) + 1;
		return bad(st, why ? why : "malformed", line, len);
	}
	if (nf < 4 || !key_is(0, "seq") || !key_is(1, "ts") ||
	    !key_is(2, "load") || !key_is(3, "type"))
		return bad(st, "not seq ts load type first", line, len);
	field(nf, "seq", seqs, sizeof(seqs));
	field(nf, "load", load, sizeof(load));
	field(nf, "type", type, sizeof(type));
	for (t = 0; t < NTYPES; t++)
		if (!strcmp(type, akl_type_names[t]))
			break;
	if (t == NTYPES)
		return bad(st, "unknown type", line, len);
	if (!st->load[0])
		snprintf(st->load, sizeof(st->load), "%s", load);
	else if (strcmp(st->load, load))
		bad(st, "another load id", line, len);
	seq = atoll(seqs);
	st->records++;
	st->types[t]++;
	if (t == AKL_T_LOST && field(nf, "lost", v, sizeof(v)))
		st->lost_sum += atol(v);
	if (t == AKL_T_OVERRUN) {
		const char *m = field(nf, "missed", v, sizeof(v));
		const char *f = field(nf, "first_missed", w, sizeof(w));
		long long first = f ? atoll(f) : -2, missed = m ? atoll(m) : -2;

		st->overruns++;
		if (missed < 1 || (st->next >= 0 && first != st->next) ||
		    seq != first + missed - 1) {
			st->gaps++;
			bad(st, "overrun does not account for the gap", line, len);
		}
		st->missed += missed > 0 ? missed : 0;
	} else if (st->next >= 0 && seq != st->next) {
		st->gaps++;
		fprintf(stderr, "GAP expected seq %lld\n", st->next);
		bad(st, "unaccounted sequence gap", line, len);
	}
	st->next = seq + 1;
}

static int do_read(int argc, char **argv)
{
	static char buf[65536 + 1];
	const char *stopfile = NULL, *name = "reader", *file = NULL;
	struct rstat st = { .next = -1 };
	long stall_ms = 0, burst = 0;
	int opt, fd;

	optind = 1;
	while ((opt = getopt(argc, argv, "zS:x:N:f:")) != -1) {
		switch (opt) {
		case 'f': file = optarg; break;
		case 'z': st.next = 0; break;
		case 'S': stall_ms = atol(optarg); break;
		case 'x': stopfile = optarg; break;
		case 'N': name = optarg; break;
		default: return 64;
		}
	}
	if (file) {
		FILE *f = fopen(file, "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while (f && (len = getline(&line, &cap, f)) > 0)
			check_record(&st, line, len);
		stop = 1;
	}
	fd = file ? -1 : open("/dev/secure_log", O_RDONLY | O_NONBLOCK);
	if (fd < 0 && !file) {
		printf("READER %s open-errno=%d\n", name, errno);
		return 2;
	}
	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n > 0) {
			check_record(&st, buf, n);
			if (stall_ms && ++burst % 64 == 0)
				usleep(stall_ms * 1000);
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			fprintf(stderr, "read: errno %d\n", errno);
			st.bad++;
			break;
		}
		if (stopfile && access(stopfile, F_OK) == 0)
			break;
		poll(&pfd, 1, 100);
	}
	printf("READER %s records=%ld overruns=%ld missed=%ld bad=%ld gaps=%ld next=%lld config=%ld exec=%ld net=%ld lost=%ld lost_sum=%ld\n",
	       name, st.records - st.overruns, st.overruns, st.missed, st.bad,
	       st.gaps, st.next, st.types[0], st.types[1], st.types[2],
	       st.types[3], st.lost_sum);
	fflush(stdout);
	return st.bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	long uid = -1, n;
	double secs = 10;
	const char *mode;
	int opt;

	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "+u:t:")) != -1) {
		switch (opt) {
		case 'u': uid = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		default: return 64;
		}
	}
	if (optind >= argc)
		return 64;
	mode = argv[optind];
	if (!strcmp(mode, "noop"))
		return 0;
	if (uid >= 0 && (setgroups(0, NULL) || setgid(uid) || setuid(uid))) {
		perror("setuid");
		return 2;
	}
	t_end = now() + secs;
	if (!strcmp(mode, "run")) {
		if (optind + 1 >= argc)
			return 64;
		execv(argv[optind + 1], argv + optind + 1);
		perror("exec");
		return 127;
	}
	if (!strcmp(mode, "read"))
		return do_read(argc - optind, argv + optind);
	if (!strcmp(mode, "exec")) {
		for (n = 0; running(); n++)
			exec_noop();
	} else if (!strcmp(mode, "tcp")) {
		n = loop_tcp();
	} else if (!strcmp(mode, "udp")) {
		n = loop_udp();
	} else if (!strcmp(mode, "rename") && optind + 1 < argc) {
		n = loop_rename(argv[optind + 1]);
	} else if (!strcmp(mode, "chconn") && optind + 1 < argc) {
		n = loop_chconn(argv[optind + 1]);
	} else {
		return 64;
	}
	printf("OPS %s %ld\n", mode, n);
	return n < 0;
}
