// SPDX-License-Identifier: GPL-2.0-only
/*
 * net_whitelist: network events that are not logged
 *
 * Entries are "/path/of/executable", optionally followed by "|i<ADDR>"
 * and/or "|p<PORT>" in either order, the angle brackets optional. ADDR is
 * an IPv4 or IPv6 address with an optional "/PREFIX" (CIDR; host bits
 * are ignored); PORT is 1 to 65535. An entry matches an event of that
 * executable when every part it has matches the endpoint the event is
 * about: the remote one for connect, accept and close, the local one for
 * bind and listen. An IPv4 entry also matches the IPv4-mapped IPv6 form
 * of its addresses. The list is parsed, published and looked up by the
 * generic code in whitelist.c (RCU, hashed by path).
 */
#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "initpath.h"
#include "netlog.h"
#include "proctab.h"
#include "whitelist.h"
#include "wl_syntax.h"

/* The most entries; one write is at most AKL_WL_TEXT_MAX bytes ("+" adds). */
#define NET_WL_MAX_ENTRIES 4096

struct net_wl_entry {
	struct akl_wl_entry base;
	u64 ino;		/* the file the path names from init's root */
	dev_t dev;
	bool has_ip;
	bool has_port;
	u8 prefix;
	u16 port;
	struct akl_net_addr ip;
};

static int parse_port(char *s, struct net_wl_entry *e)
{
	unsigned int port;

	s = akl_wl_unbracket(s);
	if (!s || !akl_wl_all_digits(s) || kstrtouint(s, 10, &port) ||
	    port < 1 || port > 65535)
		return -EINVAL;
	e->port = port;
	e->has_port = true;
	return 0;
}

static void mask_v4(__be32 *a, unsigned int prefix)
{
	*a &= prefix ? htonl(~0U << (32 - prefix)) : 0;
}

static int parse_ip(char *s, struct net_wl_entry *e)
{
	char *slash;
	const char *end;
	unsigned int prefix, max;
	size_t len;

	s = akl_wl_unbracket(s);
	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	if (slash)
		*slash++ = '\0';
	len = strlen(s);
	if (strchr(s, ':')) {
		if (!in6_pton(s, len, e->ip.v6.s6_addr, -1, &end) ||
		    end != s + len)
			return -EINVAL;
		e->ip.family = AF_INET6;
		max = 128;
	} else {
		if (!in4_pton(s, len, (u8 *)&e->ip.v4, -1, &end) ||
		    end != s + len)
			return -EINVAL;
		e->ip.family = AF_INET;
		max = 32;
	}
	prefix = max;
	if (slash && (!akl_wl_all_digits(slash) || kstrtouint(slash, 10, &prefix) ||
		      prefix > max))
		return -EINVAL;
	e->prefix = prefix;
	if (e->ip.family == AF_INET) {
		mask_v4(&e->ip.v4, prefix);
	} else {
		struct in6_addr full = e->ip.v6;

		/* It clears its destination first: not in place. */
		ipv6_addr_prefix(&e->ip.v6, &full, prefix);
	}
	e->has_ip = true;
	return 0;
}

/* What follows "path|": "i<addr>", "p<port>" or both, '|'-separated. */
static int net_wl_parse_rest(char *rest, struct akl_wl_entry *base)
{
	struct net_wl_entry *e = container_of(base, struct net_wl_entry, base);
	char *part;
	int ret;

	/* What a program must run to match: no file, nothing matches. */
	akl_init_path_id(base->path, &e->dev, &e->ino);
	if (!rest)
		return 0;
	while ((part = strsep(&rest, "|"))) {
		if (part[0] == 'i' && !e->has_ip)
			ret = parse_ip(part + 1, e);
		else if (part[0] == 'p' && !e->has_port)
			ret = parse_port(part + 1, e);
		else
			ret = -EINVAL;
		if (ret)
			return ret;
	}
	return 0;
}

static const struct akl_wl_kind net_wl_kind = {
	.entry_size = sizeof(struct net_wl_entry),
	.max_entries = NET_WL_MAX_ENTRIES,
	.parse_rest = net_wl_parse_rest,
};

