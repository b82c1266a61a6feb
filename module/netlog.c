// SPDX-License-Identifier: GPL-2.0-only
/*
 * netlog.c - the netlog subsystem (being written)
 */
#include "netlog.h"

int akl_netlog_init(void)
{
	return 0;
}

void akl_netlog_exit(void)
{
}
