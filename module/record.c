// SPDX-License-Identifier: GPL-2.0-only
/*
 * record.c - records: typed fields in binary, and the line they make
 *
 * DOC: record format
 *
 * Writers store a record as a run of fields, each one byte of key (enum
 * akl_key; a NAMED key is followed by its name's length and bytes), one
 * byte of kind (enum val_kind) and the value: numbers as LEB128 varints
 * (a pid takes 3 bytes), addresses as their 4 or 16 bytes, strings as
 * their length and raw bytes. Nothing is formatted or escaped in the
 * writer's context: a record costs a few stores per field and one copy of
 * each string.
 *
 * akl_format_fields() writes the line of akl_format.h from them, at read
 * time. A value is either a bare word, made only of the characters in
 * akl_is_word_char(), or a double-quoted string. Inside quotes every byte
 * is literal except: '\\' and '"', written as \\ and \", and every byte
 * below 0x20, 0x7f and every byte from 0x80 up, written as \xHH. With
 * AKL_ESC_SPACE a space is written as \x20 too, so that a value can hold a
 * space-separated list. No byte that user space controls can therefore end
 * a value, start a field or end the line: a reader splits a line with a
 * few lines of code and needs no knowledge of the record types.
 *
 * A record that outgrows its buffer, binary or text, keeps the fields that
 * fit whole (a string is cut and closed) and ends in " trunc=1". The
 * formatter trusts nothing in the binary it is given: a field it cannot
 * decode ends the line the same way.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#else
#include <errno.h>
#endif
#define AKL_FORMAT_NAMES
#include "record.h"

#define ERRNO(e) { e, #e }

/* The errors records name; the kernel's %pe needs CONFIG_SYMBOLIC_ERRNAME. */
static const struct {
	int err;
	const char *name;
} errnos[] = {
	ERRNO(EPERM), ERRNO(ENOENT), ERRNO(EINTR), ERRNO(EIO), ERRNO(E2BIG),
	ERRNO(ENOEXEC), ERRNO(EBADF), ERRNO(EAGAIN), ERRNO(ENOMEM),
	ERRNO(EACCES), ERRNO(EFAULT), ERRNO(EBUSY), ERRNO(EEXIST),
	ERRNO(ENODEV), ERRNO(ENOTDIR), ERRNO(EISDIR), ERRNO(EINVAL),
	ERRNO(ENFILE), ERRNO(EMFILE), ERRNO(ETXTBSY), ERRNO(ENOSPC),
	ERRNO(EPIPE), ERRNO(ENAMETOOLONG), ERRNO(ELOOP), ERRNO(ENOTSOCK),
	ERRNO(EDESTADDRREQ), ERRNO(EMSGSIZE), ERRNO(EPROTOTYPE),
	ERRNO(ENOPROTOOPT), ERRNO(EPROTONOSUPPORT), ERRNO(EOPNOTSUPP),
	ERRNO(EAFNOSUPPORT), ERRNO(EADDRINUSE), ERRNO(EADDRNOTAVAIL),
	ERRNO(ENETDOWN), ERRNO(ENETUNREACH), ERRNO(ENETRESET),
	ERRNO(ECONNABORTED), ERRNO(ECONNRESET), ERRNO(ENOBUFS), ERRNO(EISCONN),
	ERRNO(ENOTCONN), ERRNO(ETIMEDOUT), ERRNO(ECONNREFUSED),
	ERRNO(EHOSTDOWN), ERRNO(EHOSTUNREACH), ERRNO(EALREADY),
	ERRNO(EINPROGRESS),
#ifdef ERESTARTSYS
	ERRNO(ERESTARTSYS), ERRNO(ERESTARTNOINTR), ERRNO(ERESTARTNOHAND),
#endif
};

/**
 * akl_errno_name() - the name of an error number
 * @err: the error, positive or negative
 *
 * Return: "ECONNREFUSED" and the like, or NULL for an error not listed.
 */
const char *akl_errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

/* Signal numbers are the same on every architecture we build for (x86, arm64). */
static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

