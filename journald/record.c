// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parser of /dev/secure_log record lines. Strict: anything the module would
 * not write is an error, so that a reader notices a format change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static int is_key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Bare word: digits, letters and AKL_WORD_PUNCT */
static int is_bare_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(AKL_WORD_PUNCT, c));
}

static int hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int akl_parse(const char *line, size_t len, char *out, struct akl_field *f,
	      int max, int *nr, const char **err)
{
	const char *p = line, *end = line + len;
	const char *e = NULL;
	char *o = out;
	int n = 0;

	if (len && end[-1] == '\n')
		end--;
	if (p == end) {
		e = "empty line";
		goto fail;
	}
	while (p < end) {
		struct akl_field *cur;

		if (n == max) {
			e = "too many fields";
			goto fail;
		}
		cur = &f[n];
		cur->key = p;
		while (p < end && is_key_char(*p))
			p++;
		cur->key_len = p - cur->key;
		if (!cur->key_len) {
			e = "empty or bad key";
			goto fail;
		}
		if (p == end || *p != '=') {
			e = "no '=' after key";
			goto fail;
		}
		p++;
		if (p < end && *p == '"') {
			p++;
			cur->val = o;
			cur->quoted = 1;
			for (;;) {
				unsigned char c;
				int hi, lo;

				if (p == end) {
					e = "unterminated quoted value";
					goto fail;
				}
				c = *p++;
				if (c == '"')
					break;
				if (c < 0x20 || c >= 0x7f) {
					e = "unescaped control or 8-bit byte";
					goto fail;
				}
				if (c != '\\') {
					*o++ = c;
					continue;
				}
				if (p == end) {
					e = "backslash at end of line";
					goto fail;
				}
				c = *p++;
				if (c == '\\' || c == '"') {
					*o++ = c;
					continue;
				}
				hi = end - p >= 2 ? hex_val(p[0]) : -1;
				lo = end - p >= 2 ? hex_val(p[1]) : -1;
				if (c != 'x' || hi < 0 || lo < 0) {
					e = "bad escape";
					goto fail;
				}
				*o++ = (char)(hi << 4 | lo);
				p += 2;
			}
			cur->val_len = o - cur->val;
		} else {
			cur->val = p;
			cur->quoted = 0;
			while (p < end && is_bare_char(*p))
				p++;
			cur->val_len = p - cur->val;
			if (!cur->val_len) {
				e = "empty or bad bare value";
				goto fail;
			}
		}
		n++;
		if (p == end)
			break;
		if (*p != ' ' || p + 1 == end) {
			e = "fields not separated by one space";
			goto fail;
		}
		p++;
	}
	if (nr)
		*nr = n;
	if (err)
		*err = NULL;
	return n;
fail:
	if (nr)
		*nr = n;
	if (err)
		*err = e;
	return -1;
}

const struct akl_field *akl_find(const struct akl_field *f, int n,
				 const char *key)
{
	size_t kl = strlen(key);
	int i;

	for (i = 0; i < n; i++)
		if (f[i].key_len == kl && !memcmp(f[i].key, key, kl))
			return &f[i];
	return NULL;
}

size_t akl_journal_name(const char *key, size_t key_len, char *name)
{
	size_t i, n = 4;

	memcpy(name, "AKL_", 4);
	for (i = 0; i < key_len && n < AKL_JNAME_MAX; i++) {
		unsigned char c = key[i];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
		name[n++] = c;
	}
	name[n] = '\0';
	return n;
}

int akl_parse_u64(const char *s, size_t len, uint64_t *v)
{
	char buf[24], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

int akl_load_seq(const char *line, size_t len, char *out, struct akl_field *f,
		 int max, char *load, size_t size, uint64_t *seq)
{
	const struct akl_field *l, *s;
	int n;

	if (akl_parse(line, len, out, f, max, &n, NULL) < 0 && n < 3)
		return -1;
	l = akl_find(f, n, "load");
	s = akl_find(f, n, "seq");
	if (!l || !s || l->val_len >= size ||
	    akl_parse_u64(s->val, s->val_len, seq) < 0)
		return -1;
	memcpy(load, l->val, l->val_len);
	load[l->val_len] = '\0';
	return 0;
}
