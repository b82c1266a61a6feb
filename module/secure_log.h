/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * secure_log.h - the record ring behind /dev/secure_log
 */
#ifndef _AKL_SECURE_LOG_H
#define _AKL_SECURE_LOG_H

#include "record.h"

int akl_slog_init(void);
void akl_slog_exit(void);

struct akl_rec *akl_log_begin(enum akl_type type);
void akl_log_commit(struct akl_rec *r);
void akl_log_discard(struct akl_rec *r);
void akl_log_store(struct akl_rec *r);
struct akl_rec *akl_log_alloc(enum akl_type type, size_t size);
void akl_log_store_free(struct akl_rec *r);
char *akl_log_aux(struct akl_rec *r);
void akl_log_lost_add(unsigned long n);
void akl_log_flush_lost(void);

/*
 * The size of akl_log_aux(): a path, or a chunk of user memory, before it
 * is copied into the record.
 */
#define AKL_AUX_SIZE	4096

u64 akl_load_id(void);
unsigned long akl_log_ring_size(void);

#endif /* _AKL_SECURE_LOG_H */
