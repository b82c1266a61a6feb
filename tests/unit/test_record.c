// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_record.c - unit tests of module/record.c, the record format
 *
 * Holds a reference parser of the format as the README describes it and
 * checks that whatever bytes go into a field come back out of the line
 * unchanged, and that none can make a second field or a second line.
 */
#include <errno.h>
#include <stdlib.h>

#include "record.h"

static int failures;

static void result(bool ok, const char *name, const char *detail)
{
	printf("@@RESULT %s %s%s%s\n", ok ? "pass" : "fail", name,
	       ok ? "" : " ", ok ? "" : detail);
	if (!ok)
		failures++;
}

struct field {
	char key[64];
	char val[70000];
	size_t len;
	bool quoted;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses a record's fields; returns the number of fields or -1. */
static int parse(const char *s, size_t n, struct field *f, int max)
{
	size_t i = 0;
	int nf = 0;

	while (i < n) {
		size_t k = 0;

		if (nf == max)
			return -1;
		if (nf > 0 && s[i++] != ' ')
			return -1;
		while (i < n && s[i] != '=' && s[i] != ' ' && k < 63)
			f[nf].key[k++] = s[i++];
		f[nf].key[k] = 0;
		if (!k || i == n || s[i++] != '=')
			return -1;
		f[nf].len = 0;
		f[nf].quoted = i < n && s[i] == '"';
		if (!f[nf].quoted) {
			while (i < n && s[i] != ' ')
				f[nf].val[f[nf].len++] = s[i++];
		} else {
			for (i++;; i++) {
				if (i >= n)
					return -1;
				if (s[i] == '"')
					break;
				if ((unsigned char)s[i] < 0x20 ||
				    (unsigned char)s[i] >= 0x7f)
					return -1;
				if (s[i] == '\\') {
					if (i + 1 < n && (s[i + 1] == '\\' ||
							  s[i + 1] == '"')) {
						f[nf].val[f[nf].len++] = s[++i];
					} else if (i + 3 < n && s[i + 1] == 'x' &&
						   hexval(s[i + 2]) >= 0 &&
						   hexval(s[i + 3]) >= 0) {
						f[nf].val[f[nf].len++] =
							hexval(s[i + 2]) * 16 +
							hexval(s[i + 3]);
						i += 3;
					} else {
						return -1;
					}
				} else {
					f[nf].val[f[nf].len++] = s[i];
				}
			}
			i++;
		}
		nf++;
	}
	return nf;
}

static struct field fields[64];
static char buf[AKL_PAYLOAD_MAX];

static void test_escape_classes(void)
{
	static const char in[] = "a b\"c\\d\n\t\x7f\xc3\xa9=\x01";
	static const char want[] = "s=\"a b\\\"c\\\\d\\x0a\\x09\\x7f\\xc3\\xa9=\\x01\"";
	struct akl_rec r;

	akl_rec_init(&r, buf, sizeof(buf), 0);
	akl_rec_mem(&r, "s", in, sizeof(in) - 1, 0);
	akl_rec_finish(&r);
	result(r.len == strlen(want) && !memcmp(buf, want, r.len),
	       "escape-classes", "escaped form differs");

	akl_rec_init(&r, buf, sizeof(buf), 0);
	akl_rec_mem(&r, "a", "x y", 3, AKL_ESC_SPACE);
	akl_rec_finish(&r);
	result(r.len == 10 && !memcmp(buf, "a=\"x\\x20y\"", 10),
	       "escape-space", "space not escaped");
}

static void test_words(void)
{
	struct akl_rec r;
	static const char want[] = "n=42 w=ab-1.2:/x q=\"a=b\" e=\"\" s=-7";

	akl_rec_init(&r, buf, sizeof(buf), 0);
	akl_rec_u64(&r, "n", 42);
	akl_rec_word(&r, "w", "ab-1.2:/x", 100);
	akl_rec_word(&r, "q", "a=b", 100);
	akl_rec_word(&r, "e", "", 100);
	akl_rec_s64(&r, "s", -7);
	akl_rec_finish(&r);
	result(r.len == strlen(want) && !memcmp(buf, want, r.len), "words",
	       "bare/quoted choice differs");
}

/* Random bytes in, the same bytes out, one line, the right fields. */
static void test_roundtrip_fuzz(void)
{
	static unsigned char in[3][300];
	size_t len[3];
	bool ok = true;
	int iter, j, nf;

	srand(1);
	for (iter = 0; iter < 20000 && ok; iter++) {
		struct akl_rec r;

		akl_rec_init(&r, buf, sizeof(buf), 0);
		akl_rec_u64(&r, "pid", iter);
		for (j = 0; j < 3; j++) {
			size_t k;

			len[j] = rand() % 300;
			for (k = 0; k < len[j]; k++)
				in[j][k] = rand() % 4 ? rand() % 256 :
					" =\"\\\n"[rand() % 5];
		}
		akl_rec_mem(&r, "a", in[0], len[0], 0);
		akl_rec_mem(&r, "b", in[1], len[1], AKL_ESC_SPACE);
		akl_rec_word(&r, "c", (char *)in[2], len[2]);
		akl_rec_finish(&r);
		nf = parse(buf, r.len, fields, 64);
		ok = nf == 4 && !memchr(buf, '\n', r.len) &&
		     !strcmp(fields[1].key, "a") && !strcmp(fields[2].key, "b") &&
		     fields[1].len == len[0] &&
		     !memcmp(fields[1].val, in[0], len[0]) &&
		     fields[2].len == len[1] &&
		     !memcmp(fields[2].val, in[1], len[1]) &&
		     fields[3].len == strnlen((char *)in[2], len[2]) &&
		     !memcmp(fields[3].val, in[2], fields[3].len);
	}
	result(ok, "roundtrip-fuzz", "a field did not survive the round trip");
}

/* A record that outgrows its buffer stays parseable and says trunc=1. */
static void test_truncation(void)
{
	static char big[5000];
	bool ok = true;
	u32 size;

	memset(big, '"', sizeof(big));
	for (size = 40; size < 400 && ok; size++) {
		struct akl_rec r;
		int nf;

		akl_rec_init(&r, buf, size, 0);
		akl_rec_u64(&r, "argc", 3);
		akl_rec_mem(&r, "argv", big, sizeof(big), 0);
		akl_rec_u64(&r, "after", 1);
		akl_rec_finish(&r);
		nf = parse(buf, r.len, fields, 64);
		ok = r.len <= size && nf >= 2 &&
		     !strcmp(fields[nf - 1].key, "trunc") &&
		     fields[nf - 1].len == 1 && fields[nf - 1].val[0] == '1' &&
		     strcmp(fields[nf - 2].key, "after");
	}
	result(ok, "truncation", "truncated record malformed or too long");

	{
		struct akl_rec r;

		akl_rec_init(&r, buf, 64, 0);
		akl_rec_u64(&r, "a", 1);
		akl_rec_finish(&r);
		result(r.len == 3 && !memcmp(buf, "a=1", 3), "no-truncation",
		       "a record that fits was marked");
	}
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

static void test_errno_names(void)
{
	result(!strcmp(akl_errno_name(-ECONNREFUSED), "ECONNREFUSED") &&
	       !strcmp(akl_errno_name(EACCES), "EACCES") &&
	       !akl_errno_name(0) && !akl_errno_name(-4095),
	       "errno-names", "a name is wrong");
}

int main(void)
{
	test_errno_names();
	test_escape_classes();
	test_words();
	test_roundtrip_fuzz();
	test_truncation();
	test_escape_boundary();
	test_header();
	return failures ? 1 : 0;
}
