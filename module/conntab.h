/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * conntab.h - the connection table: what netlog keeps about a socket
 */
#ifndef _AKL_CONNTAB_H
#define _AKL_CONNTAB_H

#include <linux/types.h>

#include "netlog.h"

struct sock;
struct socket;
struct akl_conn;

/*
 * A handler's hold on a slot across calls (a connect's entry and return):
 * valid while the slot's generation is unchanged. @c is NULL when the
 * connection is not tracked.
 */
struct akl_conn_ref {
	struct akl_conn *c;
	u32 gen;
};

/* The process that started a connection: what its later records name. */
struct akl_conn_owner {
	pid_t pid;
	u64 exec_id;
};

/* What a connect's outcome record says, copied out of its slot. */
struct akl_conn_done {
	pid_t pid;
	u64 exec_id;
	int err;
	struct akl_net_addr local;
};

int akl_conntab_init(void);
void akl_conntab_exit(void);
long akl_conn_untracked(void);

void akl_conn_start(const struct sock *sk, struct akl_conn_ref *ref);
void akl_conn_keep(const struct sock *sk, struct akl_conn_ref *ref, bool *wl);
void akl_conn_set_wl(const struct sock *sk, const struct akl_conn_ref *ref,
		     bool wl);
bool akl_conn_end(const struct sock *sk, u64 *start, bool *wl,
		  struct akl_conn_owner *owner);

bool akl_conn_connect_begin(const struct socket *sock, const struct sock *sk,
			    struct akl_conn_ref *ref);
void akl_conn_failed_local(const struct sock *sk,
			   const struct akl_conn_ref *ref,
			   struct akl_net_addr *l);
bool akl_conn_connect_end(const struct sock *sk,
			  const struct akl_conn_ref *ref, bool bg, bool keep,
			  bool logged, struct akl_conn_done *o);
bool akl_conn_outcome(const struct sock *sk, int err,
		      const struct akl_net_addr *local,
		      struct akl_conn_done *o);

#endif /* _AKL_CONNTAB_H */
