// SPDX-License-Identifier: GPL-2.0-only
/*
 * conntab.c - the connection table: what netlog keeps about a socket
 *
 * DOC: connection table
 *
 * struct sock has no start time and no room for ours: a fixed table,
 * allocated at load, keyed by the socket's address, holds the time a
 * connection started (connect or accept, UDP bind or connect) for its
 * close record's duration, its whitelist decision, and the hand-over
 * between the return of a connect that is still in progress and the
 * tracepoint that sees it end.
 *
 * The table is set-associative (groups of CONN_WAYS slots). Each group has
 * a raw spinlock, taken with interrupts off (it never sleeps, PREEMPT_RT
 * included, and the tracepoint may run in softirq over a task's handler):
 * finding a socket's slot, claiming one, reading or updating it and
 * freeing it happen under it, so one socket never gets two slots and a
 * handler never writes into a slot that another connection claimed since
 * it looked. A handler that keeps a slot across calls (a connect's entry
 * and return) keeps its generation too, bumped at every claim, and uses
 * the slot only while the generation is unchanged. Two threads calling
 * connect() on one socket at once: the one that claims the slot owns the
 * attempt (CONN_CONNECTING until it returns); the other's call is a
 * repeated call.
 *
 * No user may hold more than a quarter of the slots (CONN_USER_MAX), nor
 * more than half of any group's (CONN_USER_WAYS); users are told apart by
 * a hash of their real uid. The second bound is what keeps one user from
 * crowding out another: a quarter of the table, spread over the groups by
 * the hash of the sockets' addresses, can fill a group to its last slot,
 * and a socket of another user that hashes there would find no room.
 * However many sockets one user opens, every group keeps half its slots
 * for the others.
 *
 * A socket that finds its group full, or whose user holds their share, is
 * not tracked: its close record
 * says duration_ms=unknown and the parameter net_untracked counts it; a
 * non-blocking connect's outcome (tcp_connect_done) cannot be followed
 * then, and is counted as a lost record. Entries are removed when the
 * socket is released: inet_release's hook is attached from load to unload
 * and runs whatever the parameters, so that no entry outlives its socket.
 */
#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "conntab.h"
#include "proctab.h"
#include "secure_log.h"

#define CONN_BITS	13
#define CONN_WAYS	8
#define CONN_SLOTS	BIT(CONN_BITS)
#define CONN_GROUPS	(CONN_SLOTS / CONN_WAYS)
#define CONN_USER_BITS	8
#define CONN_USER_MAX	(CONN_SLOTS / 4)
#define CONN_USER_WAYS	(CONN_WAYS / 2)

/* flags */
#define CONN_PENDING	0x1	/* connect returned, outcome not logged yet */
#define CONN_DONE	0x2	/* outcome seen before connect returned */
#define CONN_QUIET	0x4	/* no outcome record (whitelisted, probe off) */
#define CONN_CONNECTING	0x8	/* a connect() call owns the slot until it returns */

/**
 * struct akl_conn - a tracked socket
 * @key: the struct sock, 0 when free
 * @gen: bumped each time the slot is claimed or restarted
 * @flags: CONN_*
 * @start_ns: when the connection started (boot time)
 * @exec_id: the exec id of its program (proctab.c), 0 if not known
 * @pid: the process that connected (or accepted, or bound)
 * @wl: its events are whitelisted
 * @err: the outcome the tracepoint saw (0 or an errno), with CONN_DONE
 * @user: the hash of the uid whose share it counts in (user_slots)
 * @local: the local endpoint then, with CONN_DONE
 */
struct akl_conn {
	unsigned long key;
	u32 gen;
	u16 flags;
	u16 user;
	u64 start_ns;
	u64 exec_id;
	pid_t pid;
	bool wl;
	int err;
	struct akl_net_addr local;
};

/* CONN_WAYS slots, and the lock that makes find-and-claim atomic. */
struct conn_group {
	raw_spinlock_t lock;
	struct akl_conn slot[CONN_WAYS];
};

