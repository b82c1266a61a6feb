// SPDX-License-Identifier: GPL-2.0-only
/*
 * akl-journald: copies every /dev/secure_log record to the systemd journal,
 * one entry per record with a field per record field, resuming after a
 * restart where the journal ends (no record lost, none written twice).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "record.h"

#define IDENT		"activity_klog"
#define MAX_FIELDS	1024
/* Journal names and fixed fields of one entry, besides the values. */
#define NAMES_SIZE	(MAX_FIELDS * (AKL_JNAME_MAX + 2))
#define SYNC_TIMEOUT_MS	10000

static const char *dev_path = "/dev/secure_log";
static volatile sig_atomic_t stop_sig;
static int journal_stream;	/* stderr goes to the journal: use <N> */

static char line[AKL_LINE_MAX + 1];
/*
 * What one read() gave: a buffer larger than a line gets as many whole
 * records as fit, one system call for many records under load.
 */
static char rbuf[4 * AKL_LINE_MAX];
static size_t rpos, rlen;
static char decoded[AKL_LINE_MAX + 1];
static struct akl_field fields[MAX_FIELDS];
static struct iovec iov[MAX_FIELDS + 8];
/* The entry's "NAME=value" fields: the line twice at most, and the names. */
static char arena[2 * AKL_LINE_MAX + NAMES_SIZE + 256];

static void msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (journal_stream)
		fprintf(stderr, "<%d>", prio);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Does field F hold exactly the C string S? */
static int val_is(const struct akl_field *f, const char *s)
{
	return f && f->val_len == strlen(s) && !memcmp(f->val, s, f->val_len);
}

/* Notice for what a reader should not miss: refused execs, losses. */
static int record_priority(const struct akl_field *f, int n)
{
	const struct akl_field *type = akl_find(f, n, "type");

	if (val_is(type, "lost") || val_is(type, "overrun"))
		return LOG_NOTICE;
	if (val_is(type, "exec") && !val_is(akl_find(f, n, "result"), "ok"))
		return LOG_NOTICE;
	return LOG_INFO;
}

/*
 * Sends the record in line[0..len) as one journal entry. A record that does
 * not parse is still sent whole, with the fields read before the error and
 * AKL_PARSE_ERROR. Retries until journald takes it (or a signal stops us).
 * Each field is one "NAME=value" iovec; the value may hold any byte: the
 * explicit lengths keep NULs and newlines (journald stores them as binary).
 */
static int forward(size_t len)
{
	const char *err;
	char *a = arena;
	int i, n, ni = 0, ret, warned = 0;

	if (akl_parse(line, len, decoded, fields, MAX_FIELDS, &n, &err) < 0) {
		msg(LOG_WARNING, "akl-journald: malformed record (%s): %.200s",
		    err, line);
		a += sprintf(a, "AKL_PARSE_ERROR=%s", err);
		iov[ni++] = (struct iovec){ arena, a - arena };
	}
	if (len && line[len - 1] == '\n')
		len--;
	iov[ni].iov_base = a;
	a = mempcpy(a, "MESSAGE=", 8);
	a = mempcpy(a, line, len);
	iov[ni].iov_len = a - (char *)iov[ni].iov_base;
	ni++;
	iov[ni++] = (struct iovec){ "SYSLOG_IDENTIFIER=" IDENT,
				    sizeof("SYSLOG_IDENTIFIER=" IDENT) - 1 };
	iov[ni++] = (struct iovec){ "SYSLOG_FACILITY=10",
				    sizeof("SYSLOG_FACILITY=10") - 1 };
	iov[ni].iov_base = a;
	a += sprintf(a, "PRIORITY=%d", record_priority(fields, n));
	iov[ni].iov_len = a - (char *)iov[ni].iov_base;
	ni++;
	for (i = 0; i < n; i++) {
		iov[ni].iov_base = a;
		a += akl_journal_name(fields[i].key, fields[i].key_len, a);
		*a++ = '=';
		a = mempcpy(a, fields[i].val, fields[i].val_len);
		iov[ni].iov_len = a - (char *)iov[ni].iov_base;
		ni++;
	}
	for (;;) {
		ret = sd_journal_sendv(iov, ni);
		if (ret >= 0)
			break;
		if (!warned++)
			msg(LOG_ERR, "akl-journald: journal refused a record (%s), retrying",
			    strerror(-ret));
		if (stop_sig)
			return -1;
		sleep_ms(200);
	}
	if (warned)
		msg(LOG_NOTICE, "akl-journald: journal takes records again");
	return 0;
}

