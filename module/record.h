/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h - records: their fields in binary, and the line they make
 *
 * Writers store typed fields (akl_rec_*()): a number is a few bytes, a
 * string its bytes, unescaped. The reader turns them into the text line of
 * akl_format.h (akl_format_fields()), in its own context, at read time.
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
#include "akl_format.h"

const char *akl_type_name(unsigned int type);
const char *akl_key_name(unsigned int key);
const char *akl_errno_name(int err);
const char *akl_signal_name(int sig);

/**
 * struct akl_rec - a record being built
 * @buf: its fields, in binary
 * @len: bytes used
 * @cap: bytes usable (the truncation mark has its own room)
 * @str_at: where the open string's length is, 0 if none is open
 * @type: enum akl_type
 * @truncated: a field did not fit; the rest of the record was dropped
 */
struct akl_rec {
	u8 *buf;
	u32 len;
	u32 cap;
	u32 str_at;
	u16 type;
	bool truncated;
};

/* Escape flags of strings */
#define AKL_ESC_SPACE	0x1	/* also escape ' ' (for space-separated lists) */
#define AKL_ESC_NUL_SPACE 0x2	/* write NUL as ' ' (NUL-separated lists) */
#define AKL_ESC_ARGV	(AKL_ESC_SPACE | AKL_ESC_NUL_SPACE)

void akl_rec_init(struct akl_rec *r, void *buf, u32 size, u16 type);
void akl_rec_finish(struct akl_rec *r);

/* One helper per kind of value; @key is an enum akl_key. */
void akl_rec_u64(struct akl_rec *r, u8 key, u64 val);	/* 42 */
void akl_rec_s64(struct akl_rec *r, u8 key, s64 val);	/* -7 */
void akl_rec_hex(struct akl_rec *r, u8 key, u64 val);	/* 0x2a */
void akl_rec_oct(struct akl_rec *r, u8 key, u64 val);	/* 0755 */
void akl_rec_dev(struct akl_rec *r, u8 key, u32 major, u32 minor); /* 8:1 */
void akl_rec_exec_id(struct akl_rec *r, u8 key, u64 id); /* LOAD-N, unknown */
void akl_rec_ip4(struct akl_rec *r, u8 key, const void *addr);
void akl_rec_ip6(struct akl_rec *r, u8 key, const void *addr);
void akl_rec_word(struct akl_rec *r, u8 key, const char *s, size_t maxlen);
/* A name from a table or a literal: "ok", "ECONNREFUSED", "tcp_close" */
#define AKL_NAME_MAX	32
static inline void akl_rec_name(struct akl_rec *r, u8 key, const char *s)
{
	akl_rec_word(r, key, s, AKL_NAME_MAX);
}

void akl_rec_named(struct akl_rec *r, const char *name, const char *s,
		   size_t maxlen);
void akl_rec_str(struct akl_rec *r, u8 key, const char *s, size_t maxlen);
void akl_rec_mem(struct akl_rec *r, u8 key, const void *p, size_t n,
		 unsigned int flags);

/* A string assembled from several pieces */
bool akl_rec_open_str(struct akl_rec *r, u8 key, unsigned int flags);
size_t akl_rec_append(struct akl_rec *r, const void *p, size_t n);
void akl_rec_close_str(struct akl_rec *r);

/* The reader's side */
#define AKL_FMT_WHOLE	0x1	/* drop a field that does not fit whole */

#define AKL_MEMO_FIELDS	48
#define AKL_MEMO_BIN	512
#define AKL_MEMO_TEXT	1536
/**
 * struct akl_fmt_memo - a reader's last record, binary and text
 * @n: fields held; 0: none
 * @load_id: the load they were formatted for
 * @bin_off: where field i starts in @bin; @bin_off[@n] is its end
 * @text_off: where field i's text (its separator included) starts in
 *	@text; @text_off[@n] is its end
 * @bin: the record's binary fields
 * @text: their text, as akl_format_fields() wrote it
 *
 * A field whose binary is that of the field at the same place in the last
 * record (one process's records repeat its whole actor) is copied from
 * this text, not formatted again. Not held (@n is 0 after them): records
 * longer than the buffers (an exec's argv), with more than
 * AKL_MEMO_FIELDS fields, truncated or not decodable.
 */
struct akl_fmt_memo {
	u32 n;
	u64 load_id;
	u16 bin_off[AKL_MEMO_FIELDS + 1];
	u16 text_off[AKL_MEMO_FIELDS + 1];
	u8 bin[AKL_MEMO_BIN];
	char text[AKL_MEMO_TEXT];
};

void akl_format_init(void);
size_t akl_format_fields(char *dst, size_t size, const void *rec, u32 len,
			 u64 load_id, unsigned int flags,
			 struct akl_fmt_memo *memo);
size_t akl_escape(char *dst, size_t dstsz, const void *src, size_t n,
		  unsigned int flags, size_t *consumed);
int akl_format_header(char *dst, size_t dstsz, u64 seq, u64 ts_ns,
		      u64 load_id, unsigned int type);

#endif /* _AKL_RECORD_H */
