// SPDX-License-Identifier: GPL-2.0-only
/*
 * netdest.c - the destinations each datagram socket sent to
 *
 * DOC: datagram destinations
 *
 * A datagram sent with an address (sendto(), sendmsg() with msg_name, on
 * an unconnected UDP, UDP-Lite or ping socket) is recorded the first time
 * its socket sends to that destination. A fixed table, allocated at load
 * and keyed by the socket's address, keeps per socket the hashes of its
 * DEST_RECENT latest destinations, how many destinations it recorded and
 * how many it did not: past AKL_DEST_LOG_MAX recorded destinations a
 * socket's new destinations are only counted, and its close record says
 * how many (a scan stays visible, a busy socket is not recorded per
 * datagram). A destination that dropped out of the recent ones counts as
 * new again; two destinations whose hashes collide count as one (1 in 2^32).
 *
 * The table is set-associative like the connection table (conntab.c): one
 * raw spinlock per group of DEST_WAYS slots, taken with interrupts off,
 * under which a slot is found, claimed, updated and freed. A socket that
 * finds its group full is not tracked: each of its datagrams with an
 * address is recorded, and net_untracked counts it. Entries are freed when
 * the socket is released (inet_release's hook runs from load to unload).
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/socket.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "netdest.h"

#define DEST_BITS	12
#define DEST_WAYS	8
#define DEST_SLOTS	BIT(DEST_BITS)
#define DEST_GROUPS	(DEST_SLOTS / DEST_WAYS)
#define DEST_RECENT	16

/**
 * struct dest_ent - a datagram socket that sent with an address
 * @key: the struct sock, 0 when free
 * @logged: destinations recorded
 * @unlogged: new destinations past the budget, not recorded
 * @next: where the next destination's hash goes in @recent
 * @recent: hashes of the latest destinations, 0 when unused
 */
struct dest_ent {
	unsigned long key;
	u32 logged;
	u32 unlogged;
	u32 next;
	u32 recent[DEST_RECENT];
};

struct dest_group {
	raw_spinlock_t lock;
	struct dest_ent slot[DEST_WAYS];
};

static struct dest_group *dest_groups;
static atomic_long_t untracked = ATOMIC_LONG_INIT(0);

static struct dest_group *dest_group(const struct sock *sk)
{
	return &dest_groups[hash_ptr(sk, DEST_BITS) / DEST_WAYS];
}

static u32 dest_hash(const struct akl_net_addr *a)
{
	u32 h, port = (__force u32)a->port;

	if (a->family == AF_INET6)
		h = jhash(&a->v6, sizeof(a->v6), port);
	else
		h = jhash_1word((__force u32)a->v4, port);
	h = jhash_1word(h, a->family);
	return h ?: 1;
}

/**
 * akl_dest_check() - a datagram from @sk to @dst: record it?
 * @sk: the sending socket
 * @dst: the destination
 *
 * Context: any (a kprobe on the send path).
 * Return: AKL_DEST_LOG for a destination that is new for the socket (or
 * an untracked socket, counted), AKL_DEST_SEEN for a recent one,
 * AKL_DEST_COUNTED for a new one past the socket's budget.
 */
enum akl_dest_verdict akl_dest_check(const struct sock *sk,
				     const struct akl_net_addr *dst)
{
	struct dest_group *g = dest_group(sk);
	enum akl_dest_verdict v = AKL_DEST_LOG;
	struct dest_ent *e = NULL, *s = g->slot;
	u32 h = dest_hash(dst);
	unsigned long irqf;
	int i;

	raw_spin_lock_irqsave(&g->lock, irqf);
	for (i = 0; i < DEST_WAYS && !e; i++)
		if (s[i].key == (unsigned long)sk)
			e = &s[i];
	for (i = 0; i < DEST_WAYS && !e; i++)
		if (!s[i].key) {
			e = &s[i];
			memset(e, 0, sizeof(*e));
			e->key = (unsigned long)sk;
		}
	if (!e) {
		atomic_long_inc(&untracked);
		goto out;
	}
	for (i = 0; i < DEST_RECENT; i++)
		if (e->recent[i] == h) {
			v = AKL_DEST_SEEN;
			goto out;
		}
	e->recent[e->next] = h;
	e->next = (e->next + 1) % DEST_RECENT;
	if (e->logged < AKL_DEST_LOG_MAX) {
		e->logged++;
	} else {
		if (e->unlogged < U32_MAX)
			e->unlogged++;
		v = AKL_DEST_COUNTED;
	}
out:
	raw_spin_unlock_irqrestore(&g->lock, irqf);
	return v;
}

/**
 * akl_dest_end() - forget a socket (it is released)
 * @sk: the socket
 *
 * Context: any.
 * Return: how many of its destinations were not recorded one by one.
 */
u32 akl_dest_end(const struct sock *sk)
{
	struct dest_group *g = dest_group(sk);
	unsigned long irqf;
	u32 n = 0;
	int i;

	raw_spin_lock_irqsave(&g->lock, irqf);
	for (i = 0; i < DEST_WAYS; i++)
		if (g->slot[i].key == (unsigned long)sk) {
			n = g->slot[i].unlogged;
			g->slot[i].key = 0;
		}
	raw_spin_unlock_irqrestore(&g->lock, irqf);
	return n;
}

/* Context: any. Return: datagram sockets not tracked since load. */
long akl_dest_untracked(void)
{
	return atomic_long_read(&untracked);
}

/**
 * akl_desttab_init() - allocate the table
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int akl_desttab_init(void)
{
	int i;

	dest_groups = kvcalloc(DEST_GROUPS, sizeof(*dest_groups), GFP_KERNEL);
	if (!dest_groups)
		return -ENOMEM;
	for (i = 0; i < DEST_GROUPS; i++)
		raw_spin_lock_init(&dest_groups[i].lock);
	return 0;
}

/* Context: module exit or failed init, once no handler can run. */
void akl_desttab_exit(void)
{
	kvfree(dest_groups);
	dest_groups = NULL;
}