/* Value of FIELD ("NAME") in the current entry of J as a number. */
static int entry_u64(sd_journal *j, const char *field, uint64_t *v)
{
	const void *d;
	size_t l, nl = strlen(field) + 1;

	if (sd_journal_get_data(j, field, &d, &l) < 0 || l <= nl)
		return -1;
	return akl_parse_u64((const char *)d + nl, l - nl, v);
}

static int entry_load(sd_journal *j, char *load, size_t size)
{
	const void *d;
	size_t l, nl = sizeof("AKL_LOAD=") - 1;

	if (sd_journal_get_data(j, "AKL_LOAD", &d, &l) < 0 || l <= nl ||
	    l - nl >= size)
		return -1;
	memcpy(load, (const char *)d + nl, l - nl);
	load[l - nl] = '\0';
	return 0;
}

/*
 * Entries a previous instance sent just before it died may still wait in
 * journald's socket. Send a marker and wait until the journal shows it:
 * journald reads its socket in order, so everything sent before is then
 * in the journal too. Returns 0 when seen, -1 after SYNC_TIMEOUT_MS.
 */
static int journal_sync(sd_journal *j)
{
	char mark[64], match[96];
	uint64_t r[2];
	int waited = 0, ret;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		r[0] = getpid(), r[1] = time(NULL);
	snprintf(mark, sizeof(mark), "%016" PRIx64 "%016" PRIx64, r[0], r[1]);
	ret = sd_journal_send("MESSAGE=akl-journald: starting, looking for the last record forwarded",
			      "SYSLOG_IDENTIFIER=akl-journald",
			      "PRIORITY=%d", LOG_INFO,
			      "AKL_JOURNALD_MARK=%s", mark, NULL);
	if (ret < 0) {
		msg(LOG_WARNING, "akl-journald: cannot write to the journal: %s",
		    strerror(-ret));
		return -1;
	}
	snprintf(match, sizeof(match), "AKL_JOURNALD_MARK=%s", mark);
	if (sd_journal_add_match(j, match, 0) < 0)
		return -1;
	while (waited < SYNC_TIMEOUT_MS && !stop_sig) {
		sd_journal_seek_tail(j);
		if (sd_journal_previous(j) > 0) {
			sd_journal_flush_matches(j);
			return 0;
		}
		sd_journal_wait(j, 200000);
		waited += 200;
	}
	sd_journal_flush_matches(j);
	return -1;
}

/*
 * The load id and sequence number of the last record this service wrote
 * to the journal. Returns 0 if found, -1 if not.
 */
static int last_forwarded(char *load, size_t size, uint64_t *seq)
{
	sd_journal *j;
	int ret, i, found = -1;

	ret = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (ret < 0) {
		msg(LOG_WARNING, "akl-journald: cannot open the journal: %s",
		    strerror(-ret));
		return -1;
	}
	if (journal_sync(j) < 0)
		msg(LOG_WARNING, "akl-journald: the journal does not show what we write (Storage=none?): records already forwarded may be forwarded again");
	sd_journal_add_match(j, "SYSLOG_IDENTIFIER=" IDENT, 0);
	sd_journal_seek_tail(j);
	/* Skip (a few) entries of ours without a seq: malformed records. */
	for (i = 0; i < 1000 && sd_journal_previous(j) > 0; i++) {
		if (entry_load(j, load, size) == 0 &&
		    entry_u64(j, "AKL_SEQ", seq) == 0) {
			found = 0;
			break;
		}
	}
	sd_journal_close(j);
	return found;
}

/* The next record of rbuf into line[]: its length, or 0 if none is left. */
static ssize_t next_buffered(void)
{
	char *nl;
	size_t n;

	if (rpos >= rlen)
		return 0;
	nl = memchr(rbuf + rpos, '\n', rlen - rpos);
	n = (nl ? (size_t)(nl - rbuf) + 1 : rlen) - rpos;
	if (n > AKL_LINE_MAX)
		n = AKL_LINE_MAX;
	memcpy(line, rbuf + rpos, n);
	line[n] = '\0';
	rpos += n;
	return n;
}

