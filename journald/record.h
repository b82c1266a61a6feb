/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parser of one /dev/secure_log record line (see README, "Record format"):
 * fields separated by one space, each key=value, the value a bare word or a
 * double-quoted string with the escapes \\ \" and \xHH.
 */
#ifndef AKL_RECORD_H
#define AKL_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* AKL_LINE_MAX, the bare word's characters, types and field names */
#include "../module/akl_format.h"

struct akl_field {
	const char *key;	/* not NUL-terminated */
	size_t key_len;
	const char *val;	/* decoded: may hold any byte, NUL included */
	size_t val_len;
	int quoted;
};

/*
 * Splits LINE (LEN bytes, an optional trailing '\n' allowed) into at most
 * MAX fields, decoding quoted values into OUT (at least LEN bytes). Keys
 * point into LINE, values into LINE (bare) or OUT (quoted).
 * Returns the number of fields, or -1 if the line is malformed: then *NR
 * (if not NULL) still gives the fields parsed before the error, and *ERR a
 * static description of it. Never reads outside LINE or writes outside OUT.
 */
int akl_parse(const char *line, size_t len, char *out, struct akl_field *f,
	      int max, int *nr, const char **err);

/* The value of field KEY (a C string), or NULL if absent. */
const struct akl_field *akl_find(const struct akl_field *f, int n,
				 const char *key);

/*
 * Writes the journal field name of KEY into NAME (at least
 * AKL_JNAME_MAX + 1 bytes): "AKL_" and KEY uppercased, any byte outside
 * [A-Z0-9_] replaced by '_', cut to AKL_JNAME_MAX. Returns its length.
 */
#define AKL_JNAME_MAX	64
size_t akl_journal_name(const char *key, size_t key_len, char *name);

/*
 * The load and seq fields of LINE (parsed with OUT and F, MAX fields, as
 * akl_parse()): LOAD (SIZE bytes) gets the load id as a C string. A line
 * cut short after its first fields still has them. Returns 0, or -1 if
 * either is missing.
 */
int akl_load_seq(const char *line, size_t len, char *out, struct akl_field *f,
		 int max, char *load, size_t size, uint64_t *seq);

/* A decimal field value as a number: 0, or -1 if it is not one. */
int akl_parse_u64(const char *s, size_t len, uint64_t *v);

#endif /* AKL_RECORD_H */
