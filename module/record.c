// SPDX-License-Identifier: GPL-2.0-only
/*
 * record.c - building the text of one record: key=value fields, escaping
 *
 * DOC: record format
 *
 * A record is one line of space-separated key=value fields. A value is
 * either a bare word, made only of the characters in akl_is_word_char(),
 * or a double-quoted string. Inside quotes every byte is literal except:
 * '\\' and '"', written as \\ and \", and every byte below 0x20, 0x7f and
 * every byte from 0x80 up, written as \xHH. With AKL_ESC_SPACE a space is
 * written as \x20 too, so that a value can hold a space-separated list.
 * No byte that user space controls can therefore end a value, start a
 * field or end the line: a reader splits a line with a few lines of code
 * and needs no knowledge of the record types.
 *
 * Fields are appended whole or, for quoted strings, cut at an escape
 * boundary and closed: a record that outgrows its buffer stays well formed
 * and ends in " trunc=1".
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#endif
#include "record.h"

static const char *const type_names[AKL_NR_TYPES] = {
	[AKL_T_CONFIG] = "config",
	[AKL_T_EXEC] = "exec",
	[AKL_T_NET] = "net",
	[AKL_T_LOST] = "lost",
	[AKL_T_OVERRUN] = "overrun",
	[AKL_T_EXIT] = "exit",
	[AKL_T_PROCESS] = "process",
};

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
	return type < AKL_NR_TYPES ? type_names[type] : "unknown";
}

void akl_rec_init(struct akl_rec *r, char *buf, u32 size, u16 type)
{
	r->buf = buf;
	r->len = 0;
	r->cap = size - AKL_TRUNC_ROOM;
	r->type = type;
	r->truncated = false;
}

/* Marks the record as truncated; the room for the marker is reserved. */
void akl_rec_finish(struct akl_rec *r)
{
	if (r->truncated) {
		memcpy(r->buf + r->len, AKL_TRUNC_MARK, AKL_TRUNC_ROOM);
		r->len += AKL_TRUNC_ROOM;
	}
}

static u32 room(const struct akl_rec *r)
{
	return r->truncated ? 0 : r->cap - r->len;
}

void akl_rec_printf(struct akl_rec *r, const char *fmt, ...)
{
	va_list ap;
	u32 left = room(r);
	int n;

	if (!left)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, left, fmt, ap);
	va_end(ap);
	/* vsnprintf() needs one byte for its NUL: a field must fit strictly. */
	if (n < 0 || (u32)n >= left)
		r->truncated = true;
	else
		r->len += n;
}

/* The separator before a field: none before the first one. */
static const char *sep(const struct akl_rec *r)
{
	return r->len ? " " : "";
}

void akl_rec_u64(struct akl_rec *r, const char *key, u64 val)
{
	akl_rec_printf(r, "%s%s=%llu", sep(r), key, (unsigned long long)val);
}

void akl_rec_s64(struct akl_rec *r, const char *key, s64 val)
{
	akl_rec_printf(r, "%s%s=%lld", sep(r), key, (long long)val);
}

static bool akl_is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_.:/,+-@%[]", c));
}

static const char hexdig[] = "0123456789abcdef";

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
	const unsigned char *s = src;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\\' || c == '"') {
			if (dstsz - o < 2)
				break;
			dst[o++] = '\\';
			dst[o++] = c;
		} else if (c == '\0' && (flags & AKL_ESC_NUL_SPACE)) {
			if (dstsz - o < 1)
				break;
			dst[o++] = ' ';
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

/**
 * akl_rec_open_quote() - start a quoted value: ' key="'
 * @r: the record
 * @key: the field's name
 *
 * Room for the closing quote is kept back until akl_rec_close_quote().
 * Return: false if even the opening did not fit (the record is truncated).
 */
bool akl_rec_open_quote(struct akl_rec *r, const char *key)
{
	u32 before = r->len;

	akl_rec_printf(r, "%s%s=\"", sep(r), key);
	if (r->truncated || room(r) < 1) {
		r->len = before;
		r->truncated = true;
		return false;
	}
	r->cap--;	/* the closing quote's place */
	return true;
}

/* Returns the number of input bytes escaped; fewer than @n truncates. */
size_t akl_rec_escape(struct akl_rec *r, const void *p, size_t n,
		      unsigned int flags)
{
	size_t used = 0;

	if (r->truncated)
		return 0;
	r->len += akl_escape(r->buf + r->len, room(r), p, n, flags, &used);
	if (used < n)
		r->truncated = true;
	return used;
}

void akl_rec_close_quote(struct akl_rec *r)
{
	r->cap++;
	r->buf[r->len++] = '"';
}

void akl_rec_mem(struct akl_rec *r, const char *key, const void *p, size_t n,
		 unsigned int flags)
{
	if (!akl_rec_open_quote(r, key))
		return;
	akl_rec_escape(r, p, n, flags);
	akl_rec_close_quote(r);
}

/* A string of at most @maxlen bytes, ending at its NUL if it has one. */
void akl_rec_str(struct akl_rec *r, const char *key, const char *s,
		 size_t maxlen)
{
	akl_rec_mem(r, key, s, strnlen(s, maxlen), 0);
}

/* A bare word when it can be one (a number, a name), else a quoted one. */
void akl_rec_word(struct akl_rec *r, const char *key, const char *s,
		  size_t maxlen)
{
	size_t i, n = strnlen(s, maxlen);

	for (i = 0; i < n; i++)
		if (!akl_is_word_char(s[i]))
			break;
	if (n && i == n)
		akl_rec_printf(r, "%s%s=%.*s", sep(r), key, (int)n, s);
	else
		akl_rec_mem(r, key, s, n, 0);
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
	return snprintf(dst, dstsz, "seq=%llu ts=%llu.%06llu load=%016llx type=%s",
			(unsigned long long)seq,
			(unsigned long long)(ts_ns / 1000000000ULL),
			(unsigned long long)(ts_ns % 1000000000ULL / 1000),
			(unsigned long long)load_id, akl_type_name(type));
}
