// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_record.c - unit tests of module/record.c: binary fields, and the
 * line the reader writes from them
 *
 * Parses lines with the forwarder's parser and checks that whatever bytes
 * go into a field come back out of the line unchanged, and that none can
 * make a second field or a second line.
 */
#include <errno.h>
#include <stdlib.h>

#include "record.h"
#include "../../journald/record.h"
#include "unit.h"

struct field {
	char key[64];
	char val[70000];
	size_t len;
	bool quoted;
};

/*
 * Splits a line with the forwarder's parser (journald/record.c), the one
 * every reader of the tests uses, into copies the checks compare.
 * Returns the number of fields or -1.
 */
static int parse(const char *s, size_t n, struct field *f, int max)
{
	static struct akl_field af[64];
	static char out[AKL_LINE_MAX];
	int nf, i;

	nf = akl_parse(s, n, out, af, max < 64 ? max : 64, NULL, NULL);
	for (i = 0; i < nf; i++) {
		if (af[i].key_len >= sizeof(f[i].key) ||
		    af[i].val_len > sizeof(f[i].val))
			return -1;
		memcpy(f[i].key, af[i].key, af[i].key_len);
		f[i].key[af[i].key_len] = '\0';
		memcpy(f[i].val, af[i].val, af[i].val_len);
		f[i].len = af[i].val_len;
		f[i].quoted = af[i].quoted;
	}
	return nf;
}

static struct field fields[64];
static unsigned char bin[AKL_PAYLOAD_MAX];
static char buf[AKL_LINE_MAX];

/* The line of a record built in @r, as the module's reader writes it. */
static size_t line_of(struct akl_rec *r, size_t size, unsigned int flags)
{
	akl_rec_finish(r);
	return akl_format_fields(buf, size, r->buf, r->len, 0xdeadbeef, flags,
				 NULL);
}

static bool same(size_t n, const char *want)
{
	if (n == strlen(want) && !memcmp(buf, want, n))
		return true;
	fprintf(stderr, "got:  %.*s\nwant: %s\n", (int)n, buf, want);
	return false;
}

static void test_escape_classes(void)
{
	static const char in[] = "a b\"c\\d\n\t\x7f\xc3\xa9=\x01";
	static const char want[] = "path=\"a b\\\"c\\\\d\\x0a\\x09\\x7f\\xc3\\xa9=\\x01\"";
	struct akl_rec r;

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_mem(&r, AKL_K_PATH, in, sizeof(in) - 1, 0);
	result(same(line_of(&r, sizeof(buf), 0), want), "escape-classes",
	       "escaped form differs");

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_mem(&r, AKL_K_ARGV, "x y\0z", 5, AKL_ESC_ARGV);
	result(same(line_of(&r, sizeof(buf), 0), "argv=\"x\\x20y z\""),
	       "escape-argv", "space not escaped or NUL not a separator");
}

static void test_words(void)
{
	struct akl_rec r;
	static const char want[] = "pid=42 event=ab-1.2:/x result=\"a=b\" tty=\"\" errno=-7 execlog=1 klog=\"a b\"";

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_u64(&r, AKL_K_PID, 42);
	akl_rec_word(&r, AKL_K_EVENT, "ab-1.2:/x", 100);
	akl_rec_word(&r, AKL_K_RESULT, "a=b", 100);
	akl_rec_word(&r, AKL_K_TTY, "", 100);
	akl_rec_s64(&r, AKL_K_ERRNO, -7);
	akl_rec_named(&r, "execlog", "1", 10);
	akl_rec_named(&r, "klog", "a b", 10);
	result(same(line_of(&r, sizeof(buf), 0), want), "words",
	       "bare/quoted choice differs");
}

/*
 * Every kind of value, in the lines the module wrote when it formatted
 * records in the writer (printf formats %u, %d, 0x%llx, 0%o, %u:%u,
 * %016llx-%llu, %pI4, %pI6c): the same text from the binary fields.
 */
