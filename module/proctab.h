/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proctab.h - what each process runs: its executable's path, resolved once
 */
#ifndef _AKL_PROCTAB_H
#define _AKL_PROCTAB_H

#include <linux/types.h>

struct task_struct;
struct akl_exe;

struct akl_exe *akl_exe_new(const char *path, size_t len);
void akl_exe_put(struct akl_exe *exe);
void akl_proc_set_exe(struct task_struct *leader, struct akl_exe *exe);
char *akl_proc_exe(char *buf, size_t size);
int akl_proctab_init(void);
void akl_proctab_fill(void);
void akl_proctab_exit(void);

#endif /* _AKL_PROCTAB_H */
