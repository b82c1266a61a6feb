/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The netlog subsystem: TCP and UDP activity
 */
#ifndef _AKL_NETLOG_H
#define _AKL_NETLOG_H

#include <linux/bits.h>
#include <linux/in6.h>
#include <linux/types.h>

/**
 * struct akl_net_addr - one endpoint of a socket
 * @family: AF_INET, AF_INET6, or 0 when unknown
 * @port: the port, network order
 * @v4: the IPv4 address (AF_INET)
 * @v6: the IPv6 address (AF_INET6), an IPv4 one possibly mapped in it
 */
struct akl_net_addr {
	u16 family;
	__be16 port;
	union {
		__be32 v4;
		struct in6_addr v6;
	};
};

/* Probe bits: the original's values, then what is new. */
#define NL_TCP_CONNECT	BIT(0)
#define NL_TCP_ACCEPT	BIT(1)
#define NL_TCP_CLOSE	BIT(2)
#define NL_UDP_CONNECT	BIT(3)
#define NL_UDP_BIND	BIT(4)
#define NL_UDP_CLOSE	BIT(5)
#define NL_TCP_LISTEN	BIT(6)
#define NL_TCP_BIND	BIT(7)
#define NL_UDP_SEND	BIT(8)
#define NL_ALL		(BIT(9) - 1)

int akl_netlog_init(void);
void akl_netlog_exit(void);

/* netlog_param.c: the parameters; netlog.c: what handlers record */
unsigned int akl_net_wanted(void);
void akl_net_set(unsigned int want);

/* netlog_wl.c: the net_whitelist parameter */
bool akl_net_wl_current(const struct akl_net_addr *ep, bool *known);
void akl_net_wl_free(void);

#endif /* _AKL_NETLOG_H */