static void test_kinds(void)
{
	static const char want[] =
		"event=tcp_connect pid=4294967295 errno=-111 exe_cap_p=0x3000 "
		"exe_mode=0100755 exe_dev=8:1 exec_id=00000000deadbeef-7 "
		"parent_exec_id=unknown laddr=10.0.0.1 lport=80 "
		"raddr=2001:db8::1 rport=443 cgroup=18446744073709551615 "
		"raddr=::ffff:127.0.0.1 duration_ms=0";
	unsigned char v4[4] = { 10, 0, 0, 1 };
	unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	unsigned char m6[16] = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 };
	struct akl_rec r;

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_name(&r, AKL_K_EVENT, "tcp_connect");
	akl_rec_u64(&r, AKL_K_PID, 4294967295u);
	akl_rec_s64(&r, AKL_K_ERRNO, -111);
	akl_rec_hex(&r, AKL_K_EXE_CAP_P, 0x3000);
	akl_rec_oct(&r, AKL_K_EXE_MODE, 0100755);
	akl_rec_dev(&r, AKL_K_EXE_DEV, 8, 1);
	akl_rec_exec_id(&r, AKL_K_EXEC_ID, 7);
	akl_rec_exec_id(&r, AKL_K_PARENT_EXEC_ID, 0);
	akl_rec_ip4(&r, AKL_K_LADDR, v4);
	akl_rec_u64(&r, AKL_K_LPORT, 80);
	akl_rec_ip6(&r, AKL_K_RADDR, v6);
	akl_rec_u64(&r, AKL_K_RPORT, 443);
	akl_rec_u64(&r, AKL_K_CGROUP, ~0ULL);
	akl_rec_ip6(&r, AKL_K_RADDR, m6);
	akl_rec_u64(&r, AKL_K_DURATION_MS, 0);
	result(same(line_of(&r, sizeof(buf), 0), want), "kinds",
	       "a kind of value is written differently");
	result(r.len < strlen(want) / 2, "kinds-smaller",
	       "the binary record is not half its text");
}

/* Random bytes in, the same bytes out, one line, the right fields. */
static void test_roundtrip_fuzz(void)
{
	static unsigned char in[3][300];
	size_t len[3], n;
	bool ok = true;
	int iter, j, nf;

	srand(1);
	for (iter = 0; iter < 20000 && ok; iter++) {
		struct akl_rec r;

		akl_rec_init(&r, bin, sizeof(bin), 0);
		akl_rec_u64(&r, AKL_K_PID, iter);
		for (j = 0; j < 3; j++) {
			size_t k;

			len[j] = rand() % 300;
			for (k = 0; k < len[j]; k++)
				in[j][k] = rand() % 4 ? rand() % 256 :
					" =\"\\\n"[rand() % 5];
		}
		akl_rec_mem(&r, AKL_K_PATH, in[0], len[0], 0);
		akl_rec_mem(&r, AKL_K_ARGV, in[1], len[1], AKL_ESC_SPACE);
		akl_rec_word(&r, AKL_K_COMM, (char *)in[2], len[2]);
		n = line_of(&r, sizeof(buf), 0);
		nf = parse(buf, n, fields, 64);
		ok = nf == 4 && !memchr(buf, '\n', n) &&
		     !strcmp(fields[1].key, "path") &&
		     !strcmp(fields[2].key, "argv") &&
		     fields[1].len == len[0] &&
		     !memcmp(fields[1].val, in[0], len[0]) &&
		     fields[2].len == len[1] &&
		     !memcmp(fields[2].val, in[1], len[1]) &&
		     fields[3].len == strnlen((char *)in[2], len[2]) &&
		     !memcmp(fields[3].val, in[2], fields[3].len);
	}
	result(ok, "roundtrip-fuzz", "a field did not survive the round trip");
}

