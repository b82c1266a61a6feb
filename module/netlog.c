// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netlog subsystem: who connected, accepted, bound,
 * listened and closed TCP and UDP sockets, over IPv4 and IPv6
 *
 * DOC: hook points
 *
 * The socket-layer functions that both address families share, present
 * and with the same meaning on 6.1 and 6.12:
 *
 * - inet_stream_connect (kretprobe): TCP connect, v4 and v6. The entry
 *   handler keeps the socket and the requested address, the return
 *   handler logs the result (ok, inprogress or the errno).
 * - tcp_v4_connect, tcp_v6_connect (kretprobes): every TCP connection
 *   attempt that inet_stream_connect's kretprobe did not claim: TCP Fast
 *   Open (sendto() with MSG_FASTOPEN), MPTCP's subflows, and calls that
 *   kretprobe missed. inet_stream_connect sleeps until the connection is
 *   up, each sleeping call holding one of its instances: threads blocked
 *   in connect() can use them all. These two do not sleep (they send the
 *   SYN and return): an instance is held for microseconds, and a missed
 *   inet_stream_connect call is recorded here, with result=inprogress and
 *   a tcp_connect_done record for the outcome, like a non-blocking one.
 * - sock:inet_sock_set_state (tracepoint): a socket leaving SYN_SENT,
 *   i.e. the outcome of a connect that returned before it was known.
 * - __inet_accept (6.9 and later) or security_sock_graft (before)
 *   (kprobe): TCP accept, once the new socket is attached to its file,
 *   in the accepting task. A kprobe holds nothing across the sleep in
 *   accept(): no number of blocked accept() calls can make another
 *   process's accept go unseen (a kretprobe on inet_csk_accept could).
 * - inet_dgram_connect (kretprobe): UDP (and UDP-Lite, ping) connect.
 * - inet_bind and inet6_bind (kretprobes): TCP and datagram bind.
 * - inet_listen (kretprobe): TCP listen, v4 and v6.
 * - udp_sendmsg, udpv6_sendmsg, ping_v4_sendmsg, ping_v6_sendmsg
 *   (kprobes): a datagram sent with an address, recorded once per new
 *   destination of its socket (netdest.c).
 * - inet_release (kprobe): TCP and datagram close, v4 and v6
 *   (inet6_release calls it), with the socket still intact.
 *
 * Handlers read socket fields without the socket lock (lock_sock()
 * sleeps), with READ_ONCE() where the field changes under us.
 *
 * The connection table that keeps what a socket's later records need
 * (start time, whitelist decision, a connect's outcome) is in conntab.c.
 */
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/notifier.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/mptcp.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "actor.h"
#include "config.h"
#include "conntab.h"
#include "hooks.h"
#include "netdest.h"
#include "netlog.h"
#include "netrec.h"
#include "proctab.h"
#include "secure_log.h"

/*
 * What handlers log: probes if netlog is on, else nothing (akl_net_set()).
 * Entry handlers do nothing for events that no bit asks for; what keeps
 * the tables runs whatever the bits.
 */
static unsigned int active;

static bool probe_on(unsigned int bit)
{
	return READ_ONCE(active) & bit;
}

/* TCP connect */

struct connect_data {
	struct socket *sock;
	struct sock *sk;
	struct akl_conn_ref conn;
	union akl_sa_copy sa;
};

static int connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct connect_data *d = (struct connect_data *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	if (!probe_on(NL_TCP_CONNECT | NL_TCP_CLOSE))
		return 1;
	/* A new attempt only: not a disconnect, nor a repeated call. */
	if (!akl_is_tcp(sk) || READ_ONCE(sock->state) != SS_UNCONNECTED ||
	    akl_net_wl_current(NULL, NULL))
		return 1;
	akl_sa_save(&d->sa, (struct sockaddr *)regs_get_kernel_argument(regs, 1),
		    (int)regs_get_kernel_argument(regs, 2));
	if (d->sa.sa.sa_family == AF_UNSPEC)
		return 1;
	d->sock = sock;
	d->sk = sk;
	/*
	 * Only an attempt that has an entry marks itself as claimed: one
	 * whose group is full is left to tcp_v4/v6_connect, which would
	 * otherwise record it a second time.
	 */
	return akl_conn_connect_begin(sock, sk, &d->conn) && d->conn.c ? 0 : 1;
}

NOKPROBE_SYMBOL(connect_entry);

/* The record of a connect's outcome, known after it returned. */
static void log_connect_done(struct sock *sk, const struct akl_conn_done *o)
{
	struct akl_rec *r = akl_log_begin(AKL_T_NET);
	struct akl_net_addr a;

	if (!r)
		return;
	akl_rec_name(r, AKL_K_EVENT, "tcp_connect_done");
	akl_rec_u64(r, AKL_K_PID, o->pid);
	akl_rec_exec_id(r, AKL_K_EXEC_ID, o->exec_id);
	akl_net_rec_proto(r, sk);
	akl_net_rec_ep(r, AKL_K_LADDR, &o->local);
	akl_net_remote(sk, &a);
	akl_net_rec_ep(r, AKL_K_RADDR, &a);
	akl_net_rec_result(r, -o->err);
	akl_net_rec_netns(r, sk);
	akl_log_commit(r);
}

static int connect_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct connect_data *d = (struct connect_data *)ri->data;
	int ret = (int)regs_return_value(regs);
	struct akl_net_addr l, ra;
	struct akl_conn_done o;
	bool bg, logged, wl = false;

	/*
	 * The call that claimed the attempt need not be the one that made it
	 * (two threads on one socket): then EALREADY means in progress, and
	 * EISCONN on a connected socket that it succeeded.
	 */
	if (ret == -EALREADY)
		ret = -EINPROGRESS;
	else if (ret == -EISCONN && READ_ONCE(d->sock->state) == SS_CONNECTED)
		ret = 0;
	/*
	 * Returned before the outcome was known: in progress (the socket may
	 * be connected or failed by now, through another thread's call), or
	 * interrupted while still connecting.
	 */
	bg = ret == -EINPROGRESS ||
	     (ret && READ_ONCE(d->sock->state) == SS_CONNECTING);
	akl_sa_addr(&d->sa, &ra);
	akl_net_local(d->sk, &l);
	/* A failure cleared the socket's local end; the tracepoint kept it. */
	if (ret && !bg)
		akl_conn_failed_local(d->sk, &d->conn, &l);
	if (ret == 0 || bg)
		akl_net_remote(d->sk, &ra);
	logged = probe_on(NL_TCP_CONNECT) &&
		 akl_net_log_event("tcp_connect", d->sk, &l, &ra,
				   d->conn.c ? &wl : NULL, ret);
	akl_conn_set_wl(d->sk, &d->conn, wl);
	if (akl_conn_connect_end(d->sk, &d->conn, bg,
				 !ret && probe_on(NL_TCP_CLOSE), logged, &o))
		log_connect_done(d->sk, &o);
	return 0;
}

