// SPDX-License-Identifier: GPL-2.0-only
/*
 * netctl - socket actions for the netlog guest tests
 *
 * netctl [-u UID] STEP...
 *   -u UID   drop to uid and gid UID first
 * Steps run in order on the current socket; each prints one line:
 *   tcp4 | tcp6 | udp4 | udp6   new socket, made current   "SOCK fd"
 *   udplite4 | udplite6 | mptcp4 | mptcp6 | sctp4 | sctp6   the same, or
 *                       "SOCK ERRNAME" (sctp: one-to-many, SOCK_SEQPACKET)
 *                       (then the steps that follow are skipped)
 *   listenq N           listen() with a backlog of N      as listen
 *   blockaccept N       N threads blocked in accept() on the current
 *                       socket: "BLOCKED n sleeping=k" once k >= n of
 *                       the process's threads sleep (or after 30 s)
 *   blockconnect N ADDR PORT   N threads, each connect()ing a new TCP
 *                       socket to ADDR PORT: "BLOCKED n sleeping=k"
 *   alarm SECONDS       reset the alarm (below)                "ALARM"
 *   fastopen ADDR PORT N   sendto() of N bytes with MSG_FASTOPEN on the
 *                       current (TCP) socket: "FASTOPEN N" or "FASTOPEN ERRNAME"
 *   ping4 ADDR | ping6 ADDR   an ICMP echo socket (made current) sends
 *                       one echo request: "PING OK" or "PING ERRNAME"
 *   udpscan ADDR BASE N one datagram to each of ports BASE..BASE+N-1 from
 *                       the current socket: "UDPSCAN n"
 *   ubind ADDR PORT     bind through io_uring (6.11+): "UBIND OK lport=P"
 *                       or "UBIND ERRNAME" (ENOSYS/EINVAL: not supported)
 *   ulisten             listen through io_uring: as ubind, "ULISTEN ..."
 *   nb                  O_NONBLOCK on the current socket    "NB"
 *   bind ADDR PORT      "BIND OK lport=P" or "BIND ERRNAME"
 *   listen              "LISTEN OK lport=P" or "LISTEN ERRNAME"
 *   connect ADDR PORT   "CONNECT OK|EINPROGRESS|ERRNAME lport=P"
 *   wait                poll for writability (5 s) and read SO_ERROR:
 *                       "WAIT OK" or "WAIT ERRNAME"
 *   accept              accepted socket made current:
 *                       "ACCEPT OK lport=P rport=P" or "ACCEPT ERRNAME"
 *   send N              send N bytes                       "SENT N"
 *   recv N              receive N bytes (less at EOF)      "RECV n"
 *   recveof             receive until EOF                  "RECV n"
 *   sendto ADDR PORT N  one datagram of N bytes            "SENTTO N"
 *   shutdown            shutdown(SHUT_WR)                  "SHUTDOWN"
 *   close               close the current socket           "CLOSE"
 *   use N               make socket N (1 = first) current  "USE fd"
 *   waitfile PATH       wait until PATH exists (10 s)      "WAITFILE"
 *   touch PATH          create PATH                        "TOUCH"
 *   sleep MS                                               "SLEPT"
 *   pid                 "PID n"
 *   loop SECONDS ADDR PORT   until SECONDS pass: a UDP socket connected
 *                       to ADDR PORT and closed, then a TCP connect to
 *                       ADDR PORT+1 (refused) and close; "LOOPS n"
 *   race ADDR PORT      two threads connect() the current socket to ADDR
 *                       PORT at once: "RACE R1 R2 lport=P", R as for connect
 *   udpmany N ADDR      N more UDP sockets bound to ADDR port 0, kept
 *                       open (not made current): "UDPMANY n"
 *   nbmany N ADDR PORT  N more non-blocking TCP sockets connected to ADDR
 *                       PORT, kept open, each connect's outcome awaited
 *                       (20 s at most): "NBMANY n inprogress=k settled=s"
 *   write PATH VALUE    wait until PATH can be opened for writing (10 s),
 *                       write VALUE once: "WRITE OK" or "WRITE ERRNAME"
 *   waitread PATH       wait until a non-blocking read of PATH gives data
 *                       (10 s): "WAITREAD"
 *   readloop PATH FILE  read PATH (pread at 0) until it is gone (or 60 s);
 *                       each read must be FILE's content or an empty line:
 *                       "READLOOP reads=n good=g empty=e bad=b"
 * ADDR is IPv4 or IPv6 (for a tcp6/udp6 socket, an IPv4 address is used
 * in its mapped form ::ffff:a.b.c.d). Exits 1 if a step is malformed;
 * killed by SIGALRM after 60 s.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXSOCK 16

static int socks[MAXSOCK], nsocks, cur = -1;
static int cur_family;

static const char *errname(int e)
{
	switch (e) {
	case ECONNREFUSED: return "ECONNREFUSED";
	case EINPROGRESS: return "EINPROGRESS";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EACCES: return "EACCES";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case ENETUNREACH: return "ENETUNREACH";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EISCONN: return "EISCONN";
	case EALREADY: return "EALREADY";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EPERM: return "EPERM";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOSYS: return "ENOSYS";
	default: return "EOTHER";
	}
}

static void die(const char *msg)
{
	fprintf(stderr, "netctl: %s\n", msg);
	exit(1);
}

static socklen_t mkaddr(struct sockaddr_storage *ss, const char *addr,
			const char *port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char mapped[64];

	memset(ss, 0, sizeof(*ss));
	if (cur_family == AF_INET6) {
		if (!strchr(addr, ':')) {
			snprintf(mapped, sizeof(mapped), "::ffff:%s", addr);
			addr = mapped;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(port));
		if (inet_pton(AF_INET6, addr, &in6->sin6_addr) != 1)
			die("bad IPv6 address");
		return sizeof(*in6);
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(atoi(port));
	if (inet_pton(AF_INET, addr, &in->sin_addr) != 1)
		die("bad IPv4 address");
	return sizeof(*in);
}

static int port_of(int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&ss, &len))
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int family_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return AF_INET;
	return ss.ss_family;
}

static void add_sock(int fd)
{
	if (nsocks == MAXSOCK)
		die("too many sockets");
	socks[nsocks++] = fd;
	cur = fd;
	cur_family = family_of(fd);
}

static void new_sock(int family, int type)
{
	int fd = socket(family, type, 0);

	if (fd < 0)
		die("socket");
	add_sock(fd);
	cur_family = family;
	printf("SOCK %d\n", fd);
}

/* A socket of a protocol the kernel may lack: false if it does. */
static int new_sock_proto(int family, int type, int proto)
{
	int fd = socket(family, type, proto);

	if (fd < 0) {
		printf("SOCK %s\n", errname(errno));
		return 0;
	}
	add_sock(fd);
	cur_family = family;
	printf("SOCK %d\n", fd);
	return 1;
}

