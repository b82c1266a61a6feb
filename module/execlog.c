// SPDX-License-Identifier: GPL-2.0-only
/*
 * execlog.c - the execlog subsystem (being written)
 */
#include "execlog.h"

int akl_execlog_init(void)
{
	return 0;
}

void akl_execlog_exit(void)
{
}
