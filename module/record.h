/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h - building the text of one record: key=value fields, escaping
 *
 * Pure logic with no locking and no allocation: it is compiled into the
 * module and, unchanged, into the user-space unit tests (tests/unit/).
 */
#ifndef _AKL_RECORD_H
#define _AKL_RECORD_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/compiler.h>
#else
#include "kshim.h"
#endif

/* Record types; the names are what readers see in the type= field. */
enum akl_type {
	AKL_T_CONFIG,	/* module loaded, parameter changed */
	AKL_T_EXEC,	/* a program executed */
	AKL_T_NET,	/* a network event */
	AKL_T_LOST,	/* writers could not keep records (counted) */
	AKL_T_OVERRUN,	/* this reader was overtaken (made at read time) */
	AKL_T_EXIT,	/* a process ended */
	AKL_T_PROCESS,	/* a process that ran before the module was loaded */
	AKL_NR_TYPES,
};

const char *akl_type_name(unsigned int type);
const char *akl_errno_name(int err);
const char *akl_signal_name(int sig);

/*
 * The longest line read() returns, newline included. The header that the
 * reader adds (seq, ts, load, type) takes at most AKL_HDR_MAX bytes, so a
 * record's own fields are limited to AKL_PAYLOAD_MAX bytes.
 */
#define AKL_LINE_MAX	65536
#define AKL_HDR_MAX	128
#define AKL_PAYLOAD_MAX	(AKL_LINE_MAX - AKL_HDR_MAX)

/* Room kept at the end of every record for the " trunc=1" marker. */
#define AKL_TRUNC_MARK	" trunc=1"
#define AKL_TRUNC_ROOM	(sizeof(AKL_TRUNC_MARK) - 1)

/**
 * struct akl_rec - a record being built
 * @buf: where the fields go (not NUL-terminated)
 * @len: bytes used
 * @cap: bytes usable for fields (the truncation marker has its own room)
 * @type: enum akl_type
 * @truncated: a field did not fit; the rest of the record was dropped
 */
struct akl_rec {
	char *buf;
	u32 len;
	u32 cap;
	u16 type;
	bool truncated;
};

/* Escape flags */
#define AKL_ESC_SPACE	0x1	/* also escape ' ' (for space-separated lists) */
#define AKL_ESC_NUL_SPACE 0x2	/* write NUL as ' ' (NUL-separated lists) */
#define AKL_ESC_ARGV	(AKL_ESC_SPACE | AKL_ESC_NUL_SPACE)

void akl_rec_init(struct akl_rec *r, char *buf, u32 size, u16 type);
void akl_rec_finish(struct akl_rec *r);
void akl_rec_printf(struct akl_rec *r, const char *fmt, ...) __printf(2, 3);
void akl_rec_u64(struct akl_rec *r, const char *key, u64 val);
void akl_rec_s64(struct akl_rec *r, const char *key, s64 val);
void akl_rec_str(struct akl_rec *r, const char *key, const char *s,
		 size_t maxlen);
void akl_rec_mem(struct akl_rec *r, const char *key, const void *p, size_t n,
		 unsigned int flags);
void akl_rec_word(struct akl_rec *r, const char *key, const char *s,
		  size_t maxlen);

/* Quoted-string pieces, for values assembled from several sources. */
bool akl_rec_open_quote(struct akl_rec *r, const char *key);
size_t akl_rec_escape(struct akl_rec *r, const void *p, size_t n,
		      unsigned int flags);
void akl_rec_close_quote(struct akl_rec *r);

size_t akl_escape(char *dst, size_t dstsz, const void *src, size_t n,
		  unsigned int flags, size_t *consumed);

int akl_format_header(char *dst, size_t dstsz, u64 seq, u64 ts_ns,
		      u64 load_id, unsigned int type);

#endif /* _AKL_RECORD_H */