/* Whatever bytes the formatter is given, it writes one parseable line. */
static void test_malformed_fuzz(void)
{
	bool ok = true;
	int iter;

	srand(2);
	for (iter = 0; iter < 20000 && ok; iter++) {
		u32 len = rand() % 200, k;
		size_t size = 16 + rand() % 300, n;
		/* Exactly @size bytes: a write past them is the sanitizer's */
		char *dst = malloc(size);

		for (k = 0; k < len; k++)
			bin[k] = rand() % 3 ? rand() % 256 : rand() % 12;
		n = akl_format_fields(dst, size, bin, len, 1, 0, NULL);
		ok = n <= size && !memchr(dst, '\n', n) &&
		     (!n || parse(dst, n, fields, 64) >= 1);
		free(dst);
	}
	result(ok, "malformed-fuzz", "a line from bad binary is malformed");
}

/*
 * Fields that are written whole (every kind but a quoted string) at every
 * size of the line, into a buffer of exactly that size: the line is the
 * fields that fit strictly, then " trunc=1" if any did not. Numbers are
 * written in place or through a buffer depending on the room left; names
 * copied whole from padded rows or byte by byte: the same line either way.
 */
static void test_fit_every_size(void)
{
	static const u8 ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 ip4[4] = { 192, 168, 1, 254 };
	size_t ends[32], full, size, n, want;
	char whole[1024];
	bool ok = true;
	struct akl_rec r;
	int nf = 0, i;

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_u64(&r, AKL_K_PID, 7);
	akl_rec_u64(&r, AKL_K_BYTES_SENT, 18000000000000000001ULL);
	akl_rec_s64(&r, AKL_K_ERRNO, -4294967296LL);
	akl_rec_hex(&r, AKL_K_EXE_CAP_P, 0x1ffffffffffULL);
	akl_rec_oct(&r, AKL_K_EXE_MODE, 0104755);
	akl_rec_dev(&r, AKL_K_EXE_DEV, 4294967295U, 1000000000);
	akl_rec_ip4(&r, AKL_K_LADDR, ip4);
	akl_rec_ip6(&r, AKL_K_RADDR, ip6);
	akl_rec_exec_id(&r, AKL_K_EXEC_ID, 4294967296ULL);
	akl_rec_name(&r, AKL_K_STATE, "fin_wait1");
	/* A name given with its field: no padded row */
	akl_rec_named(&r, "a_name_given_with_its_field_longer_than_a_row", "v", 2);
	akl_rec_u64(&r, AKL_K_UID, 4294967295U);
	akl_rec_finish(&r);
	full = akl_format_fields(whole, sizeof(whole), r.buf, r.len, 1, 0,
				 NULL);
	for (n = 0; n < full; n++)
		if (!n || whole[n] == ' ')
			ends[nf++] = n;
	ends[nf] = full;
	for (size = 16; size <= full + sizeof(AKL_TRUNC_MARK) + 2 && ok; size++) {
		char *dst = malloc(size);

		/* Field i fits if the line up to its end is < the room. */
		for (i = 0; i < nf && ends[i + 1] <
			    size - (sizeof(AKL_TRUNC_MARK) - 1); i++)
			;
		n = akl_format_fields(dst, size, r.buf, r.len, 1, 0, NULL);
		want = ends[i];
		if (i < nf)
			ok = n == want + (want ? 8 : 7) &&
			     !memcmp(dst, whole, want) &&
			     !memcmp(dst + want, AKL_TRUNC_MARK + !want,
				     n - want);
		else
			ok = n == full && !memcmp(dst, whole, full);
		if (!ok)
			fprintf(stderr, "size %zu: got %.*s\n", size, (int)n, dst);
		free(dst);
	}
	result(ok, "fit-every-size", "a line differs from its whole fields");
}

/*
 * One record of the memo test: fields drawn from few values each, so that
 * consecutive records share some at the same place and not others; some
 * records have a field more or less (the rest shift), some are random
 * bytes. Returns its binary length.
 */