NOKPROBE_SYMBOL(connect_ret);

/*
 * A socket leaves SYN_SENT: the connect succeeded or failed. Runs in
 * softirq or in whichever task releases the socket lock: no actor. The
 * lookup and the update happen under the group lock, so they cannot land
 * in a slot that inet_release freed and another connection claimed.
 */
static void state_probe(void *data, const struct sock *sk, const int oldstate,
			const int newstate)
{
	struct akl_net_addr local;
	struct akl_conn_done o;
	int err;

	if (oldstate != TCP_SYN_SENT || !akl_is_tcp(sk))
		return;
	err = newstate == TCP_ESTABLISHED ? 0 :
	      READ_ONCE(sk->sk_err) ?: ECONNABORTED;
	akl_net_local(sk, &local);
	if (akl_conn_outcome(sk, err, &local, &o) && probe_on(NL_TCP_CONNECT))
		log_connect_done((struct sock *)sk, &o);
}

/*
 * tcp_v4_connect, tcp_v6_connect: an attempt that inet_stream_connect's
 * kretprobe did not claim (TCP Fast Open, an MPTCP subflow, a call it
 * missed for want of an instance). These functions send the SYN and
 * return without waiting: the record says inprogress (or the error), and
 * the outcome follows as tcp_connect_done.
 */
struct sk_connect_data {
	struct sock *sk;
	struct akl_conn_ref conn;
	union akl_sa_copy sa;
};