/**
 * akl_signal_name() - the name of a signal
 * @sig: its number
 *
 * Return: "SIGKILL" and the like, or NULL for a number without a name
 * (real-time signals).
 */
const char *akl_signal_name(int sig)
{
	return sig > 0 && sig < (int)ARRAY_SIZE(signal_names) ?
	       signal_names[sig] : NULL;
}

const char *akl_type_name(unsigned int type)
{
	return type < AKL_NR_TYPES ? akl_type_names[type] : "unknown";
}

const char *akl_key_name(unsigned int key)
{
	return key < AKL_NR_KEYS ? akl_key_names[key] : "unknown";
}

/* The binary form */

enum val_kind {
	V_U64,		/* varint: decimal */
	V_S64,		/* zigzag varint: signed decimal */
	V_HEX,		/* varint: 0x hexadecimal */
	V_OCT,		/* varint: 0 octal */
	V_DEV,		/* two varints: major:minor */
	V_EXEC_ID,	/* varint: LOAD-N, 0 is "unknown" */
	V_IP4,		/* 4 bytes */
	V_IP6,		/* 16 bytes */
	V_WORD,		/* 16-bit length, bytes: bare word, or quoted */
	V_STR,		/* flags, 32-bit length, bytes: quoted */
};

#define VARINT_MAX	10
/* The truncation mark: key, kind, value 1. */
#define BIN_TRUNC_ROOM	3
/* A string's head: key, kind, flags, length */
#define STR_HEAD	7

void akl_rec_init(struct akl_rec *r, void *buf, u32 size, u16 type)
{
	r->buf = buf;
	r->len = 0;
	r->cap = size - BIN_TRUNC_ROOM;
	r->str_at = 0;
	r->type = type;
	r->truncated = false;
}

/* Marks the record as truncated; the room for the mark is reserved. */
void akl_rec_finish(struct akl_rec *r)
{
	if (r->truncated) {
		r->buf[r->len++] = AKL_K_TRUNC;
		r->buf[r->len++] = V_U64;
		r->buf[r->len++] = 1;
	}
}