static u32 memo_record(struct akl_rec *r)
{
	static const char *const words[] = { "tcp_connect", "udp_bind", "a b",
					     "", "x\"y", "close" };
	static const u8 ip4[2][4] = { { 127, 0, 0, 1 }, { 10, 1, 2, 3 } };
	static const char path[] = "/usr/bin/with space\n\xff";
	static const u64 nums[] = { 0, 9, 10, 99, 4294967295ULL,
				    4294967296ULL, ~0ULL };
	u32 k;

	if (!(rand() % 40)) {
		u32 len = rand() % 120;

		for (k = 0; k < len; k++)
			bin[k] = rand() % 3 ? rand() % 256 : rand() % 12;
		return len;
	}
	akl_rec_init(r, bin, rand() % 30 ? sizeof(bin) : 40u + rand() % 80, 0);
	akl_rec_word(r, AKL_K_EVENT, words[rand() % 6], 100);
	if (rand() % 8)
		akl_rec_u64(r, AKL_K_PID, nums[rand() % 7] + rand() % 2);
	akl_rec_u64(r, AKL_K_UID, nums[rand() % 7]);
	akl_rec_s64(r, AKL_K_ERRNO, rand() % 2 ? -11 : 0);
	akl_rec_word(r, AKL_K_COMM, words[rand() % 6], 100);
	akl_rec_exec_id(r, AKL_K_EXEC_ID, rand() % 3);
	if (rand() % 5)
		akl_rec_mem(r, AKL_K_EXE, path, rand() % 3 ? sizeof(path) - 1 :
			    rand() % sizeof(path), 0);
	akl_rec_dev(r, AKL_K_EXE_DEV, rand() % 2 ? 8 : 254, 1);
	akl_rec_ip4(r, AKL_K_LADDR, ip4[rand() % 2]);
	akl_rec_u64(r, AKL_K_LPORT, rand() % 3 * 30000);
	if (!(rand() % 10))
		akl_rec_named(r, rand() % 2 ? "klog" : "execlog", "1", 2);
	for (k = rand() % 4 ? 0 : rand() % 60; k; k--)
		akl_rec_u64(r, AKL_K_CGROUP, rand() % 2);
	akl_rec_finish(r);
	return r->len;
}

/*
 * A reader's memo changes no byte of any line: a sequence of records that
 * share fields, at every kind of size, each formatted with the memo and
 * without it into buffers of exactly that size.
 */
static void test_memo_same_text(void)
{
	static struct akl_fmt_memo memo;
	static char plain[4096];
	bool ok = true;
	int iter;

	srand(5);
	for (iter = 0; iter < 200000 && ok; iter++) {
		size_t size = rand() % 4 ? sizeof(plain) : 16u + rand() % 400;
		u64 load = rand() % 50 ? 1 : 2;
		char *dst = malloc(size);
		struct akl_rec r;
		size_t n, m;
		u32 len;

		len = memo_record(&r);
		n = akl_format_fields(plain, size, bin, len, load, 0, NULL);
		m = akl_format_fields(dst, size, bin, len, load, 0, &memo);
		ok = n == m && !memcmp(plain, dst, n);
		if (!ok)
			fprintf(stderr, "record %d (size %zu):\nwith:    %.*s\nwithout: %.*s\n",
				iter, size, (int)m, dst, (int)n, plain);
		free(dst);
	}
	result(ok, "memo-same-text", "a line differs with the memo");
}

/*
 * The memo is used: a field the same as in the last record is copied from
 * its text (changed here to show it), one that differs is formatted.
 */
static void test_memo_used(void)
{
	static struct akl_fmt_memo memo;
	struct akl_rec r;
	size_t n;
	char *c;

	memset(&memo, 0, sizeof(memo));
	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_name(&r, AKL_K_EVENT, "udp_bind");
	akl_rec_u64(&r, AKL_K_PID, 1234);
	akl_rec_word(&r, AKL_K_COMM, "nc", 16);
	akl_rec_finish(&r);
	akl_format_fields(buf, sizeof(buf), r.buf, r.len, 1, 0, &memo);
	c = memchr(memo.text, '4', memo.n ? memo.text_off[memo.n] : 0);
	if (c)
		*c = '5';
	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_name(&r, AKL_K_EVENT, "udp_connect");
	akl_rec_u64(&r, AKL_K_PID, 1234);
	akl_rec_word(&r, AKL_K_COMM, "ncat", 16);
	akl_rec_finish(&r);
	n = akl_format_fields(buf, sizeof(buf), r.buf, r.len, 1, 0, &memo);
	result(c && same(n, "event=udp_connect pid=1235 comm=ncat"),
	       "memo-used", "the memo's text was not used, or used wrongly");
}