static int sk_connect_entry(struct kretprobe_instance *ri, struct pt_regs *regs,
			    struct sock *sk)
{
	struct sk_connect_data *d = (struct sk_connect_data *)ri->data;
	struct socket *sock = READ_ONCE(sk->sk_socket);

	if (!probe_on(NL_TCP_CONNECT | NL_TCP_CLOSE))
		return 1;
	/*
	 * An MPTCP subflow other than the first is made by the kernel's path
	 * manager (a worker), for the connection already recorded.
	 */
	if (!sock || (sk_is_mptcp(sk) && (current->flags & PF_KTHREAD)) ||
	    akl_net_wl_current(NULL, NULL))
		return 1;
	akl_sa_save(&d->sa, (struct sockaddr *)regs_get_kernel_argument(regs, 1),
		    (int)regs_get_kernel_argument(regs, 2));
	d->sk = sk;
	/* False when inet_stream_connect's entry handler claimed it. */
	return akl_conn_connect_begin(sock, sk, &d->conn) ? 0 : 1;
}

static int sk_connect4_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	/* tcp_v6_connect() calls it for a mapped address: seen there. */
	if (!akl_is_tcp(sk) || READ_ONCE(sk->sk_family) != AF_INET)
		return 1;
	return sk_connect_entry(ri, regs, sk);
}

NOKPROBE_SYMBOL(sk_connect4_entry);

static int sk_connect6_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);

	if (!akl_is_tcp(sk))
		return 1;
	return sk_connect_entry(ri, regs, sk);
}

NOKPROBE_SYMBOL(sk_connect6_entry);

static int sk_connect_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sk_connect_data *d = (struct sk_connect_data *)ri->data;
	int ret = (int)regs_return_value(regs);
	struct akl_net_addr l, ra;
	struct akl_conn_done o;
	bool logged, wl = false;

	akl_net_local(d->sk, &l);
	if (ret)
		akl_sa_addr(&d->sa, &ra);
	else
		akl_net_remote(d->sk, &ra);
	logged = probe_on(NL_TCP_CONNECT) &&
		 akl_net_log_event("tcp_connect", d->sk, &l, &ra,
				   d->conn.c ? &wl : NULL, ret ?: -EINPROGRESS);
	akl_conn_set_wl(d->sk, &d->conn, wl);
	if (akl_conn_connect_end(d->sk, &d->conn, !ret, false, logged, &o))
		log_connect_done(d->sk, &o);
	return 0;
}

NOKPROBE_SYMBOL(sk_connect_ret);

/* TCP (and MPTCP) accept */

static void log_accept(struct sock *sk)
{
	struct akl_conn_ref ref = { };
	struct akl_net_addr l, ra;
	bool wl = false;

	if (!probe_on(NL_TCP_ACCEPT | NL_TCP_CLOSE) ||
	    (!akl_is_tcp(sk) && !akl_is_mptcp(sk)) ||
	    akl_net_wl_current(NULL, NULL))
		return;
	if (probe_on(NL_TCP_CLOSE))
		akl_conn_start(sk, &ref);
	if (!probe_on(NL_TCP_ACCEPT))
		return;
	akl_net_local(sk, &l);
	akl_net_remote(sk, &ra);
	akl_net_log_event("tcp_accept", sk, &l, &ra, ref.c ? &wl : NULL, 0);
	akl_conn_set_wl(sk, &ref, wl);
}

static const char accept_sym[] = "__inet_accept";

/*
 * __inet_accept(sock, newsock, newsk), or security_sock_graft(sk, parent)
 * where it is absent: the new socket, in the accepting task, after the
 * wait.
 */
static int accept_pre(struct kprobe *p, struct pt_regs *regs)
{
	bool inet_accept = p->symbol_name == accept_sym;

	log_accept((struct sock *)regs_get_kernel_argument(regs,
							   inet_accept ? 2 : 0));
	return 0;
}

NOKPROBE_SYMBOL(accept_pre);

/* UDP connect and bind, TCP listen: a socket and maybe an address */

struct sock_data {
	struct socket *sock;
	struct sock *sk;
	union akl_sa_copy sa;
};

