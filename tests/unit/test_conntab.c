// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_conntab.c - unit tests of module/conntab.c: users' shares of the
 * connection table, and a connect's hand-over of its outcome
 *
 * Includes conntab.c itself, to place sockets in a group of its choice
 * (conn_group()): what one user's sockets do to another's in one group
 * cannot be arranged from a guest, where the group is the hash of a
 * kernel address.
 */
#include "../../module/conntab.c"
#include "unit.h"

struct task_struct kshim_task = { .group_leader = &kshim_task };
static u64 now_ns;
static unsigned long lost;

u64 ktime_get_boottime_ns(void)
{
	return ++now_ns;
}

char *akl_proc_get(const struct task_struct *t, struct akl_proc_info *pi,
		   char *buf, size_t size)
{
	(void)buf;
	(void)size;
	memset(pi, 0, sizeof(*pi));
	pi->exec_id = 1000 + t->tgid;
	return NULL;
}

void akl_log_lost_add(unsigned long n)
{
	lost += n;
}

/*
 * Fake sockets: addresses in an arena, never dereferenced. CAND addresses
 * 64 bytes apart give each group about CAND / CONN_GROUPS of them.
 */
#define CAND	(CONN_GROUPS * 32)
static char arena[CAND * 64];

static const struct sock *sock_at(unsigned int i)
{
	return (const struct sock *)&arena[i * 64];
}

/* The @n-th fake socket (from 0) that falls in group @g, or NULL. */
static const struct sock *in_group(struct conn_group *g, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < CAND; i++)
		if (conn_group(sock_at(i)) == g && !n--)
			return sock_at(i);
	assert(!"too few fake sockets in a group");
	return NULL;
}

static void as_user(u32 uid, pid_t tgid)
{
	kshim_task.uid = uid;
	kshim_task.tgid = tgid;
}

/* Group @g's sockets @from to @to - 1, started: how many got a slot */
static int start_in_group(struct conn_group *g, unsigned int from,
			  unsigned int to)
{
	struct akl_conn_ref ref;
	int tracked = 0;

	for (; from < to; from++) {
		akl_conn_start(in_group(g, from), &ref);
		tracked += ref.c != NULL;
	}
	return tracked;
}

static void end_all(void)
{
	struct akl_conn_owner owner;
	unsigned int i;
	bool wl;
	u64 t;

	for (i = 0; i < CAND; i++)
		akl_conn_end(sock_at(i), &t, &wl, &owner);
}

/*
 * One user fills a group as far as they can: the other user still gets
 * half its slots. (With the table-wide quarter alone, the first user took
 * all CONN_WAYS and the second's socket went untracked.)
 */
static void test_group_share(void)
{
	struct conn_group *g = conn_group(sock_at(0));
	long u0 = akl_conn_untracked();
	struct akl_conn_owner owner;
	struct akl_conn_ref ref;
	char d[128];
	bool wl;
	int a, b;
	u64 t;

	as_user(1000, 10);
	a = start_in_group(g, 0, CONN_WAYS);
	as_user(1001, 11);
	b = start_in_group(g, CONN_WAYS, CONN_WAYS + CONN_USER_WAYS);
	snprintf(d, sizeof(d), "user 1000 got %d of %d, then user 1001 %d of %d",
		 a, CONN_WAYS, b, CONN_USER_WAYS);
	result(a == CONN_USER_WAYS && b == CONN_USER_WAYS, "conntab-group-share", d);
	result(akl_conn_untracked() - u0 == CONN_USER_WAYS, "conntab-group-untracked",
	       "the socket refused a slot is not counted in net_untracked");

	/* A slot its user frees is theirs again; the other's stay. */
	as_user(1000, 10);
	akl_conn_end(in_group(g, 0), &t, &wl, &owner);
	akl_conn_start(in_group(g, 0), &ref);
	result(ref.c && owner.pid == 10 &&
	       akl_conn_end(in_group(g, CONN_WAYS), &t, &wl, &owner) &&
	       owner.pid == 11, "conntab-group-reuse",
	       "a user's freed slot could not be claimed again, or the other's went");
	end_all();
}

/*
 * No user holds more than CONN_USER_MAX slots in all, even spread at
 * CONN_USER_WAYS or fewer per group; others still get theirs.
 */