/* A record that outgrows its buffer stays parseable and says trunc=1. */
static void test_truncation(void)
{
	static char big[5000];
	bool ok = true;
	u32 size;

	memset(big, '"', sizeof(big));
	/* In the text: the line's room */
	for (size = 40; size < 400 && ok; size++) {
		struct akl_rec r;
		size_t n;
		int nf;

		akl_rec_init(&r, bin, sizeof(bin), 0);
		akl_rec_u64(&r, AKL_K_ARGC, 3);
		akl_rec_mem(&r, AKL_K_ARGV, big, sizeof(big), 0);
		akl_rec_u64(&r, AKL_K_ARGV_FAULT, 1);
		n = line_of(&r, size, 0);
		nf = parse(buf, n, fields, 64);
		ok = n <= size && nf >= 2 &&
		     !strcmp(fields[nf - 1].key, "trunc") &&
		     fields[nf - 1].len == 1 && fields[nf - 1].val[0] == '1' &&
		     strcmp(fields[nf - 2].key, "argv_fault");
	}
	result(ok, "truncation", "truncated record malformed or too long");

	/* In the binary: the writer's buffer */
	for (size = 8; size < 200 && ok; size++) {
		struct akl_rec r;
		size_t n;
		int nf;

		akl_rec_init(&r, bin, size, 0);
		akl_rec_u64(&r, AKL_K_ARGC, 3);
		akl_rec_mem(&r, AKL_K_ARGV, big, sizeof(big), 0);
		akl_rec_u64(&r, AKL_K_ARGV_FAULT, 1);
		akl_rec_finish(&r);
		ok = r.len <= size;
		n = akl_format_fields(buf, sizeof(buf), bin, r.len, 0, 0, NULL);
		nf = parse(buf, n, fields, 64);
		ok = ok && nf >= 1 && !strcmp(fields[nf - 1].key, "trunc") &&
		     (nf < 2 || strcmp(fields[nf - 2].key, "argv_fault"));
	}
	result(ok, "truncation-binary", "truncated binary record malformed");

	{
		struct akl_rec r;

		akl_rec_init(&r, bin, 64, 0);
		akl_rec_u64(&r, AKL_K_ARGC, 1);
		result(same(line_of(&r, 64, 0), "argc=1"), "no-truncation",
		       "a record that fits was marked");
	}
	{
		/* The kernel log's copy: whole fields only */
		struct akl_rec r;

		akl_rec_init(&r, bin, sizeof(bin), 0);
		akl_rec_u64(&r, AKL_K_ARGC, 3);
		akl_rec_mem(&r, AKL_K_ARGV, big, 100, 0);
		result(same(line_of(&r, 64, AKL_FMT_WHOLE), "argc=3 trunc=1"),
		       "truncation-whole", "a field was cut");
	}
}

static void test_names(void)
{
	bool ok = true;
	unsigned int k;

	for (k = 1; k < AKL_NR_KEYS; k++) {
		const char *n = akl_key_name(k);
		size_t i;

		ok = ok && n && *n;
		for (i = 0; ok && n[i]; i++)
			ok = (n[i] >= 'a' && n[i] <= 'z') || n[i] == '_' ||
			     (n[i] >= '0' && n[i] <= '9');
	}
	for (k = 0; k < AKL_NR_TYPES; k++)
		ok = ok && akl_type_name(k) && *akl_type_name(k);
	result(ok, "names", "a key or type has no name, or a bad one");
}

