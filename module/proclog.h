/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proclog.h - the start and end of processes: exits, and those found at load
 */
#ifndef _AKL_PROCLOG_H
#define _AKL_PROCLOG_H

int akl_proclog_init(void);
void akl_proclog_existing(void);
void akl_proclog_exit(void);

#endif /* _AKL_PROCLOG_H */