static unsigned int varint_len(u64 v)
{
	unsigned int n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static u8 *put_varint(u8 *p, u64 v)
{
	while (v >= 0x80) {
		*p++ = (u8)v | 0x80;
		v >>= 7;
	}
	*p++ = (u8)v;
	return p;
}

/* @n bytes for a field with its key and kind, or NULL: truncated. */
static u8 *field(struct akl_rec *r, u8 key, u8 kind, u32 n)
{
	u8 *p;

	if (r->truncated || r->cap - r->len < n + 2) {
		r->truncated = true;
		return NULL;
	}
	p = r->buf + r->len;
	r->len += n + 2;
	p[0] = key;
	p[1] = kind;
	return p + 2;
}

/*
 * Every field of a net record but a few is a number: with room for the
 * longest varint, it is written in one pass, without measuring it first.
 */
static __always_inline void rec_num(struct akl_rec *r, u8 key, u8 kind,
				    u64 val)
{
	u8 *p;

	if (likely(!r->truncated && r->cap - r->len >= VARINT_MAX + 2)) {
		p = r->buf + r->len;
		p[0] = key;
		p[1] = kind;
		r->len = put_varint(p + 2, val) - r->buf;
		return;
	}
	p = field(r, key, kind, varint_len(val));
	if (p)
		put_varint(p, val);
}

void akl_rec_u64(struct akl_rec *r, u8 key, u64 val)
{
	rec_num(r, key, V_U64, val);
}

void akl_rec_s64(struct akl_rec *r, u8 key, s64 val)
{
	rec_num(r, key, V_S64, ((u64)val << 1) ^ (u64)(val >> 63));
}

void akl_rec_hex(struct akl_rec *r, u8 key, u64 val)
{
	rec_num(r, key, V_HEX, val);
}

void akl_rec_oct(struct akl_rec *r, u8 key, u64 val)
{
	rec_num(r, key, V_OCT, val);
}

/* An exec id's number in this load; 0 if not known. */
void akl_rec_exec_id(struct akl_rec *r, u8 key, u64 id)
{
	rec_num(r, key, V_EXEC_ID, id);
}

void akl_rec_dev(struct akl_rec *r, u8 key, u32 major, u32 minor)
{
	u8 *p = field(r, key, V_DEV, varint_len(major) + varint_len(minor));

	if (p)
		put_varint(put_varint(p, major), minor);
}

void akl_rec_ip4(struct akl_rec *r, u8 key, const void *addr)
{
	u8 *p = field(r, key, V_IP4, 4);

	if (p)
		memcpy(p, addr, 4);
}

void akl_rec_ip6(struct akl_rec *r, u8 key, const void *addr)
{
	u8 *p = field(r, key, V_IP6, 16);

	if (p)
		memcpy(p, addr, 16);
}

/* A bare word when it can be one (a number, a name), else a quoted one. */
void akl_rec_word(struct akl_rec *r, u8 key, const char *s, size_t maxlen)
{
	u16 n = strnlen(s, min_t(size_t, maxlen, AKL_PAYLOAD_MAX));
	u8 *p = field(r, key, V_WORD, 2 + n);

	if (p) {
		memcpy(p, &n, 2);
		memcpy(p + 2, s, n);
	}
}

/* A word under a name given with it (at most 255 bytes of it are kept). */
void akl_rec_named(struct akl_rec *r, const char *name, const char *s,
		   size_t maxlen)
{
	size_t nl = strnlen(name, 255);
	u16 n = strnlen(s, min_t(size_t, maxlen, AKL_PAYLOAD_MAX));
	u8 *p;

	/* The name sits between the key and the kind. */
	p = field(r, AKL_K_NAMED, (u8)nl, nl + 3 + n);
	if (!p)
		return;
	memcpy(p, name, nl);
	p += nl;
	*p++ = V_WORD;
	memcpy(p, &n, 2);
	memcpy(p + 2, s, n);
}

/**
 * akl_rec_open_str() - start a string value that is appended in pieces
 * @r: the record
 * @key: the field's name
 * @flags: AKL_ESC_* for its text form
 *
 * Return: false if not even the field's head fits (the record is
 * truncated); then no akl_rec_close_str() is needed.
 */
bool akl_rec_open_str(struct akl_rec *r, u8 key, unsigned int flags)
{
	u8 *p = field(r, key, V_STR, STR_HEAD - 2);

	if (!p)
		return false;
	p[0] = flags;
	r->str_at = r->len - 4;
	return true;
}

/* Returns the number of bytes kept; fewer than @n truncates the record. */
size_t akl_rec_append(struct akl_rec *r, const void *p, size_t n)
{
	size_t room = r->cap - r->len;

	if (!r->str_at)
		return 0;
	if (n > room) {
		n = room;
		r->truncated = true;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return n;
}

void akl_rec_close_str(struct akl_rec *r)
{
	u32 n = r->len - r->str_at - 4;

	if (!r->str_at)
		return;
	memcpy(r->buf + r->str_at, &n, 4);
	r->str_at = 0;
}

void akl_rec_mem(struct akl_rec *r, u8 key, const void *p, size_t n,
		 unsigned int flags)
{
	if (!akl_rec_open_str(r, key, flags))
		return;
	akl_rec_append(r, p, n);
	akl_rec_close_str(r);
}

/* A string of at most @maxlen bytes, ending at its NUL if it has one. */
void akl_rec_str(struct akl_rec *r, u8 key, const char *s, size_t maxlen)
{
	akl_rec_mem(r, key, s, strnlen(s, maxlen), 0);
}

/* The text form */

/* " key=" of each key, padded with NULs: copied whole, without a loop */
#define KEY_ROW		32
#define KEY_COPY	24
static char key_rows[AKL_NR_KEYS][KEY_ROW];

/* The longest number or address a field holds, written out */
#define NUM_MAX	64

/*
 * A line being written: as struct akl_rec was when records were text.
 * @row: the key_rows row of the field being written, NULL if it has none
 * @num: where a number is written when it cannot go in place: here, not
 *	on text_field()'s stack, which the kernel may zero at every call
 *	(CONFIG_INIT_STACK_ALL_ZERO)
 */
struct text {
	char *buf;
	u32 len;
	u32 cap;
	bool truncated;
	const char *row;
	char num[NUM_MAX];
};

#define TEXT_TRUNC_ROOM	(sizeof(AKL_TRUNC_MARK) - 1)

static u32 room(const struct text *t)
{
	return t->truncated ? 0 : t->cap - t->len;
}

/*
 * Writes " key=" (@slen: with the space) at @d; returns where the value
 * goes. With @whole_row (KEY_COPY bytes of room at @d), a key that has a
 * row is copied whole: past "=", the row's NULs land where the value goes,
 * or stay after the line's end (inside its room, never read).
 */
static __always_inline char *put_key(const struct text *t, char *d, u32 slen,
				     const char *key, u32 klen, bool whole_row)
{
	if (t->row && whole_row) {
		memcpy(d, t->row + 1 - slen, KEY_COPY);
		return d + slen + klen + 1;
	}
	if (slen)
		*d++ = ' ';
	memcpy(d, key, klen);
	d[klen] = '=';
	return d + klen + 1;
}

/*
 * One field, " key=value" (no separator before the first one), written
 * whole, or not at all and the line marked truncated. As with snprintf(),
 * a field must fit strictly: one byte of room is always left over.
 */
static void text_kv(struct text *t, const char *sep, const char *key,
		    u32 klen, const char *v, u32 vlen)
{
	u32 slen = *sep ? 1 : 0, n = slen + klen + 1 + vlen;
	char *d;

	if (n >= room(t)) {
		t->truncated = true;
		return;
	}
	d = put_key(t, t->buf + t->len, slen, key, klen, room(t) > KEY_COPY);
	memcpy(d, v, vlen);
	t->len += n;
}

/*
 * Numbers and addresses are written without snprintf(): the reader formats
 * every field of every record, and these are most of them. Each returns
 * the end of what it wrote, at most NUM_MAX bytes.
 */

/*
 * "00" to "99", once akl_format_init() has run: two digits a step, one
 * load and one store each
 */
static char dec_pairs[200];

static __always_inline unsigned int dec_len32(u32 v)
{
	unsigned int n = 1;

	if (v >= 100000000) {
		v /= 100000000;
		n += 8;
	}
	if (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 100) {
		v /= 100;
		n += 2;
	}
	return v >= 10 ? n + 1 : n;
}

/* The digits of @v below 2^32, written backwards from @end. */
static __always_inline void put_dec32_at(char *end, u32 v)
{
	while (v >= 100) {
		u32 q = v / 100, r = v - q * 100;

		end -= 2;
		memcpy(end, &dec_pairs[2 * r], 2);
		v = q;
	}
	if (v >= 10)
		memcpy(end - 2, &dec_pairs[2 * v], 2);
	else
		end[-1] = '0' + v;
}

/* From 2^32 up (rare: byte counts, some ids): nine digits at a time. */
static noinline char *put_dec_big(char *p, u64 v)
{
	char tmp[20], *d = tmp + sizeof(tmp);
	unsigned int n;
	u32 low;

	while (v >> 32) {
#ifdef __KERNEL__
		low = do_div(v, 1000000000);
#else
		low = v % 1000000000;
		v /= 1000000000;
#endif
		/* Nine digits, zeros in front */
		memset(d - 9, '0', 9);
		put_dec32_at(d, low);
		d -= 9;
	}
	n = dec_len32(v);
	put_dec32_at(d, v);
	d -= n;
	n = tmp + sizeof(tmp) - d;
	memcpy(p, d, n);
	return p + n;
}

/* Below 2^32, the digits are counted and written in place, no buffer. */
static inline char *put_dec(char *p, u64 v)
{
	unsigned int n;

	if (unlikely(v >> 32))
		return put_dec_big(p, v);
	n = dec_len32(v);
	put_dec32_at(p + n, v);
	return p + n;
}

static const char hexdig[] = "0123456789abcdef";

/* At least @width digits, zeros in front. */
static char *put_hex(char *p, u64 v, int width)
{
	int sh = 60;

	while (sh && !(v >> sh) && sh >= 4 * width)
		sh -= 4;
	for (; sh >= 0; sh -= 4)
		*p++ = hexdig[(v >> sh) & 0xf];
	return p;
}

static char *put_oct(char *p, u64 v)
{
	int sh = 63;

	while (sh && !(v >> sh))
		sh -= 3;
	for (; sh >= 0; sh -= 3)
		*p++ = '0' + ((v >> sh) & 7);
	return p;
}

static char *put_ip4(char *p, const u8 *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_dec(p, a[i]);
	}
	return p;
}

/*
 * An IPv6 address as the kernel's %pI6c writes it (RFC 5952): the first
 * longest run of two or more zero groups as "::", groups without leading
 * zeros, and an IPv4-mapped or ISATAP address ending in a dotted quad.
 */
static char *put_ip6(char *p, const u8 *a)
{
	static const u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	bool v4 = !memcmp(a, mapped, sizeof(mapped)) ||
		  ((a[8] | 0x02) == 0x02 && !a[9] && a[10] == 0x5e &&
		   a[11] == 0xfe);
	int i, j, groups = v4 ? 6 : 8, colon = -1, longest = 1;
	bool needcolon = false;

	for (i = 0; i < groups; i++) {
		for (j = i; j < groups && !(a[2 * j] | a[2 * j + 1]); j++)
			;
		if (j - i > longest) {
			longest = j - i;
			colon = i;
		}
	}
	for (i = 0; i < groups; i++) {
		if (i == colon) {
			if (needcolon || !i)
				*p++ = ':';
			*p++ = ':';
			needcolon = false;
			i += longest - 1;
			continue;
		}
		if (needcolon)
			*p++ = ':';
		p = put_hex(p, a[2 * i] << 8 | a[2 * i + 1], 1);
		needcolon = true;
	}
	if (v4) {
		if (needcolon)
			*p++ = ':';
		p = put_ip4(p, a + 12);
	}
	return p;
}

static bool akl_is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(AKL_WORD_PUNCT, c));
}

