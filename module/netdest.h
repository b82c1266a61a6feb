/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netdest.h - the destinations each datagram socket sent to
 */
#ifndef _AKL_NETDEST_H
#define _AKL_NETDEST_H

#include <linux/types.h>

#include "netlog.h"

struct sock;

/* Datagram destinations recorded one by one per socket; then only counted. */
#define AKL_DEST_LOG_MAX	32

enum akl_dest_verdict {
	AKL_DEST_SEEN,		/* sent there lately: no record */
	AKL_DEST_LOG,		/* a new destination: record it */
	AKL_DEST_COUNTED,	/* new, but past the socket's budget: counted */
};

int akl_desttab_init(void);
void akl_desttab_exit(void);
enum akl_dest_verdict akl_dest_check(const struct sock *sk,
				     const struct akl_net_addr *dst);
u32 akl_dest_end(const struct sock *sk);
long akl_dest_untracked(void);

#endif /* _AKL_NETDEST_H */