static void test_table_share(void)
{
	int per = (int)(CONN_USER_MAX / CONN_GROUPS) + 1, tracked = 0, other;
	struct akl_conn_ref ref;
	unsigned int i;
	char d[128];
	long u0 = akl_conn_untracked();

	as_user(0, 1);
	for (i = 0; i < CONN_GROUPS; i++)
		tracked += start_in_group(&conn_groups[i], 0, per);
	as_user(1001, 11);
	other = start_in_group(&conn_groups[0], per, per + 1);
	snprintf(d, sizeof(d), "tracked %d of %d (share %d), untracked %ld, other user %d",
		 tracked, per * (int)CONN_GROUPS, (int)CONN_USER_MAX,
		 akl_conn_untracked() - u0, other);
	result(tracked == CONN_USER_MAX &&
	       akl_conn_untracked() - u0 == per * (int)CONN_GROUPS - (int)CONN_USER_MAX &&
	       other == 1, "conntab-table-share", d);
	end_all();
	/* Every slot freed: the share is whole again. */
	as_user(0, 1);
	akl_conn_start(sock_at(0), &ref);
	result(ref.c && user_slots[hash_32(0, CONN_USER_BITS)].counter == 1,
	       "conntab-share-returned", "freed slots were not given back");
	end_all();
}

/* The outcome seen before the connect returned, and after. */
static void test_handover(void)
{
	const struct sock *sk = sock_at(1), *sk2 = sock_at(2);
	struct akl_net_addr local = { .family = AF_INET, .port = htons(4242) };
	struct socket sock = { .state = SS_UNCONNECTED };
	struct akl_conn_ref ref, ref2;
	struct akl_conn_done o = { 0 };
	bool early, late, begun;

	as_user(1001, 11);
	/* RST processed before the return handler: the return makes the record */
	begun = akl_conn_connect_begin(&sock, sk, &ref);
	early = akl_conn_outcome(sk, ECONNREFUSED, &local, &o);
	result(begun && !early &&
	       akl_conn_connect_end(sk, &ref, true, false, true, &o) &&
	       o.err == ECONNREFUSED && o.pid == 11 && o.local.port == htons(4242),
	       "conntab-outcome-before-return", "the outcome was not handed to the return");

	/* Returned first: the tracepoint makes the record */
	memset(&o, 0, sizeof(o));
	begun = akl_conn_connect_begin(&sock, sk2, &ref2);
	late = !akl_conn_connect_end(sk2, &ref2, true, false, true, &o) &&
	       akl_conn_outcome(sk2, 0, &local, &o);
	result(begun && late && o.err == 0 && o.pid == 11,
	       "conntab-outcome-after-return", "the outcome was not handed to the tracepoint");

	/* A second outcome for the same attempt makes no second record */
	result(!akl_conn_outcome(sk2, ECONNRESET, &local, &o),
	       "conntab-outcome-once", "an attempt had two outcome records");
	end_all();
}

/* An attempt that got no slot: its outcome record is counted lost. */
static void test_untracked_lost(void)
{
	struct conn_group *g = conn_group(sock_at(0));
	struct socket sock = { .state = SS_UNCONNECTED };
	struct akl_conn_ref ref;
	struct akl_conn_done o;
	unsigned long l0 = lost;
	unsigned int i;

	/* Fill the group: half by each of two users. */
	as_user(1000, 10);
	start_in_group(g, 0, CONN_USER_WAYS);
	as_user(1001, 11);
	start_in_group(g, CONN_USER_WAYS, CONN_WAYS);
	as_user(1002, 12);
	i = CONN_WAYS;
	akl_conn_connect_begin(&sock, in_group(g, i), &ref);
	result(!ref.c && !akl_conn_connect_end(in_group(g, i), &ref, true, false,
						 true, &o) && lost == l0 + 1,
	       "conntab-untracked-lost", "an untracked attempt's outcome was not counted lost");
	end_all();
}

int main(void)
{
	if (akl_conntab_init())
		return 2;
	test_group_share();
	test_table_share();
	test_handover();
	test_untracked_lost();
	akl_conntab_exit();
	return failures ? 1 : 0;
}
