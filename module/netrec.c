// SPDX-License-Identifier: GPL-2.0-only
/*
 * netrec.c - what a net record says: endpoints, protocol, result, actor
 *
 * The fields that netlog.c's handlers share, read from a socket without
 * its lock (lock_sock() sleeps), with READ_ONCE() where a field changes
 * under us, and the start of a record of the current task's event: the
 * whitelist check and the actor, with one look-up in the process table
 * for the executable's path and the exec id both.
 *
 * Context: the handlers' (atomic; softirq for the tcp_connect_done record).
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/mptcp.h>
#include <net/tcp_states.h>

#include "actor.h"
#include "netrec.h"
#include "proctab.h"
#include "secure_log.h"

void akl_net_local(const struct sock *sk, struct akl_net_addr *a)
{
	a->family = READ_ONCE(sk->sk_family);
	a->port = READ_ONCE(inet_sk(sk)->inet_sport);
#if IS_ENABLED(CONFIG_IPV6)
	if (a->family == AF_INET6) {
		a->v6 = sk->sk_v6_rcv_saddr;
		return;
	}
#endif
	a->v4 = READ_ONCE(sk->sk_rcv_saddr);
}

void akl_net_remote(const struct sock *sk, struct akl_net_addr *a)
{
	a->family = READ_ONCE(sk->sk_family);
	a->port = READ_ONCE(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (a->family == AF_INET6) {
		a->v6 = sk->sk_v6_daddr;
		return;
	}
#endif
	a->v4 = READ_ONCE(sk->sk_daddr);
}

void akl_sa_save(union akl_sa_copy *dst, const struct sockaddr *sa, int len)
{
	memset(dst, 0, sizeof(*dst));
	if (sa && len > 0 &&
	    copy_from_kernel_nofault(dst, sa, min_t(size_t, len, sizeof(*dst))))
		memset(dst, 0, sizeof(*dst));
}

void akl_sa_addr(const union akl_sa_copy *s, struct akl_net_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s->sa.sa_family == AF_INET) {
		a->family = AF_INET;
		a->port = s->in.sin_port;
		a->v4 = s->in.sin_addr.s_addr;
	} else if (s->sa.sa_family == AF_INET6) {
		a->family = AF_INET6;
		a->port = s->in6.sin6_port;
		a->v6 = s->in6.sin6_addr;
	}
}

/* " laddr=A lport=P" (@addr AKL_K_LADDR), " raddr=A rport=P" (AKL_K_RADDR) */
void akl_net_rec_ep(struct akl_rec *r, u8 addr, const struct akl_net_addr *a)
{
	u8 port = addr == AKL_K_LADDR ? AKL_K_LPORT : AKL_K_RPORT;

	if (a->family == AF_INET)
		akl_rec_ip4(r, addr, &a->v4);
	else if (a->family == AF_INET6)
		akl_rec_ip6(r, addr, &a->v6);
	else
		akl_rec_name(r, addr, "unknown");
	akl_rec_u64(r, port, a->family ? ntohs(a->port) : 0);
}

static const char *proto_name(const struct sock *sk)
{
	switch (sk->sk_protocol) {
	case IPPROTO_TCP:
		/* An MPTCP subflow: the connection's first one. */
		return sk_is_mptcp(sk) ? "mptcp" : "tcp";
	case IPPROTO_MPTCP:
		return "mptcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_SCTP:
		return "sctp";
	}
	return "unknown";
}

void akl_net_rec_proto(struct akl_rec *r, const struct sock *sk)
{
	bool v6 = READ_ONCE(sk->sk_family) == AF_INET6;

	akl_rec_name(r, AKL_K_PROTO, proto_name(sk));
	akl_rec_name(r, AKL_K_FAMILY, v6 ? "inet6" : "inet");
}

/* " result=ok", " result=inprogress", " result=ECONNREFUSED errno=111" */
void akl_net_rec_result(struct akl_rec *r, int err)
{
	const char *name;

	if (err == AKL_NET_NO_RESULT)
		return;
	if (!err) {
		akl_rec_name(r, AKL_K_RESULT, "ok");
		return;
	}
	if (err == -EINPROGRESS) {
		akl_rec_name(r, AKL_K_RESULT, "inprogress");
		return;
	}
	name = akl_errno_name(err);
	akl_rec_name(r, AKL_K_RESULT, name ?: "error");
	akl_rec_s64(r, AKL_K_ERRNO, -err);
}

void akl_net_rec_netns(struct akl_rec *r, const struct sock *sk)
{
	akl_rec_u64(r, AKL_K_NETNS, sock_net(sk)->ns.inum);
}

