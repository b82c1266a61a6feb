// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of record.c. Prints "@@RESULT pass NAME" or
 * "@@RESULT fail NAME reason" per test; exits 1 if any failed.
 * Built with ASan and UBSan: every parse gets exactly-sized heap buffers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static int nfail;
static char why[512];

static void result(const char *name, int ok)
{
	if (ok) {
		printf("@@RESULT pass %s\n", name);
	} else {
		printf("@@RESULT fail %s %s\n", name, why);
		nfail++;
	}
	why[0] = '\0';
}

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return 0;
}

/* Parses S (LEN bytes) from exact-size copies; returns the result. */
struct parsed {
	int ret, nr;
	const char *err;
	struct akl_field f[64];
	char *line, *out;
};

static void parsed_free(struct parsed *p)
{
	free(p->line);
	free(p->out);
}

static void parse(struct parsed *p, const char *s, size_t len)
{
	p->line = malloc(len ? len : 1);
	p->out = malloc(len ? len : 1);
	memcpy(p->line, s, len);
	p->ret = akl_parse(p->line, len, p->out, p->f, 64, &p->nr, &p->err);
}

static int field_is(const struct parsed *p, int i, const char *key,
		    const char *val, size_t vlen)
{
	const struct akl_field *f = &p->f[i];

	if (f->key_len != strlen(key) || memcmp(f->key, key, f->key_len))
		return fail("field %d: key '%.*s', want '%s'", i,
			    (int)f->key_len, f->key, key);
	if (f->val_len != vlen || memcmp(f->val, val, vlen))
		return fail("field %d (%s): value '%.*s' (%zu bytes), want %zu bytes",
			    i, key, (int)f->val_len, f->val, f->val_len, vlen);
	return 1;
}

static int t_bare(void)
{
	const char *s = "seq=0 ts=1795616986.862986 load=b3497b23687134cf type=config v=a_b.c:d/e,f+g-h@i%j[k]\n";
	struct parsed p;
	int ok;

	parse(&p, s, strlen(s));
	ok = p.ret == 5 || fail("ret %d (%s)", p.ret, p.err);
	ok = ok && field_is(&p, 0, "seq", "0", 1) &&
	     field_is(&p, 1, "ts", "1795616986.862986", 17) &&
	     field_is(&p, 2, "load", "b3497b23687134cf", 16) &&
	     field_is(&p, 3, "type", "config", 6) &&
	     field_is(&p, 4, "v", "a_b.c:d/e,f+g-h@i%j[k]", 22);
	ok = ok && (!p.f[0].quoted || fail("bare value marked quoted"));
	parsed_free(&p);
	return ok;
}

static int t_no_newline(void)
{
	struct parsed p;
	int ok;

	parse(&p, "a=1 b=\"x\"", 9);
	ok = (p.ret == 2 && field_is(&p, 0, "a", "1", 1) &&
	      field_is(&p, 1, "b", "x", 1)) || fail("ret %d %s", p.ret, p.err);
	parsed_free(&p);
	return ok;
}

static int t_quoted(void)
{
	const char *s = "comm=\"insmod\" e=\"\" sp=\"a b  c\" eq=\"k=v x=\" utf=\"caf\\xc3\\xa9\"\n";
	struct parsed p;
	int ok;

	parse(&p, s, strlen(s));
	ok = p.ret == 5 || fail("ret %d (%s)", p.ret, p.err);
	ok = ok && field_is(&p, 0, "comm", "insmod", 6) &&
	     field_is(&p, 1, "e", "", 0) &&
	     field_is(&p, 2, "sp", "a b  c", 6) &&
	     field_is(&p, 3, "eq", "k=v x=", 6) &&
	     field_is(&p, 4, "utf", "caf\xc3\xa9", 5);
	ok = ok && (p.f[0].quoted || fail("quoted value not marked"));
	parsed_free(&p);
	return ok;
}

static int t_escapes(void)
{
	const char *s = "a=\"\\\\\" b=\"\\\"\" c=\"x\\\"y=\\\"z\" d=\"\\x00\\x0a\\x1f\\x7f\\x80\\xff\\xAb\\x20\" e=\"\\\\x41\"";
	struct parsed p;
	int ok;

	parse(&p, s, strlen(s));
	ok = p.ret == 5 || fail("ret %d (%s)", p.ret, p.err);
	ok = ok && field_is(&p, 0, "a", "\\", 1) &&
	     field_is(&p, 1, "b", "\"", 1) &&
	     field_is(&p, 2, "c", "x\"y=\"z", 6) &&
	     field_is(&p, 3, "d", "\0\n\x1f\x7f\x80\xff\xab ", 8) &&
	     field_is(&p, 4, "e", "\\x41", 4);
	parsed_free(&p);
	return ok;
}

