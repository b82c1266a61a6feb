/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netlog.h - the netlog subsystem
 */
#ifndef _AKL_NETLOG_H
#define _AKL_NETLOG_H

int akl_netlog_init(void);
void akl_netlog_exit(void);

#endif /* _AKL_NETLOG_H */