/*
 * Starts a record of the current task's event: whitelist check, event,
 * actor, exe. @ep is the endpoint the whitelist compares. @wl, if not
 * NULL, keeps the decision for a connection's later events: a process
 * that exits closes its sockets after its memory, and with it the path of
 * its executable, is gone. @pi gets the process table's entry. NULL if
 * the event is whitelisted or the record cannot be kept (counted).
 */
struct akl_rec *akl_net_begin_rec(const char *event,
				  const struct akl_net_addr *ep, bool *wl,
				  struct akl_proc_info *pi)
{
	struct akl_rec *r;
	bool hide, known;
	char *aux, *path;

	/* Before the record: a whitelisted event costs no room nor copy. */
	hide = akl_net_wl_current(ep, &known);
	if (!known)
		hide = wl && *wl;	/* decided while the path was known */
	if (wl)
		*wl = hide;
	if (hide)
		return NULL;
	r = akl_log_begin(AKL_T_NET);
	if (!r)
		return NULL;
	aux = akl_log_aux(r);
	path = akl_current_exe(aux, pi);
	akl_rec_name(r, AKL_K_EVENT, event);
	akl_rec_actor(r, pi);
	akl_rec_path(r, AKL_K_EXE, path, pi->path_len);
	return r;
}

/*
 * Logs the current task's event on @sk with its result: endpoints @l and,
 * for events with a peer, @ra, which the whitelist then compares (else
 * @l). @wl as for akl_net_begin_rec(). Returns whether a record was made.
 */
bool akl_net_log_event(const char *event, const struct sock *sk,
		       const struct akl_net_addr *l,
			   const struct akl_net_addr *ra, bool *wl, int ret)
{
	struct akl_proc_info pi;
	struct akl_rec *r = akl_net_begin_rec(event, ra ?: l, wl, &pi);

	if (!r)
		return false;
	akl_net_rec_proto(r, sk);
	akl_net_rec_ep(r, AKL_K_LADDR, l);
	if (ra)
		akl_net_rec_ep(r, AKL_K_RADDR, ra);
	akl_net_rec_result(r, ret);
	akl_net_rec_netns(r, sk);
	akl_log_commit(r);
	return true;
}

static const char *const tcp_state_names[] = {
	[TCP_ESTABLISHED] = "established",
	[TCP_SYN_SENT] = "syn_sent",
	[TCP_SYN_RECV] = "syn_recv",
	[TCP_FIN_WAIT1] = "fin_wait1",
	[TCP_FIN_WAIT2] = "fin_wait2",
	[TCP_TIME_WAIT] = "time_wait",
	[TCP_CLOSE] = "close",
	[TCP_CLOSE_WAIT] = "close_wait",
	[TCP_LAST_ACK] = "last_ack",
	[TCP_LISTEN] = "listen",
	[TCP_CLOSING] = "closing",
	[TCP_NEW_SYN_RECV] = "new_syn_recv",
};

const char *akl_tcp_state_name(unsigned int state)
{
	if (state < ARRAY_SIZE(tcp_state_names) && tcp_state_names[state])
		return tcp_state_names[state];
	return "unknown";
}

/*
 * Data bytes, without the SYN and FIN that take sequence numbers too:
 * sent = transmitted once (bytes_sent less retransmissions) plus what is
 * queued and not yet transmitted, which TCP still sends after close;
 * received = delivered in order (bytes_received less the peer's FIN).
 */
void akl_net_rec_tcp_counts(struct akl_rec *r, struct sock *sk,
			    unsigned int state)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 rcvd = READ_ONCE(tp->bytes_received);
	u64 sent = READ_ONCE(tp->bytes_sent) - READ_ONCE(tp->bytes_retrans);
	u32 unsent = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_nxt);
	u8 shut = READ_ONCE(sk->sk_shutdown);

	if ((s32)unsent > 0) {
		sent += unsent;
		/* Our FIN, queued behind data after shutdown(SHUT_WR). */
		if ((shut & SEND_SHUTDOWN) &&
		    ((1 << state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)))
			sent--;
	}
	if (rcvd && (shut & RCV_SHUTDOWN) && sock_flag(sk, SOCK_DONE))
		rcvd--;
	akl_rec_name(r, AKL_K_STATE, akl_tcp_state_name(state));
	akl_rec_u64(r, AKL_K_BYTES_SENT, sent);
	akl_rec_u64(r, AKL_K_BYTES_RECEIVED, rcvd);
}