static int t_readme_examples(void)
{
	static const char *const lines[] = {
		"seq=21 ts=1795616987.585958 load=b3497b23687134cf type=config event=set param=klog value=0 pid=152 ppid=114 sid=0 uid=1234 gid=0 euid=0 egid=0 auid=4294967295 ses=4294967295 tty=none comm=\"ch\\\"g x=1\" pidns=4026531836 mntns=4026531841 cgroup=1\n",
		"seq=12 ts=1795616788.502113 load=6a14ca8b0dfc818f type=exec result=EACCES errno=13 pid=322 ppid=158 sid=0 uid=1000 gid=1000 euid=1000 egid=1000 auid=4294967295 ses=4294967295 tty=none comm=\"exectl\" pidns=4026531836 mntns=4026531841 cgroup=1 path=\"/tmp/noexec\" cwd=\"/\" argc=2 argv_len=14 argv=\"/tmp/noexec d1\"\n",
		"seq=320 ts=1795616997.008917 load=53b723ccafc94304 type=overrun missed=321 first_missed=0\n",
	};
	static const int nf[] = { 21, 25, 6 };
	const struct akl_field *f;
	struct parsed p;
	unsigned int i;
	int ok = 1;

	for (i = 0; ok && i < sizeof(lines) / sizeof(lines[0]); i++) {
		parse(&p, lines[i], strlen(lines[i]));
		if (p.ret != nf[i])
			ok = fail("line %u: ret %d (%s), want %d", i, p.ret,
				  p.err, nf[i]);
		if (ok && i == 0) {
			f = akl_find(p.f, p.ret, "comm");
			ok = (f && f->val_len == 8 &&
			      !memcmp(f->val, "ch\"g x=1", 8)) ||
			     fail("comm not decoded");
		}
		if (ok && i == 1)
			ok = (akl_find(p.f, p.ret, "argv") &&
			      !akl_find(p.f, p.ret, "arg")) ||
			     fail("akl_find");
		parsed_free(&p);
	}
	return ok;
}

static int t_malformed(void)
{
	static const struct {
		const char *s;
		int nr;		/* fields parsed before the error */
	} bad[] = {
		{ "", 0 }, { "\n", 0 }, { "a", 0 }, { "a=", 0 }, { "=1", 0 },
		{ "a=1 ", 1 }, { "a=1  b=2", 1 }, { " a=1", 0 },
		{ "a=1\n\n", 1 }, { "a=1\nb=2", 1 },
		{ "a=\"x", 0 }, { "a=\"x\\", 0 }, { "a=\"x\\\"", 0 },
		{ "a=\"\\q\"", 0 }, { "a=\"\\x1\"", 0 }, { "a=\"\\x\"", 0 },
		{ "a=\"\\xg0\"", 0 }, { "a=\"\\x0g\"", 0 },
		{ "a=\"\t\"", 0 }, { "a=\"\x01\"", 0 }, { "a=\"\x7f\"", 0 },
		{ "a=\"\xc3\xa9\"", 0 }, { "a=x\"y\"", 1 }, { "a=\"x\"y", 1 },
		{ "a=\"x\"\"y\"", 1 }, { "a-b=1", 0 }, { "a=1 b", 1 },
		{ "a=1\tb=2", 1 }, { "a=b=c", 1 }, { "a=1 b=2 c=\"", 2 },
		{ "a=\xff", 0 }, { "a= b=1", 0 }, { "\xff=1", 0 },
	};
	struct parsed p;
	unsigned int i;
	int ok = 1;

	for (i = 0; ok && i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse(&p, bad[i].s, strlen(bad[i].s));
		if (p.ret != -1 || !p.err)
			ok = fail("case %u accepted: ret %d", i, p.ret);
		else if (p.nr != bad[i].nr)
			ok = fail("case %u: %d fields before the error, want %d",
				  i, p.nr, bad[i].nr);
		parsed_free(&p);
	}
	return ok;
}

static int t_too_many_fields(void)
{
	struct akl_field f[2];
	char out[16];
	const char *err;
	int nr, ret;

	ret = akl_parse("a=1 b=2 c=3", 11, out, f, 2, &nr, &err);
	if (ret != -1 || nr != 2 || !err)
		return fail("ret %d nr %d", ret, nr);
	ret = akl_parse("a=1 b=2", 7, out, f, 2, &nr, &err);
	return ret == 2 || fail("exactly max fields: ret %d (%s)", ret, err);
}

static int t_journal_name(void)
{
	static const struct {
		const char *key, *want;
	} c[] = {
		{ "seq", "AKL_SEQ" }, { "argv_len", "AKL_ARGV_LEN" },
		{ "first_missed", "AKL_FIRST_MISSED" }, { "A9z", "AKL_A9Z" },
		{ "a-b.c\xc3", "AKL_A_B_C_" }, { "_x", "AKL__X" },
		{ "", "AKL_" },
	};
	char name[AKL_JNAME_MAX + 1], key[200];
	unsigned int i;
	size_t n;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = akl_journal_name(c[i].key, strlen(c[i].key), name);
		if (n != strlen(c[i].want) || strcmp(name, c[i].want))
			return fail("'%s' -> '%s', want '%s'", c[i].key, name,
				    c[i].want);
	}
	memset(key, 'k', sizeof(key));
	n = akl_journal_name(key, sizeof(key), name);
	if (n != AKL_JNAME_MAX || strlen(name) != AKL_JNAME_MAX)
		return fail("long key: %zu bytes", n);
	return 1;
}