/* akl_is_word_char() of every byte, once akl_format_init() has run */
static bool word_chars[256];

/**
 * akl_escape() - escape bytes for a quoted value
 * @dst: output, not NUL-terminated
 * @dstsz: room in @dst
 * @src: input bytes, NULs included
 * @n: number of input bytes
 * @flags: AKL_ESC_*
 * @consumed: set to the number of input bytes written out whole
 *
 * Never splits an escape sequence: it stops at the first byte whose
 * escaped form does not fit.
 *
 * Context: any.
 * Return: bytes written to @dst.
 */
size_t akl_escape(char *dst, size_t dstsz, const void *src, size_t n,
		  unsigned int flags, size_t *consumed)
{
	bool nul_space = flags & AKL_ESC_NUL_SPACE;
	const unsigned char *s = src;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		/*
		 * Most bytes of paths and names are themselves; in an
		 * argument list, NULs end arguments.
		 */
		if (likely(c > ' ' && c < 0x7f && c != '\\' && c != '"')) {
			if (o >= dstsz)
				break;
			dst[o++] = c;
			continue;
		}
		if (!c && nul_space) {
			if (o >= dstsz)
				break;
			dst[o++] = ' ';
			continue;
		}
		if (c == '\\' || c == '"') {
			if (dstsz - o < 2)
				break;
			dst[o++] = '\\';
			dst[o++] = c;
		} else if (c < 0x20 || c >= 0x7f ||
			   (c == ' ' && (flags & AKL_ESC_SPACE))) {
			if (dstsz - o < 4)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hexdig[c >> 4];
			dst[o++] = hexdig[c & 0xf];
		} else {
			if (dstsz - o < 1)
				break;
			dst[o++] = c;
		}
	}
	*consumed = i;
	return o;
}