static struct conn_group *conn_groups;
static atomic_long_t untracked = ATOMIC_LONG_INIT(0);
/* Slots held per user (hash of the real uid) */
static atomic_t user_slots[BIT(CONN_USER_BITS)];

static struct conn_group *conn_group(const struct sock *sk)
{
	return &conn_groups[hash_ptr(sk, CONN_BITS) / CONN_WAYS];
}

/* Group locks: raw, with interrupts off (see the DOC above). */
static struct akl_conn *conn_lock(const struct sock *sk, unsigned long *irqf)
	__acquires(&conn_group(sk)->lock)
{
	struct conn_group *g = conn_group(sk);

	raw_spin_lock_irqsave(&g->lock, *irqf);
	return g->slot;
}

static void conn_unlock(const struct sock *sk, unsigned long irqf)
	__releases(&conn_group(sk)->lock)
{
	raw_spin_unlock_irqrestore(&conn_group(sk)->lock, irqf);
}

/* The socket's slot in its group's slots @s, or NULL. Context: group lock. */
static struct akl_conn *slot_find(struct akl_conn *s, const struct sock *sk)
{
	int i;

	for (i = 0; i < CONN_WAYS; i++)
		if (s[i].key == (unsigned long)sk)
			return &s[i];
	return NULL;
}

/*
 * Whether the current user may claim another of the group's slots @s:
 * fewer than CONN_USER_WAYS of them are theirs, and fewer than
 * CONN_USER_MAX in all (then counted in @user's share).
 * Context: group lock held.
 */
static bool user_claim(const struct akl_conn *s, u32 user)
{
	int i, held = 0;

	for (i = 0; i < CONN_WAYS; i++)
		if (s[i].key && s[i].user == user)
			held++;
	if (held >= CONN_USER_WAYS)
		return false;
	if (atomic_inc_return(&user_slots[user]) > CONN_USER_MAX) {
		atomic_dec(&user_slots[user]);
		return false;
	}
	return true;
}

/*
 * The socket's slot, or a free one claimed for it, reset to a fresh start
 * held by @ref; NULL (counted in untracked) if the group is full, or its
 * user holds their share of it or of the table.
 * Context: group lock held.
 */
static struct akl_conn *slot_start(struct akl_conn *s, const struct sock *sk,
				   u32 flags, struct akl_conn_ref *ref)
{
	struct akl_conn *c = slot_find(s, sk);
	struct akl_proc_info pi;
	u32 user;
	int i;

	for (i = 0; !c && i < CONN_WAYS; i++)
		if (!s[i].key)
			c = &s[i];
	if (c && !c->key) {
		/* A new slot: within its user's share */
		user = hash_32(__kuid_val(current_uid()), CONN_USER_BITS);
		if (user_claim(s, user))
			c->user = user;
		else
			c = NULL;
	}
	if (!c) {
		atomic_long_inc(&untracked);
		ref->c = NULL;
		return NULL;
	}
	c->key = (unsigned long)sk;
	c->gen++;
	c->flags = flags;
	c->start_ns = ktime_get_boottime_ns();
	c->pid = task_tgid_nr(current);
	akl_proc_get(current, &pi, NULL, 0);
	c->exec_id = pi.exec_id;
	c->wl = false;
	c->err = 0;
	memset(&c->local, 0, sizeof(c->local));
	ref->c = c;
	ref->gen = c->gen;
	return c;
}

/* @ref's slot if it still holds the connection it was taken for. */
static struct akl_conn *slot_get(const struct akl_conn_ref *ref)
{
	if (ref->c && ref->c->key && ref->c->gen == ref->gen)
		return ref->c;
	return NULL;
}

static void slot_free(struct akl_conn *c)
{
	if (c->key)
		atomic_dec(&user_slots[c->user]);
	c->key = 0;
	c->flags = 0;
}

/**
 * akl_conn_start() - a fresh entry for a socket (a connection starts)
 * @sk: the socket
 * @ref: set to the entry; its c is NULL if the group is full (counted)
 *
 * Context: any.
 */
