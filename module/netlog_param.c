// SPDX-License-Identifier: GPL-2.0-only
/*
 * netlog_param.c - netlog's parameters: netlog, probes, probe_*, and the
 * net_untracked counter
 *
 * A change takes effect at once (akl_net_set(), netlog.c: the hooks stay
 * attached, handlers look at the bits) and is recorded; a malformed value
 * is refused and the old one kept.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include "config.h"
#include "conntab.h"
#include "netdest.h"
#include "netlog.h"

/* Connection and destination tables: conntab.c, netdest.c */

static int untracked_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n",
			  akl_conn_untracked() + akl_dest_untracked());
}

static const struct kernel_param_ops untracked_ops = {
	.set = akl_param_readonly_set,
	.get = untracked_get,
};

module_param_cb(net_untracked, &untracked_ops, NULL, 0444);
MODULE_PARM_DESC(net_untracked,
		 "Read-only: connections and datagram sockets not tracked because a table was full");

static unsigned int netlog_on = 1;
static unsigned int probes = NL_ALL;

/* The events to log: probes if netlog is on, else none. */
unsigned int akl_net_wanted(void)
{
	return netlog_on ? probes : 0;
}

static int netlog_apply(unsigned int old)
{
	akl_net_set(akl_net_wanted());
	return 0;
}

AKL_PARAM_UINT(netlog, netlog_on, 0, 1, netlog_apply);
MODULE_PARM_DESC(netlog, "Log network activity: 1 on, 0 off (default 1)");

/* Sets probes to @val for parameter @kp, and records the change. */
static int probes_change(unsigned int val, const struct kernel_param *kp)
{
	probes = val;
	if (!akl_config_live())
		return 0;
	akl_net_set(akl_net_wanted());
	akl_config_changed(kp);
	return 0;
}

/* A written value's length without the newline that echo adds. */
static int shown_len(const char *val)
{
	size_t n = strlen(val);

	if (n && val[n - 1] == '\n')
		n--;
	return min_t(size_t, n, 64);
}

static int probes_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = akl_config_may_set(kp);
	if (ret)
		return ret;
	if (kstrtouint(val, 16, &v) || (v & ~NL_ALL)) {
		pr_err("%s: '%.*s' is not a hexadecimal mask within 0x%lx; keeping 0x%x\n",
		       kp->name, shown_len(val), val, NL_ALL, probes);
		return -EINVAL;
	}
	return probes_change(v, kp);
}

static int probes_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "0x%x\n", probes);
}

static const struct kernel_param_ops probes_ops = {
	.set = probes_set,
	.get = probes_get,
};

module_param_cb(probes, &probes_ops, NULL, 0644);
MODULE_PARM_DESC(probes,
		 "Events logged, a hexadecimal mask: tcp_connect 0x1, tcp_accept 0x2, tcp_close 0x4, udp_connect 0x8, udp_bind 0x10, udp_close 0x20, tcp_listen 0x40, tcp_bind 0x80, udp_send 0x100 (default 0x1ff)");

/* probe_*: one bit of probes each, kp->arg holding the bit. */
static int probe_bit_set(const char *val, const struct kernel_param *kp)
{
	unsigned int bit = (unsigned long)kp->arg, v;
	int ret;

	ret = akl_config_may_set(kp);
	if (ret)
		return ret;
	if (kstrtouint(val, 10, &v) || v > 1) {
		pr_err("%s: '%.*s' is not 0 or 1; keeping %u\n", kp->name,
		       shown_len(val), val, !!(probes & bit));
		return -EINVAL;
	}
	return probes_change(v ? probes | bit : probes & ~bit, kp);
}

static int probe_bit_get(char *buf, const struct kernel_param *kp)
{
	unsigned int bit = (unsigned long)kp->arg;

	return sysfs_emit(buf, "%u\n", !!(probes & bit));
}

static const struct kernel_param_ops probe_bit_ops = {
	.set = probe_bit_set,
	.get = probe_bit_get,
};

#define PROBE_PARAM(_name, _bit, _hex)					\
	module_param_cb(probe_##_name, &probe_bit_ops,			\
			(void *)(unsigned long)(_bit), 0644);		\
	MODULE_PARM_DESC(probe_##_name, "Log " #_name " events: 1 or 0, bit " \
			 _hex " of probes (default 1)")

PROBE_PARAM(tcp_connect, NL_TCP_CONNECT, "0x1");
PROBE_PARAM(tcp_accept, NL_TCP_ACCEPT, "0x2");
PROBE_PARAM(tcp_close, NL_TCP_CLOSE, "0x4");
PROBE_PARAM(udp_connect, NL_UDP_CONNECT, "0x8");
PROBE_PARAM(udp_bind, NL_UDP_BIND, "0x10");
PROBE_PARAM(udp_close, NL_UDP_CLOSE, "0x20");
PROBE_PARAM(tcp_listen, NL_TCP_LISTEN, "0x40");
PROBE_PARAM(tcp_bind, NL_TCP_BIND, "0x80");
PROBE_PARAM(udp_send, NL_UDP_SEND, "0x100");
