/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netrec.h - what a net record says: endpoints, protocol, result, actor
 */
#ifndef _AKL_NETREC_H
#define _AKL_NETREC_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <net/sock.h>

#include "netlog.h"
#include "record.h"

struct akl_proc_info;

/* A requested address, as kept by an entry handler. */
union akl_sa_copy {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/* An event without a result (a datagram sent): no result= field. */
#define AKL_NET_NO_RESULT	1

static inline bool akl_is_tcp(const struct sock *sk)
{
	return sk && sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

/* An MPTCP socket (not a subflow): logged as a TCP one, proto=mptcp. */
static inline bool akl_is_mptcp(const struct sock *sk)
{
	return sk && sk->sk_type == SOCK_STREAM &&
	       sk->sk_protocol == IPPROTO_MPTCP;
}

/*
 * UDP, UDP-Lite and ICMP echo ("ping") sockets: datagrams to addresses;
 * and SCTP's (messages to addresses, one-to-many or one-to-one), recorded
 * as theirs with proto=sctp.
 */
static inline bool akl_is_udp(const struct sock *sk)
{
	if (!sk)
		return false;
	if (sk->sk_protocol == IPPROTO_SCTP)
		return sk->sk_type == SOCK_SEQPACKET ||
		       sk->sk_type == SOCK_STREAM;
	if (sk->sk_type != SOCK_DGRAM)
		return false;
	switch (sk->sk_protocol) {
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return true;
	}
	return false;
}

void akl_net_local(const struct sock *sk, struct akl_net_addr *a);
void akl_net_remote(const struct sock *sk, struct akl_net_addr *a);
void akl_sa_save(union akl_sa_copy *dst, const struct sockaddr *sa, int len);
void akl_sa_addr(const union akl_sa_copy *s, struct akl_net_addr *a);

void akl_net_rec_ep(struct akl_rec *r, u8 addr, const struct akl_net_addr *a);
void akl_net_rec_proto(struct akl_rec *r, const struct sock *sk);
void akl_net_rec_result(struct akl_rec *r, int err);
void akl_net_rec_netns(struct akl_rec *r, const struct sock *sk);
void akl_net_rec_tcp_counts(struct akl_rec *r, struct sock *sk,
			    unsigned int state);
const char *akl_tcp_state_name(unsigned int state);

struct akl_rec *akl_net_begin_rec(const char *event,
				  const struct akl_net_addr *ep, bool *wl,
				  struct akl_proc_info *pi);
bool akl_net_log_event(const char *event, const struct sock *sk,
		       const struct akl_net_addr *l,
		       const struct akl_net_addr *ra, bool *wl, int ret);

#endif /* _AKL_NETREC_H */