void akl_conn_start(const struct sock *sk, struct akl_conn_ref *ref)
{
	unsigned long irqf;
	struct akl_conn *s = conn_lock(sk, &irqf);

	slot_start(s, sk, 0, ref);
	conn_unlock(sk, irqf);
}

/**
 * akl_conn_keep() - a socket's entry as it is, else a fresh one
 * @sk: the socket
 * @ref: set to the entry, as for akl_conn_start()
 * @wl: set to the kept entry's whitelist decision
 *
 * Context: any.
 */
void akl_conn_keep(const struct sock *sk, struct akl_conn_ref *ref, bool *wl)
{
	unsigned long irqf;
	struct akl_conn *s = conn_lock(sk, &irqf);
	struct akl_conn *c = slot_find(s, sk);

	if (c) {
		ref->c = c;
		ref->gen = c->gen;
		*wl = c->wl;
	} else {
		slot_start(s, sk, 0, ref);
	}
	conn_unlock(sk, irqf);
}

/**
 * akl_conn_set_wl() - keep a record's whitelist decision in its entry
 * @sk: the socket
 * @ref: the entry, left alone if it now holds another connection
 * @wl: the decision
 *
 * Context: any.
 */
void akl_conn_set_wl(const struct sock *sk, const struct akl_conn_ref *ref,
		     bool wl)
{
	unsigned long irqf;
	struct akl_conn *c;

	if (!ref->c)
		return;
	conn_lock(sk, &irqf);
	c = slot_get(ref);
	if (c)
		c->wl = wl;
	conn_unlock(sk, irqf);
}

/**
 * akl_conn_end() - remove a socket's entry (it is released)
 * @sk: the socket
 * @start: set to the entry's start time, if there was one
 * @wl: set to its whitelist decision, if there was one
 * @owner: set to the process that started it, if there was one
 *
 * Context: any.
 * Return: whether there was an entry.
 */
bool akl_conn_end(const struct sock *sk, u64 *start, bool *wl,
		  struct akl_conn_owner *owner)
{
	unsigned long irqf;
	struct akl_conn *s = conn_lock(sk, &irqf);
	struct akl_conn *c = slot_find(s, sk);

	if (c) {
		*start = c->start_ns;
		*wl = c->wl;
		owner->pid = c->pid;
		owner->exec_id = c->exec_id;
		slot_free(c);
	}
	conn_unlock(sk, irqf);
	return c;
}

/**
 * akl_conn_connect_begin() - start a socket's entry for a connect attempt
 * @sock: the socket
 * @sk: its sock
 * @ref: set to the entry, held until akl_conn_connect_end()
 *
 * Context: any (a kretprobe's entry handler).
 * Return: false if another call is the attempt (two threads calling
 * connect() on one socket at once), or the socket is no longer
 * unconnected: that call is a repeated one.
 */
bool akl_conn_connect_begin(const struct socket *sock, const struct sock *sk,
			    struct akl_conn_ref *ref)
{
	unsigned long irqf;
	struct akl_conn *s = conn_lock(sk, &irqf);
	struct akl_conn *c = slot_find(s, sk);
	bool ok;

	/*
	 * Under the lock, ordered after the owner's return handler (which
	 * takes it after the kernel set SS_CONNECTING): a call that comes
	 * later sees that, one that comes earlier sees the owner's flag.
	 */
	ok = READ_ONCE(sock->state) == SS_UNCONNECTED &&
	     !(c && (c->flags & CONN_CONNECTING));
	/* A stale entry must not hand over an outcome: start afresh. */
	if (ok)
		slot_start(s, sk, CONN_CONNECTING, ref);
	conn_unlock(sk, irqf);
	return ok;
}

/**
 * akl_conn_failed_local() - the local end a failed connect had
 * @sk: the socket
 * @ref: the connect's entry
 * @l: set to the local end the tracepoint kept, if it saw the failure
 *
 * Context: any.
 */
