/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * actor.h - the fields that name who did something
 */
#ifndef _AKL_ACTOR_H
#define _AKL_ACTOR_H

#include "record.h"

struct task_struct;
struct akl_proc_info;

void akl_rec_task(struct akl_rec *r, struct task_struct *t,
		  const struct akl_proc_info *pi);
void akl_rec_actor(struct akl_rec *r, const struct akl_proc_info *pi);
void akl_rec_path(struct akl_rec *r, u8 key, const char *p, size_t len);
void akl_rec_dpath(struct akl_rec *r, u8 key, const char *p, const char *aux);
char *akl_current_exe(char *aux, struct akl_proc_info *pi);
char *akl_cwd_path(char *aux);
void akl_rec_cwd(struct akl_rec *r, char *aux);

#endif /* _AKL_ACTOR_H */