/* blockaccept, blockconnect: threads that stay blocked until exit */
static struct sockaddr_storage blk_ss;
static socklen_t blk_len;
static int blk_started;

static void *accept_thread(void *arg)
{
	__atomic_add_fetch(&blk_started, 1, __ATOMIC_SEQ_CST);
	accept(cur, NULL, NULL);
	pause();
	return NULL;
}

static void *connect_thread(void *arg)
{
	int fd = socket(cur_family, SOCK_STREAM, 0);

	__atomic_add_fetch(&blk_started, 1, __ATOMIC_SEQ_CST);
	if (fd >= 0)
		connect(fd, (struct sockaddr *)&blk_ss, blk_len);
	pause();
	return NULL;
}

/* Threads of this process in state S (sleeping). */
static int sleeping_threads(void)
{
	char path[300], line[512], *p;
	DIR *dir = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0, fd, k;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		k = read(fd, line, sizeof(line) - 1);
		close(fd);
		if (k <= 0)
			continue;
		line[k] = 0;
		p = strrchr(line, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			n++;
	}
	closedir(dir);
	return n;
}

static void do_block(int n, int conn)
{
	pthread_attr_t a;
	pthread_t t;
	int i, k = 0, tries;

	blk_started = 0;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < n; i++)
		if (pthread_create(&t, &a, conn ? connect_thread : accept_thread, NULL))
			break;
	n = i;
	while (__atomic_load_n(&blk_started, __ATOMIC_ACQUIRE) < n)
		usleep(10000);
	for (tries = 0; tries < 300; tries++) {
		k = sleeping_threads();
		if (k >= n)
			break;
		usleep(100000);
	}
	printf("BLOCKED %d sleeping=%d\n", n, k);
}