/* Fuzz: encode random fields per the README's rules, parse them back. */
static unsigned long long rng = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

static const char bare_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/,+-@%[]";
static const char key_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

static char *encode_value(char *o, const unsigned char *v, size_t len,
			  int quote)
{
	size_t i;

	if (!quote)
		return (char *)memcpy(o, v, len) + len;
	*o++ = '"';
	for (i = 0; i < len; i++) {
		if (v[i] == '\\' || v[i] == '"') {
			*o++ = '\\';
			*o++ = v[i];
		} else if (v[i] < 0x20 || v[i] >= 0x7f) {
			o += sprintf(o, rnd(2) ? "\\x%02x" : "\\x%02X", v[i]);
		} else {
			*o++ = v[i];
		}
	}
	*o++ = '"';
	return o;
}

static int t_fuzz_roundtrip(void)
{
	static unsigned char vals[16][300];
	static size_t vlen[16], klen[16];
	static char keys[16][20], line[16 * 1300 + 2];
	struct parsed p;
	int iter, i, j, nf, quote;
	char *o;

	for (iter = 0; iter < 20000; iter++) {
		nf = 1 + rnd(16);
		o = line;
		for (i = 0; i < nf; i++) {
			klen[i] = 1 + rnd(19);
			for (j = 0; j < (int)klen[i]; j++)
				keys[i][j] = key_chars[rnd(sizeof(key_chars) - 1)];
			vlen[i] = rnd(4) ? rnd(20) : rnd(300);
			quote = rnd(2) || !vlen[i];
			for (j = 0; j < (int)vlen[i]; j++)
				vals[i][j] = quote ? (unsigned char)(rnd(3) ?
					rnd(256) : (unsigned char)"\\\"x \n"[rnd(5)]) :
					(unsigned char)bare_chars[rnd(sizeof(bare_chars) - 1)];
			if (i)
				*o++ = ' ';
			o = (char *)memcpy(o, keys[i], klen[i]) + klen[i];
			*o++ = '=';
			o = encode_value(o, vals[i], vlen[i], quote);
		}
		if (rnd(2))
			*o++ = '\n';
		parse(&p, line, o - line);
		if (p.ret != nf) {
			fail("iteration %d: ret %d (%s), want %d: %.*s", iter,
			     p.ret, p.err, nf, (int)(o - line), line);
			parsed_free(&p);
			return 0;
		}
		for (i = 0; i < nf; i++) {
			keys[i][klen[i]] = '\0';
			if (!field_is(&p, i, keys[i], (char *)vals[i], vlen[i])) {
				parsed_free(&p);
				return 0;
			}
		}
		parsed_free(&p);
	}
	return 1;
}

/* Fuzz: mutated and random lines never crash and never read out of bounds. */
static int t_fuzz_garbage(void)
{
	static const char seed[] = "seq=5 ts=1.5 load=ab type=exec comm=\"a\\\\b\\\"c\\x0a\" argv=\"x\\x20y\" trunc=1\n";
	static const char alphabet[] = "a=\" \\x0f\n9_";
	char buf[200];
	struct parsed p;
	int iter, i, len, ok = 0;

	for (iter = 0; iter < 200000; iter++) {
		if (iter & 1) {
			len = sizeof(seed) - 1;
			memcpy(buf, seed, len);
			for (i = 1 + rnd(4); i > 0; i--) {
				switch (rnd(3)) {
				case 0:
					buf[rnd(len)] = alphabet[rnd(sizeof(alphabet) - 1)];
					break;
				case 1:
					buf[rnd(len)] = (char)rnd(256);
					break;
				default:
					len = 1 + rnd(len);
				}
			}
		} else {
			len = rnd(sizeof(buf));
			for (i = 0; i < len; i++)
				buf[i] = rnd(2) ? alphabet[rnd(sizeof(alphabet) - 1)] :
					(char)rnd(256);
		}
		parse(&p, buf, len);
		if (p.ret >= 0) {
			ok++;
			for (i = 0; i < p.ret; i++)
				if (p.f[i].val_len > (size_t)len ||
				    p.f[i].key < p.line ||
				    p.f[i].key + p.f[i].key_len > p.line + len) {
					parsed_free(&p);
					return fail("field %d outside the line", i);
				}
		} else if (!p.err || p.nr < 0 || p.nr > 64) {
			parsed_free(&p);
			return fail("error without reason or bad count %d", p.nr);
		}
		parsed_free(&p);
	}
	printf("# garbage fuzz: %d of 200000 lines accepted\n", ok);
	return 1;
}

int main(void)
{
	result("record-bare", t_bare());
	result("record-no-newline", t_no_newline());
	result("record-quoted", t_quoted());
	result("record-escapes", t_escapes());
	result("record-readme-examples", t_readme_examples());
	result("record-malformed", t_malformed());
	result("record-too-many-fields", t_too_many_fields());
	result("record-journal-name", t_journal_name());
	result("record-fuzz-roundtrip", t_fuzz_roundtrip());
	result("record-fuzz-garbage", t_fuzz_garbage());
	return nfail ? 1 : 0;
}
