# SPDX-License-Identifier: GPL-2.0-only
# netlog: the paths around the plain socket calls, each taken by an
# unprivileged user: 512 threads blocked in accept() and 512 in connect()
# must not hide another user's records; TCP Fast Open; TCP bind; datagrams
# sent without connect() (one record per new destination, a scan counted at
# close); UDP-Lite and ICMP echo sockets; MPTCP, plain and fallen back to TCP;
# bind and listen through io_uring; SCTP.
. /tests/lib.sh
. /tests/netlib.sh

KO=/activity_klog.ko
C=/tests/slogctl
N=/tests/netctl
U=1000
B=1001

insmod $KO || fail load "insmod failed"
NETNS=$(readlink /proc/self/ns/net | tr -dc 0-9)

# wait_file PATH: wait until PATH exists (at most 300 s)
wait_file() {
	_t=0
	while [ ! -e "$1" ] && [ $_t -lt 300 ]; do
		sleep 1
		_t=$((_t + 1))
	done
	[ -e "$1" ]
}

# connected RECORDS PID LPORT: 1 if PID's connect from LPORT is in RECORDS
# with its success: result=ok, or result=inprogress and a tcp_connect_done
# result=ok (the shape of a connect that the fallback hook recorded)
connected() {
	if [ "$(count "$1" event=tcp_connect pid="$2" lport="$3" result=ok)" = 1 ] ||
		{ [ "$(count "$1" event=tcp_connect pid="$2" lport="$3" result=inprogress)" = 1 ] &&
			[ "$(count "$1" event=tcp_connect_done pid="$2" lport="$3" result=ok)" = 1 ]; }; then
		echo 1
	else
		echo 0
	fi
}

# --- 512 threads blocked in accept() and 512 in connect(), as uid 1001
rm -f /tmp/acc.ready /tmp/con.ready
$N -u $B alarm 400 tcp4 bind 127.0.0.1 7100 listen blockaccept 512 \
	touch /tmp/acc.ready sleep 380000 >/tmp/acc.out 2>&1 &
ACC=$!
$N -u $B alarm 400 tcp4 bind 127.0.0.1 7101 listenq 0 \
	blockconnect 512 127.0.0.1 7101 touch /tmp/con.ready sleep 380000 \
	>/tmp/con.out 2>&1 &
CON=$!
if wait_file /tmp/acc.ready && wait_file /tmp/con.ready; then
	expect_eq exhaust-blocked "BLOCKED 512 BLOCKED 512" \
		"$(sed -n 's/^\(BLOCKED [0-9]*\).*/\1/p' /tmp/acc.out /tmp/con.out | tr '\n' ' ' | sed 's/ $//')"
	m=$(mark)
	$N -u $U pid tcp4 bind 127.0.0.1 7102 listen tcp4 connect 127.0.0.1 7102 \
		use 1 accept tcp4 nb connect 127.0.0.1 7102 wait use 1 accept \
		>/tmp/u.out 2>&1
	pid=$(pid_of /tmp/u.out)
	# Outcomes of the non-blocking connect come within a second; a lost
	# record for missed hooks within two.
	sleep 3
	recs=$($C -n -s "$m")
	expect_eq exhaust-accepts 2 "$(count "$recs" event=tcp_accept pid="$pid" lport=7102 uid=$U)"
	lport=$(sed -n 's/^CONNECT OK lport=//p' /tmp/u.out)
	expect_eq exhaust-connect "1" "$(connected "$recs" "$pid" "$lport")"
	expect_eq exhaust-connects 2 "$(count "$recs" event=tcp_connect pid="$pid" rport=7102 uid=$U)"
	# Every connect recorded inprogress (the non-blocking one at least)
	# has its outcome.
	n=$(count "$recs" event=tcp_connect pid="$pid" rport=7102 result=inprogress)
	if [ "$n" -ge 1 ]; then pass exhaust-nb-connect; else fail exhaust-nb-connect "no inprogress record"; fi
	expect_eq exhaust-nb-done "$n" "$(count "$recs" event=tcp_connect_done pid="$pid" rport=7102 result=ok)"
	expect_eq exhaust-no-lost 0 "$(count "$recs" type=lost)"