static void do_ping(int family, const char *addr)
{
	unsigned char pkt[16] = { family == AF_INET6 ? 128 : 8 };
	struct sockaddr_storage ss;
	socklen_t len;

	if (!new_sock_proto(family, SOCK_DGRAM,
			    family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		return;
	len = mkaddr(&ss, addr, "0");
	if (sendto(cur, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len) < 0)
		printf("PING %s\n", errname(errno));
	else
		printf("PING OK\n");
}

/* Opcodes of 6.11, absent from older uapi headers. */
#define URING_OP_BIND	56
#define URING_OP_LISTEN	57

/*
 * One io_uring operation on fd: bind to addr/len, or listen with backlog
 * len. Returns its result (a negative errno).
 */
static int uring_op(int op, int fd, const void *addr, unsigned int len)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned char *sq, *cq;
	unsigned int *tail;
	size_t sqsz, cqsz;
	int ring, res;

	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 1, &p);
	if (ring < 0)
		return -errno;
	sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  ring, IORING_OFF_SQ_RING);
	cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		die("io_uring mmap");
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = op;
	sqes[0].fd = fd;
	if (op == URING_OP_BIND) {
		sqes[0].addr = (unsigned long)addr;
		sqes[0].addr2 = len;
	} else {
		sqes[0].len = len;
	}
	tail = (unsigned int *)(sq + p.sq_off.tail);
	((unsigned int *)(sq + p.sq_off.array))[*tail &
		*(unsigned int *)(sq + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0) {
		res = -errno;
	} else {
		cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
		res = cqes[*(unsigned int *)(cq + p.cq_off.head) &
			   *(unsigned int *)(cq + p.cq_off.ring_mask)].res;
	}
	close(ring);
	return res;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void do_loop(int seconds, const char *addr, const char *port)
{
	long end = now_ms() + seconds * 1000L;
	struct sockaddr_storage ss, ss2;
	char port2[16];
	socklen_t len;
	long n = 0;
	int fd;

	cur_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	len = mkaddr(&ss, addr, port);
	snprintf(port2, sizeof(port2), "%d", atoi(port) + 1);
	mkaddr(&ss2, addr, port2);
	while (now_ms() < end) {
		fd = socket(cur_family, SOCK_DGRAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len))
			die("udp loop");
		close(fd);
		fd = socket(cur_family, SOCK_STREAM, 0);
		if (fd < 0)
			die("tcp loop");
		if (connect(fd, (struct sockaddr *)&ss2, len) == 0 ||
		    errno != ECONNREFUSED)
			die("tcp loop: not refused");
		close(fd);
		n++;
	}
	printf("LOOPS %ld\n", n);
}

/* race: two threads released at once onto one connect() */
static struct sockaddr_storage race_ss;
static socklen_t race_len;
static int race_ready, race_go;

static void *race_thread(void *arg)
{
	int *err = arg;

	__atomic_add_fetch(&race_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&race_go, __ATOMIC_ACQUIRE))
		;
	*err = connect(cur, (struct sockaddr *)&race_ss, race_len) ? errno : 0;
	return NULL;
}

static void do_race(const char *addr, const char *port)
{
	pthread_t t[2];
	int err[2], i;

	race_len = mkaddr(&race_ss, addr, port);
	race_ready = race_go = 0;
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, race_thread, &err[i]))
			die("pthread_create");
	while (__atomic_load_n(&race_ready, __ATOMIC_ACQUIRE) < 2)
		;
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("RACE %s %s lport=%d\n", err[0] ? errname(err[0]) : "OK",
	       err[1] ? errname(err[1]) : "OK", port_of(cur, 0));
}

/*
 * Waits until each of the K in-progress connects in P has its outcome
 * (writable: connected; error or hang-up: failed), 20 s at most. A socket
 * closed while still connecting has no outcome to record (its close says
 * syn_sent), and under load the loopback's answer can come after a fixed
 * sleep. Returns how many settled.
 */
static int settle(struct pollfd *p, int k)
{
	int i, left = k, t;

	for (t = 0; left && t < 200; t++) {
		if (poll(p, k, 100) < 0)
			break;
		for (i = 0; i < k; i++)
			if (p[i].fd >= 0 && p[i].revents) {
				p[i].fd = -1;
				left--;
			}
	}
	return k - left;
}