/* ' key="' ... '"', cut at an escape boundary if it does not fit. */
static void text_quoted(struct text *t, const char *sep, const char *key,
			u32 klen, const void *p, size_t n, unsigned int flags)
{
	size_t used;

	text_kv(t, sep, key, klen, "\"", 1);
	/* The closing quote's place is kept back. */
	if (t->truncated || room(t) < 1) {
		t->truncated = true;
		return;
	}
	t->len += akl_escape(t->buf + t->len, room(t) - 1, p, n, flags, &used);
	t->buf[t->len++] = '"';
	if (used < n)
		t->truncated = true;
}

static void text_word(struct text *t, const char *sep, const char *key,
		      u32 klen, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word_chars[(unsigned char)s[i]])
			break;
	if (n && i == n)
		text_kv(t, sep, key, klen, s, n);
	else
		text_quoted(t, sep, key, klen, s, n, 0);
}

/* A name given with its field: what the format's names are made of. */
static bool is_key(const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return n;
}

static bool get_varint(const u8 **pp, const u8 *end, u64 *v)
{
	const u8 *p = *pp;
	unsigned int shift = 0;

	*v = 0;
	while (p < end && shift < 7 * VARINT_MAX) {
		*v |= (u64)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80)) {
			*pp = p;
			return true;
		}
		shift += 7;
	}
	return false;
}