AKL_PARAM_WHITELIST(net_whitelist, net_wl_kind);
MODULE_PARM_DESC(net_whitelist,
		 "Network events not logged: /path/to/exe[|i<ip[/prefix]>][|p<port>], comma- or newline-separated, at most 4095 bytes a write; +ENTRIES adds, -ENTRIES removes (default empty)");

static bool ip_match(const struct net_wl_entry *e, const struct akl_net_addr *ep)
{
	__be32 v4;

	if (ep->family == AF_INET6 && e->ip.family == AF_INET6)
		return ipv6_prefix_equal(&ep->v6, &e->ip.v6, e->prefix);
	if (e->ip.family != AF_INET)
		return false;
	if (ep->family == AF_INET)
		v4 = ep->v4;
	else if (ep->family == AF_INET6 && ipv6_addr_v4mapped(&ep->v6))
		v4 = ep->v6.s6_addr32[3];
	else
		return false;
	mask_v4(&v4, e->prefix);
	return v4 == e->ip.v4;
}

struct net_wl_event {
	const struct akl_net_addr *ep;
	dev_t dev;
	u64 ino;
};

static bool net_wl_accept(const struct akl_wl_entry *base, void *ctx)
{
	const struct net_wl_entry *e = container_of(base, struct net_wl_entry,
						    base);
	const struct net_wl_event *ev = ctx;

	return e->ino && e->ino == ev->ino && e->dev == ev->dev &&
	       (!e->has_port || e->port == ntohs(ev->ep->port)) &&
	       (!e->has_ip || ip_match(e, ev->ep));
}

/**
 * net_wl_match() - is an event of this executable whitelisted?
 * @path: the executable's path
 * @len: its length
 * @hash: akl_wl_hash() of it
 * @ep: the endpoint to compare (family 0: only path-only entries match)
 * @dev: the device of the file the program runs (the process table's)
 * @ino: that file's inode number
 *
 * An entry matches a program that runs the file its path names from
 * init's root when the list was set (initpath.c), not another file with
 * that path in another mount namespace.
 *
 * Context: any; takes rcu_read_lock().
 * Return: true if an entry matches.
 */
static bool net_wl_match(const char *path, u32 len, u32 hash,
			 const struct akl_net_addr *ep, dev_t dev, u64 ino)
{
	struct net_wl_event ev = { .ep = ep, .dev = dev, .ino = ino };

	return akl_wl_match(&akl_wl_net_whitelist, path, len, hash,
			    net_wl_accept, &ev);
}

struct wl_query {
	const struct akl_net_addr *ep;
	bool known;
};

static bool wl_query(const char *path, u32 len, u32 hash, dev_t dev,
		     u64 ino, void *ctx)
{
	struct wl_query *q = ctx;

	q->known = true;
	return net_wl_match(path, len, hash, q->ep, dev, ino);
}

/**
 * akl_net_wl_current() - is an event of the current program whitelisted?
 * @ep: the endpoint the event is about; NULL: is every event of the
 *	program whitelisted (by an entry without an address or a port)?
 * @known: if not NULL, set to whether that could be told: false when the
 *	list has entries and the program's path is not known
 *
 * Asked before any work is done for an event: the program's path is
 * compared where the process table keeps it, not copied. With NULL, a
 * handler can drop an event at once (the kretprobes of bind and connect
 * then skip their return, and the socket takes no connection-table entry).
 *
 * Context: any task context, atomic included; takes rcu_read_lock().
 * Return: true if an entry whitelists the event (or, for NULL, every
 * event of the program); false if none does or it cannot be told.
 */
bool akl_net_wl_current(const struct akl_net_addr *ep, bool *known)
{
	static const struct akl_net_addr any;	/* family 0: path-only entries */
	struct wl_query q = { .ep = ep ?: &any };
	bool hit;

	/* No entry: nothing to tell, whatever the program. */
	if (akl_wl_empty(&akl_wl_net_whitelist)) {
		if (known)
			*known = true;
		return false;
	}
	hit = akl_proc_test(current, wl_query, &q);
	if (known)
		*known = q.known;
	return hit;
}

/* At unload, after the hooks that look the list up are detached. */
void akl_net_wl_free(void)
{
	akl_wl_param_free(&akl_wl_net_whitelist);
}