static int dgram_connect_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	if (!probe_on(NL_UDP_CONNECT | NL_UDP_CLOSE) || !akl_is_udp(sk) ||
	    akl_net_wl_current(NULL, NULL))
		return 1;
	akl_sa_save(&d->sa, (struct sockaddr *)regs_get_kernel_argument(regs, 1),
		    (int)regs_get_kernel_argument(regs, 2));
	if (d->sa.sa.sa_family == AF_UNSPEC)
		return 1;
	d->sock = sock;
	d->sk = sk;
	return 0;
}

NOKPROBE_SYMBOL(dgram_connect_entry);

static int dgram_connect_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	int ret = (int)regs_return_value(regs);
	struct akl_conn_ref ref = { };
	struct akl_net_addr l, ra;
	bool wl = false;

	/* A connect after a bind keeps the bind's start. */
	if (!ret && probe_on(NL_UDP_CLOSE))
		akl_conn_keep(d->sk, &ref, &wl);
	if (!probe_on(NL_UDP_CONNECT))
		return 0;
	akl_net_local(d->sk, &l);
	if (ret)
		akl_sa_addr(&d->sa, &ra);
	else
		akl_net_remote(d->sk, &ra);
	akl_net_log_event("udp_connect", d->sk, &l, &ra, ref.c ? &wl : NULL, ret);
	akl_conn_set_wl(d->sk, &ref, wl);
	return 0;
}

NOKPROBE_SYMBOL(dgram_connect_ret);

static int bind_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	if (!probe_on(NL_TCP_BIND | NL_UDP_BIND | NL_UDP_CLOSE) ||
	    (!akl_is_udp(sk) && !akl_is_tcp(sk)) ||
	    akl_net_wl_current(NULL, NULL))
		return 1;
	akl_sa_save(&d->sa, (struct sockaddr *)regs_get_kernel_argument(regs, 1),
		    (int)regs_get_kernel_argument(regs, 2));
	d->sock = sock;
	d->sk = sk;
	return 0;
}

NOKPROBE_SYMBOL(bind_entry);

static int bind_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	int ret = (int)regs_return_value(regs);
	struct akl_conn_ref ref = { };
	bool wl = false, tcp = akl_is_tcp(d->sk);
	struct akl_net_addr l;

	/* A TCP connection's duration starts at connect or accept. */
	if (!ret && !tcp && probe_on(NL_UDP_CLOSE))
		akl_conn_start(d->sk, &ref);
	if (!probe_on(tcp ? NL_TCP_BIND : NL_UDP_BIND))
		return 0;
	if (ret)
		akl_sa_addr(&d->sa, &l);
	else
		akl_net_local(d->sk, &l);
	akl_net_log_event(tcp ? "tcp_bind" : "udp_bind", d->sk, &l, NULL,
			  ref.c ? &wl : NULL, ret);
	akl_conn_set_wl(d->sk, &ref, wl);
	return 0;
}

NOKPROBE_SYMBOL(bind_ret);

static int listen_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	/* listen() on a listening socket only changes its backlog. */
	if (!probe_on(NL_TCP_LISTEN) || !akl_is_tcp(sk) || READ_ONCE(sk->sk_state) == TCP_LISTEN)
		return 1;
	d->sock = sock;
	d->sk = sk;
	return 0;
}

NOKPROBE_SYMBOL(listen_entry);

static int listen_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sock_data *d = (struct sock_data *)ri->data;
	int ret = (int)regs_return_value(regs);
	struct akl_net_addr l;

	if (!probe_on(NL_TCP_LISTEN))
		return 0;
	akl_net_local(d->sk, &l);
	akl_net_log_event("tcp_listen", d->sk, &l, NULL, NULL, ret);
	return 0;
}

NOKPROBE_SYMBOL(listen_ret);

/* Datagrams sent with an address */

static const char udp4_send_sym[] = "udp_sendmsg";