else
	fail exhaust-blocked "the blocked threads did not start: $(cat /tmp/acc.out /tmp/con.out | tail -n 4)"
fi
kill $ACC $CON 2>/dev/null
wait $ACC $CON 2>/dev/null

# --- TCP Fast Open: sendto(MSG_FASTOPEN) connects without connect()
m=$(mark)
$N -u $U pid tcp4 bind 127.0.0.1 7110 listen tcp4 fastopen 127.0.0.1 7110 10 \
	use 1 accept recv 10 >/tmp/tfo.out 2>&1
pid=$(pid_of /tmp/tfo.out)
expect_eq tfo-netctl "FASTOPEN 10 RECV 10" "$(grep -E '^(FASTOPEN|RECV)' /tmp/tfo.out | tr '\n' ' ' | sed 's/ $//')"
sleep 1
recs=$(new_net "$m")
expect_rec tfo-connect "$recs" event=tcp_connect pid="$pid" rport=7110 -- \
	uid=$U proto=tcp family=inet raddr=127.0.0.1 laddr=127.0.0.1 result=inprogress netns="$NETNS"
expect_rec tfo-connect-done "$recs" event=tcp_connect_done pid="$pid" rport=7110 -- result=ok
expect_rec tfo-close "$recs" event=tcp_close pid="$pid" rport=7110 -- proto=tcp

# --- TCP bind, its own record (as udp_bind)
m=$(mark)
$N -u $U pid tcp4 bind 127.0.0.1 7120 tcp4 bind 127.0.0.1 7120 tcp6 bind ::1 7121 \
	>/tmp/bind.out 2>&1
pid=$(pid_of /tmp/bind.out)
recs=$(new_net "$m")
expect_rec tcp-bind "$recs" event=tcp_bind pid="$pid" lport=7120 result=ok -- \
	uid=$U comm='"netctl"' exe='"/tests/netctl"' proto=tcp family=inet laddr=127.0.0.1 raddr= netns="$NETNS"
expect_rec tcp-bind-fail "$recs" event=tcp_bind pid="$pid" lport=7120 result=EADDRINUSE -- errno=98 laddr=127.0.0.1
expect_rec tcp-bind6 "$recs" event=tcp_bind pid="$pid" lport=7121 -- family=inet6 laddr=::1 result=ok

# --- datagrams without connect(): one record per new destination
m=$(mark)
$N -u $U pid udp4 sendto 127.0.0.1 7130 10 sendto 127.0.0.1 7130 10 \
	sendto 127.0.0.1 7131 10 sendto 127.0.0.1 7130 10 \
	udp6 sendto ::1 7132 5 sendto 127.0.0.1 7133 5 sendto ::1 7132 5 \
	close use 1 close >/tmp/udp.out 2>&1
pid=$(pid_of /tmp/udp.out)
recs=$(new_net "$m")
expect_rec udp-send "$recs" event=udp_send pid="$pid" rport=7130 -- \
	uid=$U proto=udp family=inet laddr=0.0.0.0 raddr=127.0.0.1 result= netns="$NETNS"
expect_eq udp-send-once "1 1 1 1" "$(count "$recs" event=udp_send pid="$pid" rport=7130) \
$(count "$recs" event=udp_send pid="$pid" rport=7131 raddr=127.0.0.1) \
$(count "$recs" event=udp_send pid="$pid" rport=7132 raddr=::1 family=inet6) \
$(count "$recs" event=udp_send pid="$pid" rport=7133 raddr=::ffff:127.0.0.1 family=inet6)"
lport=$(field lport "$(pick "$recs" event=udp_send pid="$pid" rport=7130)")
expect_rec udp-send-close "$recs" event=udp_close pid="$pid" lport="$lport" -- family=inet dests_unlogged=

# A scan of 100 ports: the first 32 destinations recorded, 68 counted.
m=$(mark)
$N -u $U pid udp4 udpscan 127.0.0.1 20000 100 udpscan 127.0.0.1 20000 10 close \
	>/tmp/scan.out 2>&1