/*
 * Starts " key=" in place if a value of NUM_MAX bytes fits after it: the
 * field then fits strictly, as text_kv() would have found, and the value
 * is written where it goes. Returns where the value goes, or @num (the
 * value is then written there, and text_kv() decides).
 */
static __always_inline char *kv_open(struct text *t, const char *sep,
				     const char *key, u32 klen, char *num)
{
	if (room(t) <= 2 + klen + NUM_MAX)
		return num;
	/* NUM_MAX > KEY_COPY: a whole row fits */
	return put_key(t, t->buf + t->len, *sep ? 1 : 0, key, klen, true);
}

/* Ends the field that kv_open() started, at @e. */
static __always_inline void kv_close(struct text *t, const char *sep,
				     const char *key, u32 klen,
				     const char *num, char *e, char *start)
{
	if (start == num)
		text_kv(t, sep, key, klen, num, e - num);
	else
		t->len = e - t->buf;
}

/*
 * Writes one field's value from @p; returns where the next field starts,
 * or NULL if it cannot be decoded.
 */
static const u8 *text_field(struct text *t, const char *key, u32 klen,
			    u8 kind, const u8 *p, const u8 *end, u64 load_id)
{
	const char *sep = t->len ? " " : "";
	char *num = t->num, *e, *start;
	u64 v, w;
	u16 n16;
	u32 n;

	switch (kind) {
	case V_U64:
	case V_S64:
	case V_HEX:
	case V_OCT:
	case V_EXEC_ID:
		if (!get_varint(&p, end, &v))
			return NULL;
		start = kv_open(t, sep, key, klen, num);
		e = start;
		if (kind == V_U64) {
			e = put_dec(e, v);
		} else if (kind == V_S64) {
			/* Zigzag: v & 1 is the sign, v >> 1 the magnitude. */
			if (v & 1)
				*e++ = '-';
			e = put_dec(e, (v >> 1) + (v & 1));
		} else if (kind == V_HEX) {
			*e++ = '0';
			*e++ = 'x';
			e = put_hex(e, v, 1);
		} else if (kind == V_OCT) {
			*e++ = '0';
			e = put_oct(e, v);
		} else if (v) {
			e = put_hex(e, load_id, 16);
			*e++ = '-';
			e = put_dec(e, v);
		} else {
			memcpy(e, "unknown", 7);
			e += 7;
		}
		kv_close(t, sep, key, klen, num, e, start);
		return p;
	case V_DEV:
		if (!get_varint(&p, end, &v) || !get_varint(&p, end, &w))
			return NULL;
		start = kv_open(t, sep, key, klen, num);
		e = put_dec(start, v);
		*e++ = ':';
		e = put_dec(e, w);
		kv_close(t, sep, key, klen, num, e, start);
		return p;
	case V_IP4:
	case V_IP6:
		n = kind == V_IP4 ? 4 : 16;
		if (end - p < n)
			return NULL;
		start = kv_open(t, sep, key, klen, num);
		e = n == 4 ? put_ip4(start, p) : put_ip6(start, p);
		kv_close(t, sep, key, klen, num, e, start);
		return p + n;
	case V_WORD:
		if (end - p < 2)
			return NULL;
		memcpy(&n16, p, 2);
		n = n16;
		if (n > end - p - 2)
			return NULL;
		text_word(t, sep, key, klen, (const char *)p + 2, n);
		return p + 2 + n;
	case V_STR:
		if (end - p < 5)
			return NULL;
		memcpy(&n, p + 1, 4);
		if (n > end - p - 5)
			return NULL;
		text_quoted(t, sep, key, klen, p + 5, n, p[0]);
		return p + 5 + n;
	}
	return NULL;
}