/* udp_sendmsg(sk, msg, len) and the others: entry only, it may sleep. */
static int send_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct msghdr *msg = (struct msghdr *)regs_get_kernel_argument(regs, 1);
	struct akl_net_addr l, ra;
	union akl_sa_copy sa;
	void *name;
	int len;

	if (!probe_on(NL_UDP_SEND) || !akl_is_udp(sk) || !msg)
		return 0;
	/* udpv6_sendmsg() hands IPv4 destinations to it: seen there. */
	if (p->symbol_name == udp4_send_sym &&
	    READ_ONCE(sk->sk_family) != AF_INET)
		return 0;
	if (copy_from_kernel_nofault(&name, &msg->msg_name, sizeof(name)) ||
	    copy_from_kernel_nofault(&len, &msg->msg_namelen, sizeof(len)))
		return 0;
	/* No address: to the connected peer, recorded at connect. */
	if (!name)
		return 0;
	akl_sa_save(&sa, name, len);
	akl_sa_addr(&sa, &ra);
	if (!ra.family || akl_dest_check(sk, &ra) != AKL_DEST_LOG)
		return 0;
	akl_net_local(sk, &l);
	akl_net_log_event("udp_send", sk, &l, &ra, NULL, AKL_NET_NO_RESULT);
	return 0;
}

NOKPROBE_SYMBOL(send_pre);

/*
 * SCTP (a module): __sctp_connect(sk, kaddrs, addrs_size, ...), from
 * connect() and from the SCTP_SOCKOPT_CONNECTX options, whose packed list
 * of addresses starts with the first one tried. At entry: it may sleep
 * until the association is up, and a kprobe holds nothing across that.
 */
static int sctp_connect_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	struct akl_net_addr l, ra;
	union akl_sa_copy sa;

	if (!probe_on(NL_UDP_CONNECT) || !akl_is_udp(sk))
		return 0;
	akl_sa_save(&sa, (struct sockaddr *)regs_get_kernel_argument(regs, 1),
		    (int)regs_get_kernel_argument(regs, 2));
	akl_sa_addr(&sa, &ra);
	if (!ra.family)
		return 0;
	akl_net_local(sk, &l);
	akl_net_log_event("udp_connect", sk, &l, &ra, NULL, AKL_NET_NO_RESULT);
	return 0;
}

NOKPROBE_SYMBOL(sctp_connect_pre);

/* Close */

/*
 * Is a socket closed by another process or program than the one that
 * started it (SCM_RIGHTS, or inherited across an exec)? An untracked
 * socket has no owner, and costs no process-table lookup.
 */
static bool closed_by_other(const struct akl_conn_owner *o,
			    const struct akl_proc_info *pi)
{
	if (!o->pid)
		return false;
	return o->pid != task_tgid_nr(current) || o->exec_id != pi->exec_id;
}

static int release_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct akl_conn_owner owner = { 0 };
	struct akl_proc_info pi;
	struct akl_net_addr l, ra;
	bool tcp, logged, wl = false;
	u64 start = 0, now;
	u32 unlogged = 0;
	struct akl_rec *r;
	unsigned int state;

	tcp = akl_is_tcp(sk) || akl_is_mptcp(sk);
	if (!tcp && !akl_is_udp(sk))
		return 0;
	now = ktime_get_boottime_ns();
	akl_conn_end(sk, &start, &wl, &owner);
	if (!tcp)
		unlogged = akl_dest_end(sk);
	state = READ_ONCE(sk->sk_state);
	/* Only sockets that were connected or bound. */
	if (tcp)
		logged = probe_on(NL_TCP_CLOSE) &&
			 (state != TCP_CLOSE || READ_ONCE(sk->sk_num) ||
			  READ_ONCE(sk->sk_dport));
	else
		logged = probe_on(NL_UDP_CLOSE) && READ_ONCE(sk->sk_num);
	if (!logged)
		return 0;
	akl_net_local(sk, &l);
	akl_net_remote(sk, &ra);
	/* Unconnected (bound, listening): the whitelist compares the local end. */
	r = akl_net_begin_rec(tcp ? "tcp_close" : "udp_close", ra.port ? &ra : &l,
			      &wl, &pi);
	if (!r)
		return 0;
	akl_net_rec_proto(r, sk);
	akl_net_rec_ep(r, AKL_K_LADDR, &l);
	akl_net_rec_ep(r, AKL_K_RADDR, &ra);
	if (closed_by_other(&owner, &pi)) {
		akl_rec_u64(r, AKL_K_OWNER_PID, owner.pid);
		akl_rec_exec_id(r, AKL_K_OWNER_EXEC_ID, owner.exec_id);
	}
	/* An MPTCP socket keeps its counts in its subflows. */
	if (akl_is_tcp(sk))
		akl_net_rec_tcp_counts(r, sk, state);
	else if (tcp)
		akl_rec_name(r, AKL_K_STATE, akl_tcp_state_name(state));
	if (unlogged)
		akl_rec_u64(r, AKL_K_DESTS_UNLOGGED, unlogged);
	if (start)
		akl_rec_u64(r, AKL_K_DURATION_MS,
			    div_u64(now - start, NSEC_PER_MSEC));
	else
		akl_rec_name(r, AKL_K_DURATION_MS, "unknown");
	akl_net_rec_netns(r, sk);
	akl_log_commit(r);
	return 0;
}