pid=$(pid_of /tmp/scan.out)
recs=$(new_net "$m")
expect_eq udp-scan-netctl "UDPSCAN 100 UDPSCAN 10" "$(grep '^UDPSCAN' /tmp/scan.out | tr '\n' ' ' | sed 's/ $//')"
expect_eq udp-scan-records "32 1 0" "$(count "$recs" event=udp_send pid="$pid") \
$(count "$recs" event=udp_send pid="$pid" rport=20031) $(count "$recs" event=udp_send pid="$pid" rport=20032)"
# The 10 sent again were among the 16 latest no more: new again, counted.
expect_rec udp-scan-close "$recs" event=udp_close pid="$pid" -- dests_unlogged=78

# --- UDP-Lite and ICMP echo ("ping") sockets
m=$(mark)
$N -u $U pid udplite4 bind 127.0.0.1 7140 sendto 127.0.0.1 7141 10 \
	connect 127.0.0.1 7141 close >/tmp/lite.out 2>&1
pid=$(pid_of /tmp/lite.out)
recs=$(new_net "$m")
if ! grep -q '^SOCK E' /tmp/lite.out; then
	expect_rec udplite-bind "$recs" event=udp_bind pid="$pid" lport=7140 -- proto=udplite result=ok uid=$U
	expect_rec udplite-send "$recs" event=udp_send pid="$pid" rport=7141 -- proto=udplite lport=7140
	expect_rec udplite-connect "$recs" event=udp_connect pid="$pid" rport=7141 -- proto=udplite result=ok
	expect_rec udplite-close "$recs" event=udp_close pid="$pid" lport=7140 -- proto=udplite
else
	pass "udplite-skipped[$(grep '^SOCK' /tmp/lite.out)]"
fi
echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range
m=$(mark)
$N -u $U pid ping4 127.0.0.1 close ping6 ::1 close >/tmp/ping.out 2>&1
pid=$(pid_of /tmp/ping.out)
recs=$(new_net "$m")
expect_eq ping-netctl "PING OK PING OK" "$(grep '^PING' /tmp/ping.out | tr '\n' ' ' | sed 's/ $//')"
expect_rec ping-send "$recs" event=udp_send pid="$pid" family=inet -- proto=icmp raddr=127.0.0.1 uid=$U
expect_rec ping-close "$recs" event=udp_close pid="$pid" family=inet -- proto=icmp
expect_rec ping6-send "$recs" event=udp_send pid="$pid" family=inet6 -- proto=icmpv6 raddr=::1

# --- MPTCP: to a TCP server (falls back to TCP), and to an MPTCP one
m=$(mark)
$N -u $U pid tcp4 bind 127.0.0.1 7150 listen mptcp4 connect 127.0.0.1 7150 \
	use 1 accept send 100 close use 2 recv 100 close use 1 close >/tmp/mp.out 2>&1
pid=$(pid_of /tmp/mp.out)
# (a kernel without MPTCP: "SOCK EPROTONOSUPPORT", and netctl stops there)
if ! grep -q '^SOCK E' /tmp/mp.out; then
	sleep 1
	recs=$(new_net "$m")
	expect_eq mptcp-fallback-netctl "CONNECT OK RECV 100" \
		"$(grep -E '^(CONNECT|RECV)' /tmp/mp.out | sed 's/ lport=.*//' | tr '\n' ' ' | sed 's/ $//')"
	expect_rec mptcp-fallback-connect "$recs" event=tcp_connect pid="$pid" rport=7150 -- \
		proto=mptcp family=inet raddr=127.0.0.1 laddr=127.0.0.1 uid=$U
	expect_rec mptcp-fallback-done "$recs" event=tcp_connect_done pid="$pid" rport=7150 -- proto=mptcp result=ok
	m=$(mark)
	$N -u $U pid mptcp4 bind 127.0.0.1 7151 listen mptcp4 connect 127.0.0.1 7151 \
		use 1 accept send 100 close use 2 recv 100 close use 1 close >/tmp/mp2.out 2>&1
	pid=$(pid_of /tmp/mp2.out)
	sleep 1
	recs=$(new_net "$m")
	expect_rec mptcp-connect "$recs" event=tcp_connect pid="$pid" rport=7151 -- \
		proto=mptcp family=inet raddr=127.0.0.1 uid=$U
	expect_rec mptcp-accept "$recs" event=tcp_accept pid="$pid" lport=7151 -- proto=mptcp raddr=127.0.0.1 uid=$U
	expect_rec mptcp-close "$recs" event=tcp_close pid="$pid" rport=7151 -- proto=mptcp