static void test_escape_boundary(void)
{
	char out[16];
	size_t used, n;

	n = akl_escape(out, 4, "a\n", 2, 0, &used);
	result(n == 1 && used == 1, "escape-no-split",
	       "an escape sequence was split");
	n = akl_escape(out, 3, "ab\\", 3, 0, &used);
	result(n == 2 && used == 2, "escape-no-split-backslash",
	       "an escape sequence was split");
}

static void test_header(void)
{
	char out[AKL_HDR_MAX];
	static const char want[] =
		"seq=18446744073709551615 ts=1764079645.123456 load=00000000deadbeef type=overrun";
	int n = akl_format_header(out, sizeof(out), ~0ULL, 1764079645123456789ULL,
				  0xdeadbeef, AKL_T_OVERRUN);

	result(n == (int)strlen(want) && !strcmp(out, want), "header",
	       "header format differs");
	result(!strcmp(akl_type_name(99), "unknown"), "type-name-unknown",
	       "out-of-range type");
}

/*
 * Numbers as printf() writes them, for random values of every width: the
 * formatter writes them without it.
 */
static void test_numbers_fuzz(void)
{
	char want[256], hdr[AKL_HDR_MAX];
	struct akl_rec r;
	bool ok = true;
	int i, n;

	/* Where put_dec() changes step: digit counts, 2^32, 10^9. */
	static const u64 edge[] = {
		0, 9, 10, 99, 100, 101, 999, 1000, 4294967295ULL,
		4294967296ULL, 4294967395ULL, 9999999999ULL, 10000000000ULL,
		429496729600ULL, 10000000000000000000ULL, ~0ULL,
		/* Above 2^32: nine digits a step, zeros in front */
		4294967296000000000ULL, 1000000000000000000ULL,
		18000000000000000001ULL, 5000000001ULL,
	};
	int nedge = sizeof(edge) / sizeof(edge[0]);

	srand(7);
	for (i = 0; i < 20000 && ok; i++) {
		u64 v = ((u64)rand() << 33 ^ (u64)rand() << 11 ^ rand()) >>
			(rand() % 64);
		u64 w = v * 2654435761u >> (rand() % 64);
		s64 sv = rand() % 2 ? -(s64)v : (s64)v;

		if (i == 0)
			sv = INT64_MIN, v = ~0ULL;
		else if (i <= nedge)
			v = edge[i - 1], w = edge[nedge - i], sv = -(s64)v;
		akl_rec_init(&r, bin, sizeof(bin), 0);
		akl_rec_u64(&r, AKL_K_PID, v);
		akl_rec_s64(&r, AKL_K_ERRNO, sv);
		akl_rec_hex(&r, AKL_K_EXE_CAP_P, w);
		akl_rec_oct(&r, AKL_K_EXE_MODE, w);
		akl_rec_dev(&r, AKL_K_EXE_DEV, v >> 32, (u32)w);
		akl_rec_exec_id(&r, AKL_K_EXEC_ID, w);
		snprintf(want, sizeof(want),
			 "pid=%llu errno=%lld exe_cap_p=0x%llx exe_mode=0%llo exe_dev=%llu:%llu exec_id=00000000deadbeef-%llu",
			 (unsigned long long)v, (long long)sv,
			 (unsigned long long)w, (unsigned long long)w,
			 (unsigned long long)(v >> 32),
			 (unsigned long long)(u32)w, (unsigned long long)w);
		if (!w)
			memcpy(strstr(want, "exec_id=") + 8, "unknown", 8);
		ok = same(line_of(&r, sizeof(buf), 0), want);
		n = akl_format_header(hdr, sizeof(hdr), v, w, v ^ w, AKL_T_NET);
		snprintf(want, sizeof(want),
			 "seq=%llu ts=%llu.%06llu load=%016llx type=net",
			 (unsigned long long)v,
			 (unsigned long long)(w / 1000000000ULL),
			 (unsigned long long)(w % 1000000000ULL / 1000),
			 (unsigned long long)(v ^ w));
		if (n != (int)strlen(want) || strcmp(hdr, want)) {
			fprintf(stderr, "got:  %s\nwant: %s\n", hdr, want);
			ok = false;
		}
	}
	result(ok, "numbers-fuzz", "a number is written unlike printf()");
}