NOKPROBE_SYMBOL(release_pre);

/* Hooks */

enum {
	H_CONNECT,
	H_TCP4_CONNECT,
	H_TCP6_CONNECT,
	H_STATE,
	H_ACCEPT,
	H_DGRAM_CONNECT,
	H_BIND,
	H_BIND6,
	H_LISTEN,
	H_UDP4_SEND,
	H_UDP6_SEND,
	H_PING4_SEND,
	H_PING6_SEND,
	H_RELEASE,
	/* In the sctp module: attached while it is loaded (sctp_watch()) */
	H_SCTP_CONNECT,
	H_SCTP_SEND,
	NR_HOOKS
};

#define H_FIRST_SCTP	H_SCTP_CONNECT

// clang-format off
static struct akl_hook hooks[NR_HOOKS] = {
	/* What it misses for want of instances, H_TCP*_CONNECT record. */
	[H_CONNECT] = {
		.names = { "inet_stream_connect" },
		.kind = AKL_KRETPROBE,
		.covered = true,
		.entry = connect_entry, .ret = connect_ret,
		.data_size = sizeof(struct connect_data),
	},
	/* They do not sleep: an instance is held for microseconds. */
	[H_TCP4_CONNECT] = {
		.names = { "tcp_v4_connect" },
		.kind = AKL_KRETPROBE,
		.entry = sk_connect4_entry, .ret = sk_connect_ret,
		.data_size = sizeof(struct sk_connect_data),
	},
	[H_TCP6_CONNECT] = {
		.names = { "tcp_v6_connect" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.entry = sk_connect6_entry, .ret = sk_connect_ret,
		.data_size = sizeof(struct sk_connect_data),
	},
	[H_STATE] = {
		.names = { "inet_sock_set_state" },
		.kind = AKL_TRACEPOINT,
		.tp_func = state_probe,
	},
	[H_ACCEPT] = {
		.names = { accept_sym, "security_sock_graft" },
		.kind = AKL_KPROBE,
		.pre = accept_pre,
	},
	[H_DGRAM_CONNECT] = {
		.names = { "inet_dgram_connect" },
		.kind = AKL_KRETPROBE,
		.entry = dgram_connect_entry, .ret = dgram_connect_ret,
		.data_size = sizeof(struct sock_data),
	},
	[H_BIND] = {
		.names = { "inet_bind" },
		.kind = AKL_KRETPROBE,
		.entry = bind_entry, .ret = bind_ret,
		.data_size = sizeof(struct sock_data),
	},
	[H_BIND6] = {
		.names = { "inet6_bind" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.entry = bind_entry, .ret = bind_ret,
		.data_size = sizeof(struct sock_data),
	},
	[H_LISTEN] = {
		.names = { "inet_listen" },
		.kind = AKL_KRETPROBE,
		.entry = listen_entry, .ret = listen_ret,
		.data_size = sizeof(struct sock_data),
	},
	[H_UDP4_SEND] = {
		.names = { udp4_send_sym },
		.kind = AKL_KPROBE,
		.pre = send_pre,
	},
	[H_UDP6_SEND] = {
		.names = { "udpv6_sendmsg" },
		.kind = AKL_KPROBE,
		.optional = true,
		.pre = send_pre,
	},
	[H_PING4_SEND] = {
		.names = { "ping_v4_sendmsg" },
		.kind = AKL_KPROBE,
		.optional = true,
		.pre = send_pre,
	},
	[H_PING6_SEND] = {
		.names = { "ping_v6_sendmsg" },
		.kind = AKL_KPROBE,
		.optional = true,
		.pre = send_pre,
	},
	[H_RELEASE] = {
		.names = { "inet_release" },
		.kind = AKL_KPROBE,
		.pre = release_pre,
	},
	[H_SCTP_CONNECT] = {
		.names = { "__sctp_connect" },
		.kind = AKL_KPROBE,
		.module = "sctp",
		.pre = sctp_connect_pre,
	},
	[H_SCTP_SEND] = {
		.names = { "sctp_sendmsg" },
		.kind = AKL_KPROBE,
		.module = "sctp",
		.pre = send_pre,
	},
};

// clang-format on

/**
 * akl_net_set() - choose the events that handlers record
 * @want: NL_* bits of the events to log (akl_net_wanted())
 *
 * Every hook stays attached from load to unload, whatever the parameters
 * say: a change here only flips what handlers do, and patches no kernel
 * text while the system runs (attaching a kprobe or a tracepoint rewrites
 * instructions that other CPUs may be executing). Handlers that only keep
 * the tables (a socket's release, a connect's outcome, a return handler
 * whose entry claimed a slot) run whatever the bits, so that an entry
 * never outlives its socket and a connection open across a change keeps
 * its start time.
 *
 * Context: any.
 */
void akl_net_set(unsigned int want)
{
	WRITE_ONCE(active, want);
}

/*
 * The sctp module's hooks follow it: attached when it is loaded (now or
 * later, also on demand by an unprivileged socket()), detached when it
 * goes. The notifier only records the state; a work item attaches and
 * detaches, since kprobes cannot be registered from the notifier's
 * context.
 */
static bool sctp_live;

static void sctp_sync(struct work_struct *work)
{
	int i;

	/* After a reload, the old probes went with the old text. */
	for (i = H_FIRST_SCTP; i < NR_HOOKS; i++)
		akl_hook_detach(&hooks[i]);
	if (!READ_ONCE(sctp_live))
		return;
	for (i = H_FIRST_SCTP; i < NR_HOOKS; i++)
		akl_hook_attach(&hooks[i]);
}

static DECLARE_WORK(sctp_work, sctp_sync);

static int sctp_notify(struct notifier_block *nb, unsigned long state,
		       void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "sctp") ||
	    (state != MODULE_STATE_LIVE && state != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	WRITE_ONCE(sctp_live, state == MODULE_STATE_LIVE);
	schedule_work(&sctp_work);
	return NOTIFY_OK;
}

static struct notifier_block sctp_nb = {
	.notifier_call = sctp_notify,
};

/**
 * akl_netlog_init() - attach every netlog hook
 *
 * Context: module init, after the parameters are parsed.
 * Return: 0 or a negative errno.
 */
int akl_netlog_init(void)
{
	int i, ret;

	ret = akl_conntab_init();
	if (ret)
		return ret;
	ret = akl_desttab_init();
	if (ret)
		goto err_free_conns;
	akl_net_set(akl_net_wanted());
	for (i = 0; i < H_FIRST_SCTP; i++) {
		ret = akl_hook_attach(&hooks[i]);
		if (ret && !hooks[i].optional)
			goto err_detach;
	}
	ret = register_module_notifier(&sctp_nb);
	if (ret)
		goto err_detach;
	/* Loaded already: its hooks attach now (else they fail quietly). */
	for (i = H_FIRST_SCTP; i < NR_HOOKS; i++)
		akl_hook_attach(&hooks[i]);
	return 0;

err_detach:
	WRITE_ONCE(active, 0);
	while (i--)
		akl_hook_detach(&hooks[i]);
	akl_hooks_sync();
	akl_desttab_exit();
err_free_conns:
	akl_net_wl_free();
	akl_conntab_exit();
	return ret;
}

/* Context: module exit, after parameter writes are shut out. */
void akl_netlog_exit(void)
{
	int i;

	unregister_module_notifier(&sctp_nb);
	flush_work(&sctp_work);
	WRITE_ONCE(active, 0);
	for (i = NR_HOOKS - 1; i >= 0; i--)
		akl_hook_detach(&hooks[i]);
	akl_hooks_sync();
	akl_net_wl_free();
	akl_desttab_exit();
	akl_conntab_exit();
}