/* Goes to record SEQ, forgetting the records read ahead. */
static int resume_at(int fd, uint64_t seq)
{
	rpos = rlen = 0;
	return lseek(fd, (off_t)seq, SEEK_SET) < 0 ? -1 : 0;
}

/* Reads one record into line[]: its length, 0 on a stop signal, -1 on error. */
static ssize_t read_record(int fd, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	n = next_buffered();
	if (n)
		return n;
	for (;;) {
		if (stop_sig)
			return 0;
		/* Signals are blocked except while waiting here: no race. */
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			msg(LOG_ERR, "akl-journald: poll %s: %s", dev_path,
			    strerror(errno));
			return -1;
		}
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			msg(LOG_ERR, "akl-journald: %s: device error or hang-up",
			    dev_path);
			return -1;
		}
		n = read(fd, rbuf, sizeof(rbuf));
		if (n > 0) {
			rpos = 0;
			rlen = n;
			return next_buffered();
		}
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		msg(LOG_ERR, "akl-journald: read %s: %s", dev_path,
		    n ? strerror(errno) : "end of file");
		return -1;
	}
}

/* The load and seq fields of the record in line[]: 0, or -1 if absent. */
static int line_fields(ssize_t len, char *load, size_t size, uint64_t *seq)
{
	return akl_load_seq(line, len, decoded, fields, MAX_FIELDS, load, size,
			    seq);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: akl-journald [-d DEVICE]\n"
		"Copies every record of /dev/secure_log to the systemd journal,\n"
		"resuming after the last record the journal holds.\n");
}

int main(int argc, char **argv)
{
	char jload[32], dload[32];
	uint64_t jseq = 0, dseq, nfwd = 0;
	int fd, opt, have_last, pending = 0;
	sigset_t block, waitmask;
	struct sigaction sa;
	ssize_t len;

	while ((opt = getopt(argc, argv, "d:h")) != -1) {
		switch (opt) {
		case 'd':
			dev_path = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	journal_stream = getenv("JOURNAL_STREAM") != NULL;
	setvbuf(stderr, NULL, _IOLBF, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: interrupt the wait */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGHUP);

	fd = open(dev_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg(LOG_ERR, "akl-journald: cannot open %s: %s%s", dev_path,
		    strerror(errno),
		    errno == ENOENT ? " (is the activity_klog module loaded?)" : "");
		return 1;
	}
	have_last = last_forwarded(jload, sizeof(jload), &jseq) == 0;

	/* The oldest record held tells the current load. */
	len = read_record(fd, &waitmask);
	if (len <= 0)
		goto out;
	if (line_fields(len, dload, sizeof(dload), &dseq) < 0) {
		msg(LOG_ERR, "akl-journald: no seq/load in the first record: %.200s",
		    line);
		len = -1;
		goto out;
	}
	if (!have_last) {
		msg(LOG_INFO, "akl-journald: no record of ours in the journal: starting at the oldest record held, load %s seq %" PRIu64,
		    dload, dseq);
		pending = 1;
	} else if (strcmp(jload, dload)) {
		msg(LOG_INFO, "akl-journald: last record forwarded is load %s seq %" PRIu64 ", the module is now load %s: starting at its oldest record, seq %" PRIu64,
		    jload, jseq, dload, dseq);
		pending = 1;
	} else if (resume_at(fd, jseq + 1) < 0) {
		msg(LOG_WARNING, "akl-journald: cannot resume at load %s seq %" PRIu64 " (%s): starting at the oldest record held, seq %" PRIu64,
		    jload, jseq + 1, strerror(errno), dseq);
		pending = 1;
	} else {
		msg(LOG_INFO, "akl-journald: resuming load %s at seq %" PRIu64 "%s",
		    jload, jseq + 1, jseq + 1 < dseq ?
		    " (older than the oldest record held: an overrun record follows)" : "");
	}

	for (;;) {
		if (!pending) {
			len = read_record(fd, &waitmask);
			if (len <= 0)
				break;
		}
		pending = 0;
		if (forward(len) < 0)
			break;
		nfwd++;
	}
out:
	close(fd);
	if (stop_sig) {
		msg(LOG_INFO, "akl-journald: stopping on signal %d after %" PRIu64 " records",
		    (int)stop_sig, nfwd);
		return 0;
	}
	msg(LOG_ERR, "akl-journald: exiting after %" PRIu64 " records: cannot read %s (module unloaded?)",
	    nfwd, dev_path);
	return 1;
}
