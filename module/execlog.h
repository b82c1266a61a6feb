/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * execlog.h - the execlog subsystem
 */
#ifndef _AKL_EXECLOG_H
#define _AKL_EXECLOG_H

int akl_execlog_init(void);
void akl_execlog_exit(void);

#endif /* _AKL_EXECLOG_H */