/* The field names' lengths, once akl_format_init() has run */
static u8 key_lens[AKL_NR_KEYS];

/**
 * akl_format_init() - what the formatter computes once, before any reader
 *
 * Tables: the field names' lengths, the bytes that make a bare word, the
 * pairs of decimal digits. Required before akl_format_fields() and
 * akl_format_header().
 */
void akl_format_init(void)
{
	int k;

	for (k = 0; k < AKL_NR_KEYS; k++) {
		key_lens[k] = akl_key_names[k] ? strlen(akl_key_names[k]) : 0;
		/* " key=" and the rest of the copy: NULs */
		if (key_lens[k] && key_lens[k] + 2 <= KEY_COPY) {
			key_rows[k][0] = ' ';
			memcpy(key_rows[k] + 1, akl_key_names[k], key_lens[k]);
			key_rows[k][key_lens[k] + 1] = '=';
		}
	}
	for (k = 0; k < 256; k++)
		word_chars[k] = akl_is_word_char(k);
	for (k = 0; k < 100; k++) {
		dec_pairs[2 * k] = '0' + k / 10;
		dec_pairs[2 * k + 1] = '0' + k % 10;
	}
}

/*
 * How many of the @n bytes at @a and @b are the same before the first that
 * differs: eight at a time, then the differing word's bytes one by one.
 */