else
	pass "mptcp-skipped[$(grep '^SOCK' /tmp/mp.out | tail -n 1)]"
fi

# --- bind and listen through io_uring (6.11 and later)
m=$(mark)
$N -u $U pid tcp4 ubind 127.0.0.1 7160 ulisten udp6 ubind ::1 7161 >/tmp/ur.out 2>&1
pid=$(pid_of /tmp/ur.out)
if grep -q '^UBIND OK' /tmp/ur.out; then
	recs=$(new_net "$m")
	expect_eq uring-netctl "UBIND OK lport=7160 ULISTEN OK lport=7160 UBIND OK lport=7161" \
		"$(grep -E '^U(BIND|LISTEN)' /tmp/ur.out | tr '\n' ' ' | sed 's/ $//')"
	expect_rec uring-tcp-bind "$recs" event=tcp_bind pid="$pid" lport=7160 -- result=ok laddr=127.0.0.1 uid=$U
	expect_rec uring-listen "$recs" event=tcp_listen pid="$pid" lport=7160 -- result=ok laddr=127.0.0.1 uid=$U
	expect_rec uring-udp-bind "$recs" event=udp_bind pid="$pid" lport=7161 -- result=ok laddr=::1 family=inet6 uid=$U
else
	pass "uring-skipped[$(grep '^UBIND' /tmp/ur.out)]"
fi

# --- SCTP (a module that an unprivileged socket() loads on a full system;
# loaded by root here): bind, connect (at entry: no result), a message to a
# new address, close, as proto=sctp datagram records. Loaded after
# activity_klog first (its hooks attach when sctp goes live), then
# activity_klog reloaded with sctp there (they attach at load).
# sctp_case NAME
sctp_case() {
	m=$(mark)
	$N -u $U pid sctp4 bind 127.0.0.1 7170 nb connect 127.0.0.1 7171 \
		sendto 127.0.0.1 7172 10 close sctp6 nb sendto ::1 7173 10 close \
		>/tmp/sctp.out 2>&1
	pid=$(pid_of /tmp/sctp.out)
	recs=$(new_net "$m")
	expect_rec "$1-bind" "$recs" event=udp_bind pid="$pid" lport=7170 -- \
		proto=sctp family=inet laddr=127.0.0.1 result=ok uid=$U
	expect_rec "$1-connect" "$recs" event=udp_connect pid="$pid" rport=7171 -- \
		proto=sctp raddr=127.0.0.1 lport=7170 result= uid=$U
	expect_rec "$1-send" "$recs" event=udp_send pid="$pid" rport=7172 -- \
		proto=sctp raddr=127.0.0.1 lport=7170 uid=$U
	expect_rec "$1-close" "$recs" event=udp_close pid="$pid" lport=7170 -- proto=sctp uid=$U
	expect_rec "$1-send6" "$recs" event=udp_send pid="$pid" rport=7173 -- \
		proto=sctp family=inet6 raddr=::1 uid=$U
}
if [ -x /kmod/load-sctp.sh ]; then
	/kmod/load-sctp.sh 2>/tmp/sctp-load.err
	if grep -q '^sctp ' /proc/modules; then
		# The hooks attach from a work item: wait for the Nth message.
		sctp_attached() {
			_t=0
			while [ "$(dmesg | grep -c 'sctp_sendmsg: sctp loaded, its events are logged')" -lt "$1" ] &&
				[ $_t -lt 50 ]; do
				sleep 0.2
				_t=$((_t + 1))
			done
			dmesg | grep -c '__sctp_connect: sctp loaded, its events are logged'
		}
		# (sctp cannot be unloaded: its own sockets hold it.)
		expect_eq sctp-attached-later 1 "$(sctp_attached 1)"
		sctp_case sctp-later
		rmmod activity_klog
		insmod $KO || fail load-again "insmod failed"
		sctp_case sctp-before
	else
		fail sctp-load "$(cat /tmp/sctp-load.err)"
	fi
else
	pass "sctp-skipped[not a module of $(uname -r)]"
fi

rmmod activity_klog || fail unload "rmmod failed"
