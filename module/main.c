// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - activity_klog: logs who executed what and who talked to whom
 *
 * Module init and exit only: each subsystem starts in turn and stops in
 * the reverse order.
 */
#include <linux/module.h>

#include "config.h"
#include "execlog.h"
#include "hooks.h"
#include "netlog.h"
#include "proclog.h"
#include "proctab.h"
#include "secure_log.h"

static int __init akl_init(void)
{
	int ret;

	ret = akl_slog_init();
	if (ret)
		return ret;
	/* The load record comes first: seq 0 of every load. */
	ret = akl_config_init();
	if (ret)
		goto err_slog;
	ret = akl_hooks_init();
	if (ret)
		goto err_config;
	ret = akl_proctab_init();
	if (ret)
		goto err_hooks;
	ret = akl_execlog_init();
	if (ret)
		goto err_proctab;
	ret = akl_proclog_init();
	if (ret)
		goto err_execlog;
	/* Once execs update the table: what already runs, then netlog. */
	akl_proclog_existing();
	ret = akl_netlog_init();
	if (ret)
		goto err_proclog;
	akl_config_start();
	pr_info("version %s loaded, records in /dev/secure_log\n", AKL_VERSION);
	return 0;

err_proclog:
	akl_proclog_exit();
err_execlog:
	akl_execlog_exit();
err_proctab:
	akl_proctab_exit();
err_hooks:
	akl_hooks_exit();
err_config:
	akl_config_exit();
err_slog:
	akl_slog_exit();
	return ret;
}

static void __exit akl_exit(void)
{
	akl_config_exit();
	akl_netlog_exit();
	akl_proclog_exit();
	akl_execlog_exit();
	akl_proctab_exit();
	akl_hooks_exit();
	akl_slog_exit();
	pr_info("unloaded\n");
}

module_init(akl_init);
module_exit(akl_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("activity_klog developers");
MODULE_DESCRIPTION("Logs program executions and network activity with who did them");
MODULE_VERSION(AKL_VERSION);