static __always_inline u32 same_prefix(const u8 *a, const u8 *b, u32 n)
{
	u32 i = 0;
	u64 x, y;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/**
 * akl_format_fields() - the text of a record's fields
 * @dst: output, not NUL-terminated
 * @size: room in @dst (at least 16)
 * @rec: the record's binary fields, as the writer left them
 * @len: their length
 * @load_id: this load's id, for exec ids
 * @flags: AKL_FMT_*
 * @memo: the caller's last record, or NULL: the text is the same with it
 *	or without it
 *
 * A record whose text does not fit ends in " trunc=1", as does one whose
 * binary cannot be decoded.
 *
 * Context: any; the kernel's reader calls it without the ring's lock. A
 * memo is one caller's: calls with the same memo must not overlap (the
 * reader's are under its file's mutex).
 * Return: bytes written.
 */
size_t akl_format_fields(char *dst, size_t size, const void *rec, u32 len,
			 u64 load_id, unsigned int flags,
			 struct akl_fmt_memo *memo)
{
	const u8 *p = rec, *end = p + len;
	struct text t = {
		.buf = dst,
		.cap = size - TEXT_TRUNC_ROOM,
	};
	u32 i = 0, held = 0;

	if (memo) {
		held = memo->load_id == load_id ? memo->n : 0;
		/* The offsets are rewritten as we go: i after its last use. */
		memo->n = 0;
	}
	for (; p < end && !t.truncated; i++) {
		u32 before = t.len, klen;
		const char *key;
		u8 k;

		if (i < held) {
			/*
			 * A field's binary is self-delimiting: if the bytes of
			 * the last record's field i are here, they are this
			 * field whole, and its text is that field's text. No
			 * field writes no text: the first is at text_off 0 in
			 * both, the others after a separator in both. Fields
			 * i..to-1 are the same and their text fits: one copy.
			 * Field "to" differs (or does not fit, or is past the
			 * memo): it is formatted next, never found the same.
			 */
			u32 b = memo->bin_off[i], x = memo->text_off[i], to = i;
			u32 m = same_prefix(p, memo->bin + b,
					    min_t(u32, end - p,
						  memo->bin_off[held] - b));

			while (to < held && memo->bin_off[to + 1] - b <= m &&
			       memo->text_off[to + 1] - x < room(&t))
				to++;
			if (to > i) {
				u32 j, db = (p - (const u8 *)rec) - b;
				u32 dx = t.len - x;

				memcpy(t.buf + t.len, memo->text + x,
				       memo->text_off[to] - x);
				t.len += memo->text_off[to] - x;
				p += memo->bin_off[to] - b;
				/* Where they are in this record (u32 wraps) */
				for (j = i; j < to; j++) {
					memo->bin_off[j] += db;
					memo->text_off[j] += dx;
				}
				i = to - 1;
				continue;
			}
		}
		if (memo && i < AKL_MEMO_FIELDS) {
			memo->bin_off[i] = p - (const u8 *)rec;
			memo->text_off[i] = t.len;
		}
		k = *p++;

		if (k == AKL_K_TRUNC || k >= AKL_NR_KEYS || p >= end) {
			t.truncated = true;
			break;
		}
		t.row = NULL;
		if (k == AKL_K_NAMED) {
			klen = *p++;
			key = (const char *)p;
			if (klen >= (u32)(end - p) || !is_key(key, klen)) {
				t.truncated = true;
				break;
			}
			p += klen;
		} else {
			key = akl_key_names[k];
			klen = key_lens[k];
			if (key_rows[k][0])
				t.row = key_rows[k];
		}
		p = text_field(&t, key, klen, *p, p + 1, end, load_id);
		if (!p)
			t.truncated = true;
		else if (t.truncated && (flags & AKL_FMT_WHOLE))
			t.len = before;
	}
	if (memo && !t.truncated && i <= AKL_MEMO_FIELDS &&
	    len <= AKL_MEMO_BIN && t.len <= AKL_MEMO_TEXT) {
		memo->bin_off[i] = len;
		memo->text_off[i] = t.len;
		memcpy(memo->bin, rec, len);
		memcpy(memo->text, t.buf, t.len);
		memo->load_id = load_id;
		memo->n = i;
	}
	if (t.truncated) {
		/* The first field has no separator before it. */
		u32 skip = t.len ? 0 : 1;

		memcpy(t.buf + t.len, AKL_TRUNC_MARK + skip,
		       TEXT_TRUNC_ROOM - skip);
		t.len += TEXT_TRUNC_ROOM - skip;
	}
	return t.len;
}

/**
 * akl_format_header() - the fields every record starts with
 * @dst: output, NUL-terminated
 * @dstsz: room in @dst, at least AKL_HDR_MAX
 * @seq: sequence number
 * @ts_ns: wall-clock time, ns since the epoch
 * @load_id: this module load's random id
 * @type: enum akl_type
 *
 * Return: length written, without the NUL.
 */
int akl_format_header(char *dst, size_t dstsz, u64 seq, u64 ts_ns,
		      u64 load_id, unsigned int type)
{
	const char *name = akl_type_name(type);
	size_t nlen = strlen(name);
	char *p = dst;
	u64 us = ts_ns / 1000;
	u32 frac;

	/* seq=%llu ts=%llu.%06llu load=%016llx type=%s, without snprintf() */
	if (dstsz < AKL_HDR_MAX || nlen > AKL_HDR_MAX - 96)
		return snprintf(dst, dstsz, "type=%s", name);
#ifdef __KERNEL__
	frac = do_div(us, 1000000);
#else
	frac = us % 1000000;
	us /= 1000000;
#endif
	memcpy(p, "seq=", 4);
	p = put_dec(p + 4, seq);
	memcpy(p, " ts=", 4);
	p = put_dec(p + 4, us);
	*p++ = '.';
	/* Six digits, zeros in front: those of 1000000 + frac but its 1. */
	put_dec(p, 1000000 + frac);
	memmove(p, p + 1, 6);
	p += 6;
	memcpy(p, " load=", 6);
	p = put_hex(p + 6, load_id, 16);
	memcpy(p, " type=", 6);
	memcpy(p + 6, name, nlen);
	p += 6 + nlen;
	*p = '\0';
	return p - dst;
}
