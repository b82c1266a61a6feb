// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest check of akl-journald: compares what the journal holds
 * (journalctl -o export, binary-safe) with what /dev/secure_log holds.
 * Usage: jcheck NAME [-z] [-o] [-x] [-d SEQ]
 *   -z  the journal must start at seq 0 of the current load
 *   -d  seq SEQ may be there twice (systemd-journal-upload 252 sends again
 *       the entry at its saved cursor after a restart; nothing else may be)
 *   -o  an overrun record must have been forwarded
 *   -x  values with a newline, a quote, a backslash and UTF-8 must be there
 * Checks, for the module's current load: every journal entry's AKL_* fields
 * are exactly its MESSAGE's fields decoded, PRIORITY is right, the entries
 * cover the seqs from the first to the last exactly once (an overrun record
 * covers first_missed..seq), and each record still in the ring is in the
 * journal with the same line. Prints "@@RESULT pass|fail NAME ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define MAXREC 200000

struct jfield {
	char *name;
	char *val;
	size_t len;
};

struct entry {
	struct jfield *f;
	int nf;
	uint64_t seq, first;	/* covers first..seq */
	int overrun;
};

static const char *name;
static char *ring[MAXREC];	/* lines by seq - ring_first */
static uint64_t ring_first, ring_n;
static char load[32];
static struct entry *ents;
static int nents;

static void result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("@@RESULT %s %s ", ok ? "pass" : "fail", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(ok ? 0 : 1);
}