void akl_conn_failed_local(const struct sock *sk,
			   const struct akl_conn_ref *ref,
			   struct akl_net_addr *l)
{
	unsigned long irqf;
	struct akl_conn *c;

	conn_lock(sk, &irqf);
	c = slot_get(ref);
	if (c && (c->flags & CONN_DONE))
		*l = c->local;
	conn_unlock(sk, irqf);
}

/**
 * akl_conn_connect_end() - a connect call returned
 * @sk: the socket
 * @ref: its entry, from akl_conn_connect_begin()
 * @bg: the socket is still connecting in the background
 * @keep: the connection is up and its close is tracked: keep the entry
 * @logged: the connect's record was made
 * @o: set to the outcome, when true is returned
 *
 * Ends the call's hold on the entry, and hands the outcome over to the
 * tracepoint (@bg), unless the tracepoint already saw it. With @bg and
 * @logged and no entry (the table was full), the outcome
 * record cannot be made: counted as lost.
 *
 * Context: any (a kretprobe's return handler).
 * Return: true if the outcome is known and its record is for the caller
 * to make.
 */
bool akl_conn_connect_end(const struct sock *sk,
			  const struct akl_conn_ref *ref, bool bg, bool keep,
			  bool logged, struct akl_conn_done *o)
{
	unsigned long irqf;
	struct akl_conn *c;
	bool done = false;

	conn_lock(sk, &irqf);
	c = slot_get(ref);
	if (!c) {
		conn_unlock(sk, irqf);
		if (bg && logged)
			akl_log_lost_add(1);
		return false;
	}
	if (!bg) {
		c->flags = 0;
		if (!keep)
			slot_free(c);
	} else if (!logged) {
		/* Whitelisted or not logged: neither is its outcome. */
		c->flags = CONN_QUIET;
	} else if (c->flags & CONN_DONE) {
		c->flags = 0;
		o->pid = c->pid;
		o->exec_id = c->exec_id;
		o->err = c->err;
		o->local = c->local;
		done = true;
	} else {
		c->flags = CONN_PENDING;
	}
	conn_unlock(sk, irqf);
	return done;
}

/**
 * akl_conn_outcome() - a socket left SYN_SENT
 * @sk: the socket
 * @err: 0 if it connected, else the errno
 * @local: its local end now
 * @o: set to the outcome, when true is returned
 *
 * Keeps the outcome in the socket's entry for the connect's return, or,
 * if that returned already and handed over, gives it to the caller.
 *
 * Context: any (the tracepoint: softirq, or a task releasing the socket).
 * Return: true if the caller is to make the outcome's record.
 */
bool akl_conn_outcome(const struct sock *sk, int err,
		      const struct akl_net_addr *local,
		      struct akl_conn_done *o)
{
	struct akl_conn *s, *c;
	bool pending = false;
	unsigned long irqf;

	s = conn_lock(sk, &irqf);
	c = slot_find(s, sk);
	if (c && !(c->flags & CONN_QUIET)) {
		c->err = err;
		c->local = *local;
		pending = c->flags & CONN_PENDING;
		if (pending) {
			c->flags &= ~CONN_PENDING;
			o->pid = c->pid;
			o->exec_id = c->exec_id;
			o->err = c->err;
			o->local = c->local;
		} else {
			c->flags |= CONN_DONE;
		}
	}
	conn_unlock(sk, irqf);
	return pending;
}

/* Context: any. Return: connections not tracked since load. */
long akl_conn_untracked(void)
{
	return atomic_long_read(&untracked);
}

/**
 * akl_conntab_init() - allocate the table
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int akl_conntab_init(void)
{
	int i;

	conn_groups = kvcalloc(CONN_GROUPS, sizeof(*conn_groups), GFP_KERNEL);
	if (!conn_groups)
		return -ENOMEM;
	for (i = 0; i < CONN_GROUPS; i++)
		raw_spin_lock_init(&conn_groups[i].lock);
	return 0;
}

/* Context: module exit or failed init, once no handler can run. */
void akl_conntab_exit(void)
{
	kvfree(conn_groups);
	conn_groups = NULL;
}