/* udpmany, nbmany: sockets kept open until exit */
static void do_many(int n, int tcp, const char *addr, const char *port)
{
	struct pollfd *p = tcp ? calloc(n > 0 ? n : 1, sizeof(*p)) : NULL;
	struct sockaddr_storage ss;
	int i, fd, inprogress = 0;
	socklen_t len;

	if (tcp && !p)
		die("calloc");
	cur_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	len = mkaddr(&ss, addr, port);
	for (i = 0; i < n; i++) {
		fd = socket(cur_family, tcp ? SOCK_STREAM | SOCK_NONBLOCK :
				SOCK_DGRAM, 0);
		if (fd < 0)
			break;
		if (!tcp) {
			if (bind(fd, (struct sockaddr *)&ss, len))
				break;
		} else if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
			continue;
		} else if (errno == EINPROGRESS) {
			p[inprogress].fd = fd;
			p[inprogress++].events = POLLOUT;
		} else {
			break;
		}
	}
	if (tcp)
		printf("NBMANY %d inprogress=%d settled=%d\n", i, inprogress,
		       settle(p, inprogress));
	else
		printf("UDPMANY %d\n", i);
	free(p);
}

static void do_write(const char *path, const char *val)
{
	int fd = -1, t, err = 0;

	for (t = 0; t < 1000000 && fd < 0; t++)
		fd = open(path, O_WRONLY);
	if (fd < 0)
		for (t = 0; t < 1000 && fd < 0; t++) {
			usleep(10000);
			fd = open(path, O_WRONLY);
		}
	if (fd < 0)
		err = errno;
	else if (write(fd, val, strlen(val)) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	printf("WRITE %s\n", err ? errname(err) : "OK");
}

static char buf[65536];

static void do_waitread(const char *path)
{
	int fd, t;

	for (t = 0; t < 1000000; t++) {
		fd = open(path, O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			if (t > 1000)
				usleep(10000);
			continue;
		}
		if (read(fd, buf, sizeof(buf)) > 0) {
			close(fd);
			break;
		}
		close(fd);
	}
	printf("WAITREAD\n");
}

static void do_readloop(const char *path, const char *file)
{
	static char want[65536];
	long reads = 0, good = 0, empty = 0, bad = 0;
	int fd, wfd = open(file, O_RDONLY);
	ssize_t wn = wfd < 0 ? -1 : read(wfd, want, sizeof(want));
	ssize_t n;

	if (wn <= 0)
		die("readloop: cannot read the expected content");
	close(wfd);
	fd = open(path, O_RDONLY);
	while (fd >= 0) {
		n = pread(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			/* Gone (ENODEV), or unloading: reopen, or stop. */
			close(fd);
			fd = open(path, O_RDONLY);
			continue;
		}
		reads++;
		if (n == wn && !memcmp(buf, want, n))
			good++;
		else if (n == 1 && buf[0] == '\n')
			empty++;
		else if (bad++ < 3)
			fprintf(stderr, "readloop: %zd bytes: %.40s\n", n, buf);
	}
	printf("READLOOP reads=%ld good=%ld empty=%ld bad=%ld\n", reads, good,
	       empty, bad);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	int i = 1, fd, err, skip = 0;
	socklen_t len;

	/* Room for udpmany and nbmany, raised while still root. */
	struct rlimit rl = { 65536, 65536 };

	setrlimit(RLIMIT_NOFILE, &rl);
	if (argc > 2 && !strcmp(argv[1], "-u")) {
		int uid = atoi(argv[2]);

		if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
			die("cannot drop privileges");
		i = 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);	/* a test that goes wrong must not hang the guest */
	memset(buf, 'x', sizeof(buf));
	for (; i < argc; i++) {
		const char *s = argv[i];
		int more = argc - i - 1;

		if (skip)
			break;
		if (!strcmp(s, "udplite4")) {
			skip = !new_sock_proto(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
		} else if (!strcmp(s, "udplite6")) {
			skip = !new_sock_proto(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
		} else if (!strcmp(s, "mptcp4")) {
			skip = !new_sock_proto(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
		} else if (!strcmp(s, "mptcp6")) {
			skip = !new_sock_proto(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP);
		} else if (!strcmp(s, "sctp4")) {
			skip = !new_sock_proto(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
		} else if (!strcmp(s, "sctp6")) {
			skip = !new_sock_proto(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
		} else if (!strcmp(s, "listenq") && more >= 1) {
			if (listen(cur, atoi(argv[++i])))
				printf("LISTEN %s\n", errname(errno));
			else
				printf("LISTEN OK lport=%d\n", port_of(cur, 0));
		} else if (!strcmp(s, "blockaccept") && more >= 1) {
			do_block(atoi(argv[++i]), 0);
		} else if (!strcmp(s, "blockconnect") && more >= 3) {
			blk_len = mkaddr(&blk_ss, argv[i + 2], argv[i + 3]);
			do_block(atoi(argv[i + 1]), 1);
			i += 3;
		} else if (!strcmp(s, "alarm") && more >= 1) {
			alarm(atoi(argv[++i]));
			printf("ALARM\n");
		} else if (!strcmp(s, "fastopen") && more >= 3) {
			len = mkaddr(&ss, argv[i + 1], argv[i + 2]);
			err = sendto(cur, buf, atoi(argv[i + 3]), MSG_FASTOPEN,
				     (struct sockaddr *)&ss, len);
			i += 3;
			if (err < 0)
				printf("FASTOPEN %s\n", errname(errno));
			else
				printf("FASTOPEN %d\n", err);
		} else if (!strcmp(s, "ping4") && more >= 1) {
			do_ping(AF_INET, argv[++i]);
		} else if (!strcmp(s, "ping6") && more >= 1) {
			do_ping(AF_INET6, argv[++i]);
		} else if (!strcmp(s, "udpscan") && more >= 3) {
			int base = atoi(argv[i + 2]), n = atoi(argv[i + 3]), k, sent = 0;
			char port[16];

			for (k = 0; k < n; k++) {
				snprintf(port, sizeof(port), "%d", base + k);
				len = mkaddr(&ss, argv[i + 1], port);
				if (sendto(cur, buf, 1, 0, (struct sockaddr *)&ss, len) == 1)
					sent++;
			}
			i += 3;
			printf("UDPSCAN %d\n", sent);
		} else if (!strcmp(s, "ubind") && more >= 2) {
			len = mkaddr(&ss, argv[i + 1], argv[i + 2]);
			i += 2;
			err = uring_op(URING_OP_BIND, cur, &ss, len);
			if (err < 0)
				printf("UBIND %s\n", errname(-err));
			else
				printf("UBIND OK lport=%d\n", port_of(cur, 0));
		} else if (!strcmp(s, "ulisten")) {
			err = uring_op(URING_OP_LISTEN, cur, NULL, 16);
			if (err < 0)
				printf("ULISTEN %s\n", errname(-err));
			else
				printf("ULISTEN OK lport=%d\n", port_of(cur, 0));
		} else if (!strcmp(s, "tcp4")) {
			new_sock(AF_INET, SOCK_STREAM);
		} else if (!strcmp(s, "tcp6")) {
			new_sock(AF_INET6, SOCK_STREAM);
		} else if (!strcmp(s, "udp4")) {
			new_sock(AF_INET, SOCK_DGRAM);
		} else if (!strcmp(s, "udp6")) {
			new_sock(AF_INET6, SOCK_DGRAM);
		} else if (!strcmp(s, "nb")) {
			fcntl(cur, F_SETFL, fcntl(cur, F_GETFL) | O_NONBLOCK);
			printf("NB\n");
		} else if (!strcmp(s, "bind") && more >= 2) {
			len = mkaddr(&ss, argv[i + 1], argv[i + 2]);
			i += 2;
			if (bind(cur, (struct sockaddr *)&ss, len))
				printf("BIND %s\n", errname(errno));
			else
				printf("BIND OK lport=%d\n", port_of(cur, 0));
		} else if (!strcmp(s, "listen")) {
			if (listen(cur, 128))
				printf("LISTEN %s\n", errname(errno));
			else
				printf("LISTEN OK lport=%d\n", port_of(cur, 0));
		} else if (!strcmp(s, "connect") && more >= 2) {
			len = mkaddr(&ss, argv[i + 1], argv[i + 2]);
			i += 2;
			err = connect(cur, (struct sockaddr *)&ss, len) ? errno : 0;
			printf("CONNECT %s lport=%d\n", err ? errname(err) : "OK",
			       port_of(cur, 0));
		} else if (!strcmp(s, "wait")) {
			struct pollfd p = { .fd = cur, .events = POLLOUT };

			len = sizeof(err);
			if (poll(&p, 1, 5000) != 1)
				printf("WAIT TIMEOUT\n");
			else if (getsockopt(cur, SOL_SOCKET, SO_ERROR, &err, &len))
				printf("WAIT %s\n", errname(errno));
			else
				printf("WAIT %s\n", err ? errname(err) : "OK");
		} else if (!strcmp(s, "accept")) {
			fd = accept(cur, NULL, NULL);
			if (fd < 0) {
				printf("ACCEPT %s\n", errname(errno));
				continue;
			}
			add_sock(fd);
			printf("ACCEPT OK lport=%d rport=%d\n", port_of(fd, 0),
			       port_of(fd, 1));
		} else if (!strcmp(s, "send") && more >= 1) {
			long n = atol(argv[++i]), done = 0, k;

			while (done < n) {
				k = n - done > (long)sizeof(buf) ? (long)sizeof(buf) : n - done;
				k = send(cur, buf, k, MSG_NOSIGNAL);
				if (k <= 0)
					break;
				done += k;
			}
			printf("SENT %ld\n", done);
		} else if (!strcmp(s, "recv") && more >= 1) {
			long n = atol(argv[++i]), done = 0, k;

			while (done < n) {
				k = n - done > (long)sizeof(buf) ? (long)sizeof(buf) : n - done;
				k = recv(cur, buf, k, 0);
				if (k <= 0)
					break;
				done += k;
			}
			printf("RECV %ld\n", done);
		} else if (!strcmp(s, "recveof")) {
			long done = 0, k;

			while ((k = recv(cur, buf, sizeof(buf), 0)) > 0)
				done += k;
			printf("RECV %ld\n", done);
		} else if (!strcmp(s, "sendto") && more >= 3) {
			len = mkaddr(&ss, argv[i + 1], argv[i + 2]);
			err = sendto(cur, buf, atoi(argv[i + 3]), 0,
				     (struct sockaddr *)&ss, len);
			i += 3;
			printf("SENTTO %d\n", err);
		} else if (!strcmp(s, "shutdown")) {
			shutdown(cur, SHUT_WR);
			printf("SHUTDOWN\n");
		} else if (!strcmp(s, "close")) {
			close(cur);
			printf("CLOSE\n");
		} else if (!strcmp(s, "use") && more >= 1) {
			int n = atoi(argv[++i]);

			if (n < 1 || n > nsocks)
				die("no such socket");
			cur = socks[n - 1];
			cur_family = family_of(cur);
			printf("USE %d\n", cur);
		} else if (!strcmp(s, "waitfile") && more >= 1) {
			struct stat st;
			int t;

			for (t = 0; t < 1000 && stat(argv[i + 1], &st); t++)
				usleep(10000);
			i++;
			printf("WAITFILE\n");
		} else if (!strcmp(s, "touch") && more >= 1) {
			fd = open(argv[++i], O_CREAT | O_WRONLY, 0666);
			if (fd >= 0)
				close(fd);
			printf("TOUCH\n");
		} else if (!strcmp(s, "sleep") && more >= 1) {
			usleep(atoi(argv[++i]) * 1000);
			printf("SLEPT\n");
		} else if (!strcmp(s, "pid")) {
			printf("PID %d\n", getpid());
		} else if (!strcmp(s, "loop") && more >= 3) {
			do_loop(atoi(argv[i + 1]), argv[i + 2], argv[i + 3]);
			i += 3;
		} else if (!strcmp(s, "race") && more >= 2) {
			do_race(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(s, "udpmany") && more >= 2) {
			do_many(atoi(argv[i + 1]), 0, argv[i + 2], "0");
			i += 2;
		} else if (!strcmp(s, "nbmany") && more >= 3) {
			do_many(atoi(argv[i + 1]), 1, argv[i + 2], argv[i + 3]);
			i += 3;
		} else if (!strcmp(s, "write") && more >= 2) {
			do_write(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(s, "waitread") && more >= 1) {
			do_waitread(argv[++i]);
		} else if (!strcmp(s, "readloop") && more >= 2) {
			do_readloop(argv[i + 1], argv[i + 2]);
			i += 2;
		} else {
			fprintf(stderr, "netctl: bad step '%s'\n", s);
			return 1;
		}
	}
	return 0;
}