static size_t ip6_line(const unsigned char *a)
{
	struct akl_rec r;

	akl_rec_init(&r, bin, sizeof(bin), 0);
	akl_rec_ip6(&r, AKL_K_RADDR, a);
	return line_of(&r, sizeof(buf), 0);
}

/* IPv6 addresses as the kernel's %pI6c writes them. */
static void test_ip6(void)
{
	static const struct {
		unsigned char a[16];
		const char *text;
	} cases[] = {
		{ { 0 }, "raddr=::" },
		{ { [15] = 1 }, "raddr=::1" },
		{ { 0, 1 }, "raddr=1::" },
		{ { 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
		  "raddr=1:0:0:1::1" },
		{ { 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0 },
		  "raddr=1:0:1:0:1:0:1:0" },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 },
		  "raddr=2001:db8::1:0:0:1" },
		{ { 0, 0, 0, 1, [15] = 0 }, "raddr=0:1::" },
		{ { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0xab, 0xcd },
		  "raddr=1:2:3:4:5:6:7:abcd" },
		{ { [10] = 0xff, [11] = 0xff, 1, 2, 3, 4 },
		  "raddr=::ffff:1.2.3.4" },
		{ { [10] = 0xff, [11] = 0xff }, "raddr=::ffff:0.0.0.0" },
		/* Not mapped: the kernel writes hex (glibc: ::1.2.3.4). */
		{ { [12] = 1, 2, 3, 4 }, "raddr=::102:304" },
		/* ISATAP: a dotted quad (glibc: hex). */
		{ { 0xfe, 0x80, [8] = 0x02, 0, 0x5e, 0xfe, 192, 0, 2, 1 },
		  "raddr=fe80::200:5efe:192.0.2.1" },
		{ { 0xfe, 0x80, [10] = 0x5e, 0xfe, 10, 0, 0, 1 },
		  "raddr=fe80::5efe:10.0.0.1" },
	};
	static const unsigned char zero[10];
	char want[80], ref[64];
	unsigned char a[16];
	bool ok = true;
	size_t i;
	int j;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ok &= same(ip6_line(cases[i].a), cases[i].text);
	result(ok, "ip6-kernel-form", "an address is not written as %pI6c");
	/*
	 * Where glibc and the kernel agree (not mapped, ISATAP, nor
	 * IPv4-compatible), random addresses with runs of zero groups.
	 */
	ok = true;
	srand(11);
	for (i = 0; i < 20000 && ok; i++) {
		for (j = 0; j < 8; j++) {
			int g = rand() % 3 ? 0 : rand() & 0xffff;

			a[2 * j] = g >> 8;
			a[2 * j + 1] = g;
		}
		if (!memcmp(a, zero, sizeof(zero)) ||
		    ((a[8] | 2) == 2 && !a[9] && a[10] == 0x5e && a[11] == 0xfe))
			continue;
		inet_ntop(AF_INET6, a, ref, sizeof(ref));
		snprintf(want, sizeof(want), "raddr=%s", ref);
		ok = same(ip6_line(a), want);
	}
	result(ok, "ip6-fuzz", "an address is written unlike inet_ntop()");
}

static void test_errno_names(void)
{
	result(!strcmp(akl_errno_name(-ECONNREFUSED), "ECONNREFUSED") &&
	       !strcmp(akl_errno_name(EACCES), "EACCES") &&
	       !akl_errno_name(0) && !akl_errno_name(-4095),
	       "errno-names", "a name is wrong");
}

int main(void)
{
	akl_format_init();
	test_errno_names();
	test_names();
	test_escape_classes();
	test_words();
	test_kinds();
	test_roundtrip_fuzz();
	test_malformed_fuzz();
	test_truncation();
	test_fit_every_size();
	test_memo_same_text();
	test_memo_used();
	test_escape_boundary();
	test_header();
	test_numbers_fuzz();
	test_ip6();
	return failures ? 1 : 0;
}
