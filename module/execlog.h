/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * execlog.h - the execlog subsystem
 */
#ifndef _AKL_EXECLOG_H
#define _AKL_EXECLOG_H

struct akl_rec;
struct task_struct;

void akl_rec_argv_area(struct akl_rec *r, char *aux, int argc,
		       unsigned long start, unsigned long end,
		       struct task_struct *remote, bool may_fault);
bool akl_execlog_on(void);
unsigned int akl_exec_argv_max(void);
int akl_execlog_init(void);
void akl_execlog_exit(void);

#endif /* _AKL_EXECLOG_H */