static void read_ring(void)
{
	static char buf[AKL_LINE_MAX + 1], out[AKL_LINE_MAX];
	struct akl_field f[256];
	const struct akl_field *s, *l, *t;
	uint64_t seq;
	ssize_t n;
	int fd, nf;

	fd = open("/dev/secure_log", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		result(0, "open /dev/secure_log: %s", strerror(errno));
	while ((n = read(fd, buf, AKL_LINE_MAX)) > 0) {
		buf[n] = '\0';
		nf = akl_parse(buf, n, out, f, 256, NULL, NULL);
		s = nf > 0 ? akl_find(f, nf, "seq") : NULL;
		l = nf > 0 ? akl_find(f, nf, "load") : NULL;
		if (!s || !l || akl_parse_u64(s->val, s->val_len, &seq))
			result(0, "ring record does not parse: %.100s", buf);
		t = akl_find(f, nf, "type");
		if (t && t->val_len == 7 && !memcmp(t->val, "overrun", 7)) {
			/* Writers overtook this snapshot: start it again. */
			while (ring_n)
				free(ring[--ring_n]);
			continue;
		}
		if (!ring_n) {
			ring_first = seq;
			snprintf(load, sizeof(load), "%.*s", (int)l->val_len, l->val);
		}
		if (seq != ring_first + ring_n || ring_n == MAXREC)
			result(0, "ring seq %" PRIu64 " after %" PRIu64, seq,
			       ring_first + ring_n);
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		ring[ring_n++] = strdup(buf);
	}
	if (n < 0 && errno != EAGAIN)
		result(0, "read /dev/secure_log: %s", strerror(errno));
	close(fd);
	if (!ring_n)
		result(0, "the ring is empty");
}

/*
 * Reads all of `journalctl -o export` for our load into ents[]. The
 * journal read is the local one, or the files JCHECK_JOURNAL (a path)
 * names: what systemd-journal-remote received.
 */
static void read_journal(void)
{
	const char *file = getenv("JCHECK_JOURNAL");
	char cmd[512], *data = NULL, *p, *end, *nl;
	size_t cap = 0, len = 0, r;
	struct entry *e = NULL;
	FILE *f;
	int i;

	for (i = 0; i < nents; i++)
		free(ents[i].f);
	free(ents);
	ents = NULL;
	nents = 0;
	snprintf(cmd, sizeof(cmd),
		 "journalctl -q -o export %s%s SYSLOG_IDENTIFIER=activity_klog AKL_LOAD=%s",
		 file ? "--file=" : "", file ? file : "", load);
	f = popen(cmd, "r");
	if (!f)
		result(0, "popen journalctl: %s", strerror(errno));
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			data = realloc(data, cap);
		}
		r = fread(data + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	if (pclose(f))
		result(0, "journalctl failed");
	p = data;
	end = data + len;
	while (p < end) {
		if (*p == '\n') {	/* end of entry */
			e = NULL;
			p++;
			continue;
		}
		if (!e) {
			ents = realloc(ents, (nents + 1) * sizeof(*ents));
			e = &ents[nents++];
			memset(e, 0, sizeof(*e));
		}
		nl = memchr(p, '\n', end - p);
		if (!nl)
			result(0, "truncated export output");
		e->f = realloc(e->f, (e->nf + 1) * sizeof(*e->f));
		{
			struct jfield *jf = &e->f[e->nf++];
			char *eq = memchr(p, '=', nl - p);

			if (eq) {	/* NAME=text\n */
				jf->name = strndup(p, eq - p);
				jf->val = eq + 1;
				jf->len = nl - eq - 1;
				p = nl + 1;
			} else {	/* NAME\n le64 data\n */
				uint64_t l = 0;

				jf->name = strndup(p, nl - p);
				p = nl + 1;
				if (end - p < 8)
					result(0, "truncated binary field");
				for (i = 7; i >= 0; i--)
					l = l << 8 | (unsigned char)p[i];
				p += 8;
				if ((uint64_t)(end - p) < l + 1)
					result(0, "truncated binary field");
				jf->val = p;
				jf->len = l;
				p += l + 1;
			}
		}
	}
	/* data stays allocated: entries point into it */
}

static const struct jfield *jget(const struct entry *e, const char *n)
{
	int i;

	for (i = 0; i < e->nf; i++)
		if (!strcmp(e->f[i].name, n))
			return &e->f[i];
	return NULL;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int has(const struct jfield *f, const char *s, size_t n)
{
	return f && memmem(f->val, f->len, s, n);
}

int main(int argc, char **argv)
{
	static char msg[AKL_LINE_MAX + 1], out[AKL_LINE_MAX];
	int want_zero = 0, want_overrun = 0, want_x = 0, tries, i, j, n;
	int noverrun = 0, nnotice = 0, x_nl = 0, x_q = 0, x_bs = 0, x_utf = 0;
	struct akl_field f[1024];
	uint64_t last, seq, expect;
	char jn[AKL_JNAME_MAX + 1];
	int compared = 0, dup_ok = 0;
	uint64_t dup_seq = 0;


	if (argc < 2)
		return 2;
	name = argv[1];
	for (i = 2; i < argc; i++) {
		want_zero |= !strcmp(argv[i], "-z");
		want_overrun |= !strcmp(argv[i], "-o");
		want_x |= !strcmp(argv[i], "-x");
		if (!strcmp(argv[i], "-d") && i + 1 < argc &&
		    !akl_parse_u64(argv[i + 1], strlen(argv[i + 1]), &dup_seq))
			dup_ok = 1, i++;
	}
	read_ring();
	last = ring_first + ring_n - 1;

	/* Wait for the journal to hold the ring's last record. */
	for (tries = 0;; tries++) {
		uint64_t max = 0;
		int found = 0;

		read_journal();
		for (i = 0; i < nents; i++) {
			const struct jfield *s = jget(&ents[i], "AKL_SEQ");

			if (s && !akl_parse_u64(s->val, s->len, &seq) &&
			    (!found || seq > max)) {
				max = seq;
				found = 1;
			}
		}
		if (found && max >= last)
			break;
		if (tries == 120)
			result(0, "after 60 s the journal ends at seq %" PRIu64
			       " (%d entries), the ring at %" PRIu64, max, nents,
			       last);
		usleep(500000);
	}

	for (i = 0; i < nents; i++) {
		struct entry *e = &ents[i];
		const struct jfield *m = jget(e, "MESSAGE");
		const struct jfield *pr = jget(e, "PRIORITY");
		const struct akl_field *t, *r;
		int nakl = 0, prio;

		if (!m || m->len > AKL_LINE_MAX)
			result(0, "entry %d without MESSAGE", i);
		memcpy(msg, m->val, m->len);
		msg[m->len] = '\0';
		n = akl_parse(msg, m->len, out, f, 1024, NULL, NULL);
		if (n < 3 || jget(e, "AKL_PARSE_ERROR"))
			result(0, "MESSAGE does not parse: %.200s", msg);
		for (j = 0; j < e->nf; j++)
			nakl += !strncmp(e->f[j].name, "AKL_", 4);
		if (nakl != n)
			result(0, "%d AKL_ fields for %d record fields: %.200s",
			       nakl, n, msg);
		for (j = 0; j < n; j++) {
			const struct jfield *jf;

			akl_journal_name(f[j].key, f[j].key_len, jn);
			jf = jget(e, jn);
			if (!jf || jf->len != f[j].val_len ||
			    memcmp(jf->val, f[j].val, jf->len))
				result(0, "%s differs from the MESSAGE's: %.200s",
				       jn, msg);
			if (!strcmp(jn, "AKL_ARGV")) {
				x_nl |= has(jf, "\n", 1);
				x_q |= has(jf, "\"", 1);
				x_bs |= has(jf, "\\", 1);
				x_utf |= has(jf, "\xc3\xa9", 2);
			}
		}
		t = akl_find(f, n, "type");
		r = akl_find(f, n, "result");
		prio = 6;
		if (t && ((t->val_len == 4 && !memcmp(t->val, "lost", 4)) ||
			  (t->val_len == 7 && !memcmp(t->val, "overrun", 7))))
			prio = 5;
		if (t && t->val_len == 4 && !memcmp(t->val, "exec", 4) &&
		    !(r && r->val_len == 2 && !memcmp(r->val, "ok", 2)))
			prio = 5;
		nnotice += prio == 5;
		if (!pr || pr->len != 1 || pr->val[0] != '0' + prio)
			result(0, "PRIORITY is not %d: %.200s", prio, msg);
		if (!jget(e, "SYSLOG_IDENTIFIER"))
			result(0, "no SYSLOG_IDENTIFIER");
		akl_parse_u64(akl_find(f, n, "seq")->val,
			  akl_find(f, n, "seq")->val_len, &e->seq);
		e->first = e->seq;
		if (t && t->val_len == 7 && !memcmp(t->val, "overrun", 7)) {
			const struct akl_field *fm = akl_find(f, n, "first_missed");

			if (!fm || akl_parse_u64(fm->val, fm->val_len, &e->first) ||
			    e->first > e->seq)
				result(0, "bad overrun record: %s", msg);
			e->overrun = 1;
			noverrun++;
		}
	}
	/* Coverage: each seq from the first to the last exactly once. */
	qsort(ents, nents, sizeof(*ents), cmp_ent);
	expect = ents[0].first;
	if (want_zero && expect != 0)
		result(0, "the journal starts at seq %" PRIu64 ", not 0", expect);
	for (i = 0; i < nents; i++) {
		if (ents[i].first < expect && dup_ok == 1 &&
		    ents[i].first == dup_seq && ents[i].seq == dup_seq) {
			dup_ok = 2;	/* once */
			continue;
		}
		if (ents[i].first < expect)
			result(0, "seq %" PRIu64 " is in the journal twice (%d entries)",
			       ents[i].first, nents);
		if (ents[i].first > expect)
			result(0, "seqs %" PRIu64 "..%" PRIu64 " missing from the journal",
			       expect, ents[i].first - 1);
		expect = ents[i].seq + 1;
	}
	/* Each ring record in the journal's range is there, unchanged. */
	for (i = 0; i < nents; i++) {
		if (ents[i].seq < ring_first || ents[i].seq > last)
			continue;
		if (ents[i].overrun)
			result(0, "overrun record over seq %" PRIu64 " still held in the ring",
			       ents[i].seq);
		{
			const struct jfield *m = jget(&ents[i], "MESSAGE");
			const char *rl = ring[ents[i].seq - ring_first];

			if (m->len != strlen(rl) || memcmp(m->val, rl, m->len))
				result(0, "seq %" PRIu64 ": journal and ring differ",
				       ents[i].seq);
		}
		compared++;
	}
	if (want_overrun && !noverrun)
		result(0, "no overrun record in the journal");
	if (want_x && !(x_nl && x_q && x_bs && x_utf))
		result(0, "decoded argv lacks newline %d quote %d backslash %d utf8 %d",
		       x_nl, x_q, x_bs, x_utf);
	result(1, "load %s: %d entries cover seq %" PRIu64 "..%" PRIu64
	       " once each (%d overrun, %d notice); %d compared with the ring (%" PRIu64 "..%" PRIu64 ")",
	       load, nents, ents[0].first, expect - 1, noverrun, nnotice,
	       compared, ring_first, last);
	return 0;
}
