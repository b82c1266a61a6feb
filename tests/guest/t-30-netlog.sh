# SPDX-License-Identifier: GPL-2.0-only
# netlog: TCP and UDP records (IPv4, IPv6, mapped, a second address, another
# netns), outcomes, byte counts, probe bits at load and run time, the
# whitelist (matching, 30 malformed values, size limit, rewrites under load).
. /tests/lib.sh
. /tests/netlib.sh

KO=/activity_klog.ko
P=/sys/module/activity_klog/parameters
S=/sys/class/misc/secure_log/stats
C=/tests/slogctl
N=/tests/netctl
U=1000


insmod $KO || fail load "insmod failed"
sh /kmod/load.sh >/dev/null 2>&1
# A second address of each family, on a dummy interface.
ip link add d0 type dummy && echo 0 >/proc/sys/net/ipv6/conf/d0/accept_dad &&
	ip link set d0 up && ip addr add 10.9.0.1/24 dev d0 &&
	ip -6 addr add fd00::1/64 dev d0 || fail dummy-setup "cannot set up the dummy interface"
NETNS=$(readlink /proc/self/ns/net | tr -dc 0-9)
SH=$$

expect_eq params-default "1 0x1ff 1 1 1 1 1 1 1 1 1" \
	"$(cat $P/netlog $P/probes $P/probe_tcp_connect $P/probe_tcp_accept \
		$P/probe_tcp_close $P/probe_udp_connect $P/probe_udp_bind \
		$P/probe_udp_close $P/probe_tcp_listen $P/probe_tcp_bind \
		$P/probe_udp_send | tr '\n' ' ' | sed 's/ $//')"

ACTOR="uid=$U gid=$U euid=$U egid=$U ppid=$SH comm=\"netctl\" exe=\"/tests/netctl\" netns=$NETNS"

# start_listener PORT: uid $U listens on 127.0.0.1:PORT in the background
# ($lp) and never accepts; returns once it listens. The ready file is
# removed first: with the one an earlier case left, the first connects
# raced the listen() and were refused.
start_listener() {
	rm -f /tmp/ready
	$N -u $U tcp4 bind 127.0.0.1 "$1" listen touch /tmp/ready sleep 20000 \
		>/dev/null &
	lp=$!
	$N waitfile /tmp/ready >/dev/null
}

# --- TCP: listen, connect, accept, close with byte counts
# tcp_case NAME SOCK ADDR SHOWN FAMILY PORT: SHOWN is ADDR as records show it
tcp_case() {
	name=$1 sock=$2 addr=$3 shown=$4 fam=$5 port=$6
	rm -f /tmp/ready
	m=$(mark)
	$N -u $U pid $sock bind "$addr" $port listen touch /tmp/ready accept \
		recv 1000 send 300 recveof close use 1 close >/tmp/srv.out &
	sp=$!
	$N waitfile /tmp/ready >/dev/null
	$N -u $U pid $sock connect "$addr" $port send 1000 recv 300 sleep 200 \
		close >/tmp/cli.out
	wait $sp
	cp=$(pid_of /tmp/cli.out)
	lp=$(val /tmp/cli.out CONNECT lport)
	expect_eq "$name-netctl" "RECV 1000 RECV 300" \
		"$(grep -h '^RECV [1-9]' /tmp/srv.out /tmp/cli.out | tr '\n' ' ' | sed 's/ $//')"
	recs=$(new_net "$m")
	# shellcheck disable=SC2086
	expect_rec "$name-listen" "$recs" event=tcp_listen pid=$sp -- $ACTOR \
		proto=tcp family=$fam laddr=$shown lport=$port result=ok
	# shellcheck disable=SC2086
	expect_rec "$name-connect" "$recs" event=tcp_connect pid=$cp -- $ACTOR \
		proto=tcp family=$fam laddr=$shown lport=$lp raddr=$shown rport=$port \
		result=ok errno=
	# shellcheck disable=SC2086
	expect_rec "$name-accept" "$recs" event=tcp_accept pid=$sp -- $ACTOR \
		proto=tcp family=$fam laddr=$shown lport=$port raddr=$shown rport=$lp \
		result=ok
	# shellcheck disable=SC2086
	expect_rec "$name-close-client" "$recs" event=tcp_close pid=$cp -- $ACTOR \
		proto=tcp family=$fam laddr=$shown lport=$lp raddr=$shown rport=$port \
		state=established bytes_sent=1000 bytes_received=300
	# shellcheck disable=SC2086
	expect_rec "$name-close-accepted" "$recs" event=tcp_close pid=$sp \
		rport=$lp -- $ACTOR laddr=$shown lport=$port raddr=$shown \
		state=close_wait bytes_sent=300 bytes_received=1000
	# shellcheck disable=SC2086
	expect_rec "$name-close-listener" "$recs" event=tcp_close pid=$sp \
		state=listen -- $ACTOR laddr=$shown lport=$port rport=0 \
		bytes_sent=0 bytes_received=0 duration_ms=unknown
	d=$(field duration_ms "$(pick "$recs" event=tcp_close pid=$cp)")
	if is_num "$d" && [ "$d" -ge 200 ] && [ "$d" -lt 10000 ]; then
		pass "$name-duration"
	else
		fail "$name-duration" "duration_ms=$d, slept 200 ms"
	fi
}
tcp_case tcp4-lo tcp4 127.0.0.1 127.0.0.1 inet 5001
tcp_case tcp6-lo tcp6 ::1 ::1 inet6 5002
tcp_case tcp6-mapped tcp6 127.0.0.1 ::ffff:127.0.0.1 inet6 5003
tcp_case tcp4-dummy tcp4 10.9.0.1 10.9.0.1 inet 5004
tcp_case tcp6-dummy tcp6 fd00::1 fd00::1 inet6 5005

# --- TCP: refused, non-blocking
# refused_case NAME SOCK ADDR SHOWN FAMILY PORT
refused_case() {
	m=$(mark)
	$N -u $U pid "$2" connect "$3" "$6" close >/tmp/cli.out
	expect_eq "$1-netctl" ECONNREFUSED "$(sed -n 's/^CONNECT \([A-Z]*\).*/\1/p' /tmp/cli.out)"
	recs=$(new_net "$m")
	cp=$(pid_of /tmp/cli.out)
	# shellcheck disable=SC2086
	expect_rec "$1" "$recs" event=tcp_connect pid=$cp -- $ACTOR proto=tcp \
		family=$5 laddr=$4 raddr=$4 rport=$6 result=ECONNREFUSED errno=111
	lp=$(field lport "$(pick "$recs" event=tcp_connect pid=$cp)")
	if is_num "$lp" && [ "$lp" -gt 0 ]; then pass "$1-lport"; else fail "$1-lport" "lport=$lp"; fi
}
refused_case refused4 tcp4 127.0.0.1 127.0.0.1 inet 5999
refused_case refused6 tcp6 ::1 ::1 inet6 5999

# nonblock_case NAME SOCK ADDR SHOWN FAMILY PORT LISTEN(0|1)
nonblock_case() {
	m=$(mark)
	if [ "$7" = 1 ]; then
		$N -u $U pid "$2" bind "$3" "$6" listen "$2" nb connect "$3" "$6" \
			wait close use 1 close >/tmp/cli.out
		res=ok err=
	else
		$N -u $U pid "$2" nb connect "$3" "$6" wait close >/tmp/cli.out
		res=ECONNREFUSED err=111
	fi
	cp=$(pid_of /tmp/cli.out)
	lp=$(val /tmp/cli.out CONNECT lport)
	expect_eq "$1-netctl" "EINPROGRESS $(echo $res | sed 's/ok/OK/')" \
		"$(sed -n 's/^CONNECT \([A-Z]*\).*/\1/p; s/^WAIT //p' /tmp/cli.out | tr '\n' ' ' | sed 's/ $//')"
	recs=$(new_net "$m")
	# shellcheck disable=SC2086
	expect_rec "$1-inprogress" "$recs" event=tcp_connect pid=$cp -- $ACTOR \
		proto=tcp family=$5 laddr=$4 lport=$lp raddr=$4 rport=$6 \
		result=inprogress
	expect_rec "$1-done" "$recs" event=tcp_connect_done pid=$cp -- \
		proto=tcp family=$5 laddr=$4 lport=$lp raddr=$4 rport=$6 \
		result=$res errno=$err uid= exe= netns=$NETNS
	order=$(printf '%s\n' "$recs" | grep " pid=$cp " |
		sed -n 's/.* event=\([a-z_]*\) .*/\1/p' | grep tcp_connect | tr '\n' ' ')
	expect_eq "$1-order" "tcp_connect tcp_connect_done " "$order"
}
nonblock_case nonblock4-ok tcp4 127.0.0.1 127.0.0.1 inet 5010 1
nonblock_case nonblock6-ok tcp6 ::1 ::1 inet6 5011 1
nonblock_case nonblock4-refused tcp4 127.0.0.1 127.0.0.1 inet 5998 0
nonblock_case nonblock6-refused tcp6 fd00::1 fd00::1 inet6 5998 0

# --- UDP: bind, connect, close
# udp_case NAME SOCK ADDR SHOWN FAMILY PORT ANY
udp_case() {
	m=$(mark)
	$N -u $U pid "$2" bind "$3" "$6" "$2" connect "$3" "$6" send 10 use 1 \
		recv 10 close use 2 close >/tmp/cli.out
	cp=$(pid_of /tmp/cli.out)
	lp=$(val /tmp/cli.out CONNECT lport)
	expect_eq "$1-netctl" "RECV 10" "$(grep '^RECV' /tmp/cli.out)"
	recs=$(new_net "$m")
	# shellcheck disable=SC2086
	expect_rec "$1-bind" "$recs" event=udp_bind pid=$cp -- $ACTOR proto=udp \
		family=$5 laddr=$4 lport=$6 result=ok raddr=
	# shellcheck disable=SC2086
	expect_rec "$1-connect" "$recs" event=udp_connect pid=$cp -- $ACTOR \
		proto=udp family=$5 laddr=$4 lport=$lp raddr=$4 rport=$6 result=ok
	# shellcheck disable=SC2086
	expect_rec "$1-close-bound" "$recs" event=udp_close pid=$cp lport=$6 -- \
		$ACTOR proto=udp family=$5 laddr=$4 raddr=$7 rport=0 bytes_sent=
	# shellcheck disable=SC2086
	expect_rec "$1-close-connected" "$recs" event=udp_close pid=$cp \
		lport=$lp -- $ACTOR proto=udp family=$5 laddr=$4 raddr=$4 rport=$6
}
udp_case udp4-lo udp4 127.0.0.1 127.0.0.1 inet 5101 0.0.0.0
udp_case udp6-lo udp6 ::1 ::1 inet6 5102 ::
udp_case udp6-mapped udp6 127.0.0.1 ::ffff:127.0.0.1 inet6 5103 ::
udp_case udp4-dummy udp4 10.9.0.1 10.9.0.1 inet 5104 0.0.0.0
udp_case udp6-dummy udp6 fd00::1 fd00::1 inet6 5105 ::

m=$(mark)
$N -u $U pid udp4 bind 127.0.0.1 5101 bind 127.0.0.1 5106 close >/tmp/cli.out
recs=$(new_net "$m")
expect_rec udp-bind-einval "$recs" event=udp_bind lport=5106 -- result=EINVAL errno=22

# --- another network namespace
m=$(mark)
ns=$(unshare -n sh -c "ip link set lo up; readlink /proc/self/ns/net | tr -dc 0-9; $N udp4 connect 127.0.0.1 5200 close >/dev/null")
recs=$(new_net "$m")
expect_rec netns "$recs" event=udp_connect rport=5200 -- netns=$ns uid=0
if [ -n "$ns" ] && [ "$ns" != "$NETNS" ]; then pass netns-differs; else fail netns-differs "netns $ns"; fi

# --- probe bits
# all_events PORT: one of each event; prints the sorted event names logged
all_events() {
	_m=$(mark)
	$N -u $U tcp4 bind 127.0.0.1 "$1" listen tcp4 connect 127.0.0.1 "$1" \
		use 1 accept close use 2 close use 1 close udp4 bind 127.0.0.1 "$1" \
		udp4 connect 127.0.0.1 "$1" close use 4 close \
		udp4 sendto 127.0.0.1 "$1" 1 close >/dev/null
	new_net "$_m" | sed -n 's/.* type=net event=\([a-z_]*\) .*/\1/p' | sort -u |
		tr '\n' ' ' | sed 's/ $//'
}
bitname() {
	case $1 in
	1) echo tcp_connect ;; 2) echo tcp_accept ;; 4) echo tcp_close ;;
	8) echo udp_connect ;; 10) echo udp_bind ;; 20) echo udp_close ;;
	40) echo tcp_listen ;; 80) echo tcp_bind ;; 100) echo udp_send ;;
	esac
}
ALL="tcp_accept tcp_bind tcp_close tcp_connect tcp_listen udp_bind udp_close udp_connect udp_send"
without() { echo "$ALL" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ' | sed 's/ $//'; }
port=6000
expect_eq probes-all "$ALL" "$(all_events $port)"
rmmod activity_klog
for b in 1 2 4 8 10 20 40 80 100; do
	port=$((port + 1))
	name=$(bitname $b)
	if insmod $KO probes=0x$b; then
		expect_eq "probes-load[0x$b]" "$name" "$(all_events $port)"
		expect_eq "probes-load-switch[0x$b]" 1 "$(cat $P/probe_$name)"
		rmmod activity_klog
	else
		fail "probes-load[0x$b]" "insmod probes=0x$b failed"
	fi
	port=$((port + 1))
	if insmod $KO "probe_$name=0"; then
		expect_eq "probe-switch-load[$name=0]" "$(without $name)" "$(all_events $port)"
		expect_eq "probe-switch-load-mask[$name=0]" "$(printf '0x%x' $((0x1ff & ~0x$b)))" \
			"$(cat $P/probes)"
		rmmod activity_klog
	else
		fail "probe-switch-load[$name=0]" "insmod failed"
	fi
done
insmod $KO
for b in 1 2 4 8 10 20 40 80 100; do
	port=$((port + 1))
	name=$(bitname $b)
	echo 0x$b >$P/probes
	expect_eq "probes-run[0x$b]" "$name" "$(all_events $port)"
	sum=$(($(cat $P/probe_tcp_connect $P/probe_tcp_accept $P/probe_tcp_close \
		$P/probe_udp_connect $P/probe_udp_bind $P/probe_udp_close \
		$P/probe_tcp_listen $P/probe_tcp_bind $P/probe_udp_send | tr '\n' '+')0))
	expect_eq "probes-run-switches[0x$b]" "1 1" "$(cat $P/probe_$name) $sum"
	echo 1ff >$P/probes
	port=$((port + 1))
	echo 0 >"$P/probe_$name"
	expect_eq "probe-switch-run[$name=0]" "$(without $name)" "$(all_events $port)"
	expect_eq "probe-switch-run-mask[$name=0]" "$(printf '0x%x' $((0x1ff & ~0x$b)))" \
		"$(cat $P/probes)"
	echo 1 >"$P/probe_$name"
done
expect_eq probes-restored 0x1ff "$(cat $P/probes)"
m=$(mark)
$C set probes 0x$b >/dev/null
expect_rec probes-config-record "$($C -n -s "$m")" type=config param=probes -- value=0x100
echo 0x1ff >$P/probes
for v in 200 0x400 xyz -1 " " 3f0; do
	expect_eq "probes-bad[$v]" "ERRNO EINVAL" "$($C set probes "$v")"
done
for v in 2 x -1; do
	expect_eq "probe-switch-bad[$v]" "ERRNO EINVAL" "$($C set probe_udp_bind "$v")"
done
expect_eq probes-bad-kept "0x1ff 1" "$(cat $P/probes $P/probe_udp_bind | tr '\n' ' ' | sed 's/ $//')"
if dmesg | grep -qF "probes: 'xyz' is not a hexadecimal mask within 0x1ff; keeping 0x1ff"; then
	pass probes-bad-message
else
	fail probes-bad-message "no message"
fi
port=$((port + 1))
echo 0 >$P/netlog
expect_eq netlog-off "" "$(all_events $port)"
port=$((port + 1))
echo 1 >$P/netlog
expect_eq netlog-on "$ALL" "$(all_events $port)"
# A socket open across netlog=0 and back: its close still has the
# duration, since the hooks (and the table they keep) stay attached.
rm -f /tmp/bound /tmp/toggled
m=$(mark)
$N -u $U pid udp4 bind 127.0.0.1 0 touch /tmp/bound waitfile /tmp/toggled \
	sleep 200 close >/tmp/tog.out &
tp=$!
$N waitfile /tmp/bound >/dev/null
echo 0 >$P/netlog
echo 1 >$P/netlog
touch /tmp/toggled
wait $tp
d=$(field duration_ms "$(pick "$(new_net "$m")" event=udp_close pid="$(pid_of /tmp/tog.out)")")
if is_num "$d" && [ "$d" -ge 200 ]; then
	pass netlog-toggle-keeps-start
else
	fail netlog-toggle-keeps-start "duration_ms=$d"
fi
rmmod activity_klog
if insmod $KO netlog=0; then
	port=$((port + 1))
	expect_eq netlog-off-load "" "$(all_events $port)"
	rmmod activity_klog
else
	fail netlog-off-load "insmod netlog=0 failed"
fi
for arg in probes=0x200 probes=zz probe_tcp_close=2; do
	if insmod $KO "$arg" 2>/dev/null; then
		rmmod activity_klog
		fail "probes-load-bad[$arg]" "insmod succeeded"
	else
		pass "probes-load-bad[$arg]"
	fi
done

# --- whitelist
mkdir -p /tmp/wl
cp $N /tmp/wl/netctl2
W=/tmp/wl/netctl2
# wl_count LIST-DESC ADDR... : logged udp_connect records by $W, and by $N
wl_try() {
	_m=$(mark)
	$W -u $U "$1" connect "$2" "$3" close >/dev/null
	$N -u $U "$1" connect "$2" "$3" close >/dev/null
	_r=$(new_net "$_m")
	echo "$(count "$_r" event=udp_connect exe=\"$W\" rport="$3") $(count "$_r" event=udp_connect exe=\"$N\" rport="$3")"
}
insmod $KO "net_whitelist=$W"
expect_eq wl-load-read "$W" "$(cat $P/net_whitelist)"
expect_eq wl-path "0 1" "$(wl_try udp4 127.0.0.1 7000)"
expect_eq wl-path-v6 "0 1" "$(wl_try udp6 ::1 7000)"
echo "$W|i127.0.0.1" >$P/net_whitelist
expect_eq wl-ip-match "0 1" "$(wl_try udp4 127.0.0.1 7001)"
expect_eq wl-ip-other "1 1" "$(wl_try udp4 10.9.0.1 7001)"
expect_eq wl-ip-mapped "0 1" "$(wl_try udp6 127.0.0.1 7001)"
echo "$W|p<7002>" >$P/net_whitelist
expect_eq wl-port-match "0 1" "$(wl_try udp4 10.9.0.1 7002)"
expect_eq wl-port-other "1 1" "$(wl_try udp4 10.9.0.1 7003)"
echo "$W|i<10.9.0.0/16>|p7004,/nonexistent" >$P/net_whitelist
expect_eq wl-cidr-match "0 1" "$(wl_try udp4 10.9.0.1 7004)"
expect_eq wl-cidr-other-ip "1 1" "$(wl_try udp4 127.0.0.1 7004)"
expect_eq wl-cidr-other-port "1 1" "$(wl_try udp4 10.9.0.1 7005)"
echo "$W|i<fd00::/8>" >$P/net_whitelist
expect_eq wl-v6-cidr-match "0 1" "$(wl_try udp6 fd00::1 7006)"
expect_eq wl-v6-cidr-other "1 1" "$(wl_try udp6 ::1 7006)"
printf '%s\n' "/x" "$W|i::1|p7007" >$P/net_whitelist
expect_eq wl-v6-port-match "0 1" "$(wl_try udp6 ::1 7007)"
expect_eq wl-v6-port-other "1 1" "$(wl_try udp6 ::1 7008)"
# bind and listen compare the local end; closes of unconnected sockets too
echo "$W|p7009" >$P/net_whitelist
m=$(mark)
$W -u $U udp4 bind 127.0.0.1 7009 close tcp4 bind 127.0.0.1 7009 listen close >/dev/null
$N -u $U udp4 bind 127.0.0.1 7009 close tcp4 bind 127.0.0.1 7009 listen close >/dev/null
r=$(new_net "$m")
expect_eq wl-local-port "0 5" "$(count "$r" exe=\"$W\") $(count "$r" exe=\"$N\")"
# a program whitelisted whole (no address or port part): its TCP
# connections are dropped at the hooks' entry, before any table entry
# (bind, listen, connect, accept and three closes); another program's are
# not
echo "$W" >$P/net_whitelist
m=$(mark)
$W -u $U tcp4 bind 127.0.0.1 7014 listen tcp4 connect 127.0.0.1 7014 \
	use 1 accept close use 2 close use 1 close >/dev/null
$N -u $U tcp4 bind 127.0.0.1 7015 listen tcp4 connect 127.0.0.1 7015 \
	use 1 accept close use 2 close use 1 close >/dev/null
r=$(new_net "$m")
expect_eq wl-path-tcp "0 7" "$(count "$r" exe=\"$W\") $(count "$r" exe=\"$N\")"
# a whitelisted connection closed at exit (its exe is gone by then)
echo "$W" >$P/net_whitelist
m=$(mark)
$W -u $U udp4 connect 127.0.0.1 7010 >/dev/null
r=$(new_net "$m")
expect_eq wl-close-at-exit 0 "$(count "$r" rport=7010)"
echo "" >$P/net_whitelist
expect_eq wl-cleared "1 1" "$(wl_try udp4 127.0.0.1 7011)"
# a user mounts another program over the whitelisted path, in user and
# mount namespaces of their own: its connections are not the whitelisted
# program's (another file), and are recorded
cp $N /tmp/evilnet
chmod 755 /tmp/evilnet
echo "$W" >$P/net_whitelist
m=$(mark)
out=$(/tests/exectl as $U /usr/bin/unshare -Urm sh -c \
	"mount --bind /tmp/evilnet $W && $W udp4 connect 127.0.0.1 7012 close >/dev/null && echo ran" 2>&1)
expect_eq wl-bind-ran ran "$out"
r=$(new_net "$m")
expect_eq wl-bind-forged 1 "$(count "$r" event=udp_connect exe=\"$W\" rport=7012)"
# the whitelisted file itself, run by the same user, still is not
expect_eq wl-bind-real "0 1" "$(wl_try udp4 127.0.0.1 7013)"
echo "" >$P/net_whitelist

# 30 malformed values: each refused, the old list kept
GOOD="$W|i10.0.0.0/8|p53"
echo "$GOOD" >$P/net_whitelist
long=/$(head -c 4100 /dev/zero | tr '\0' a)
i=0
for v in 'relative/path' ' /bin/a' '/bin/a|' '/bin/a||p80' '/bin/a|i' '/bin/a|i<>' \
	'/bin/a|i<1.2.3.4' '/bin/a|i1.2.3.4>' '/bin/a|i256.1.1.1' '/bin/a|i1.2.3' \
	'/bin/a|i1.2.3.4/33' '/bin/a|i::1/129' '/bin/a|i::g' '/bin/a|i1.2.3.4/' \
	'/bin/a|p0' '/bin/a|p65536' '/bin/a|p-1' '/bin/a|p80x' '/bin/a|p' \
	'/bin/a|x80' '/bin/a|p80|p81' '/bin/a|i1.2.3.4|i5.6.7.8' '/bin/a|1.2.3.4' \
	'/bin/a,' '/bin/a|p80\n|p81' '/bin/a|i\0<1.2.3.4>' '/bin/a|p\0<80>' \
	"$long" '/bin/a|p 80' '/bin/a|i1.2.3.4 '; do
	i=$((i + 1))
	# shellcheck disable=SC2059
	if printf "$v" >$P/net_whitelist 2>/dev/null; then
		fail "wl-bad[$i]" "accepted: $(echo "$v" | head -c 40)"
	else
		pass "wl-bad[$i]"
	fi
done
expect_eq wl-bad-count 30 $i
expect_eq wl-bad-kept "$GOOD" "$(cat $P/net_whitelist)"
if dmesg | grep -qF "net_whitelist: entry 1 '/bin/a|p65536' is malformed; keeping the old list"; then
	pass wl-bad-message
else
	fail wl-bad-message "$(dmesg | grep net_whitelist | tail -n 2)"
fi
if dmesg | grep -qF "net_whitelist: entry 2 '|p81' is malformed"; then
	pass wl-bad-message-entry2
else
	fail wl-bad-message-entry2 "$(dmesg | grep net_whitelist | tail -n 2)"
fi

# size: a list of 4095 bytes is taken, one byte more is not
big=$(i=0; while [ $i -lt 300 ]; do printf '/p/%04d|p1,' $i; i=$((i + 1)); done)
big="$big$W|p7012"
pad=$((4095 - ${#big}))
big="/$(head -c $((pad - 2)) /dev/zero | tr '\0' b),$big"
expect_eq wl-max-len 4095 ${#big}
if printf '%s' "$big" >$P/net_whitelist; then pass wl-max-accepted; else fail wl-max-accepted refused; fi
expect_eq wl-max-lookup "0 1" "$(wl_try udp4 127.0.0.1 7012)"
if printf '%sX' "$big" >$P/net_whitelist 2>/dev/null; then
	fail wl-too-long "accepted 4096 bytes"
else
	pass wl-too-long
fi
# edits: "+" adds past one write, "-" removes an entry as written
echo "+$W|p<7013>" >$P/net_whitelist
expect_eq wl-edit-add "0 1" "$(wl_try udp4 127.0.0.1 7013)"
case "$(cat $P/net_whitelist)" in
/b*",...(+"[0-9]*" more)") pass wl-edit-read-more ;;
*) fail wl-edit-read-more "$(tail -c 60 $P/net_whitelist)" ;;
esac
if echo "-$W|p7013" >$P/net_whitelist 2>/dev/null; then
	fail wl-edit-remove-as-written "removed $W|p<7013> as $W|p7013"
else
	pass wl-edit-remove-as-written
fi
echo "-$W|p7012,$W|p<7013>" >$P/net_whitelist
expect_eq wl-edit-remove "1 1 1 1" "$(wl_try udp4 127.0.0.1 7012) $(wl_try udp4 127.0.0.1 7013)"
rmmod activity_klog

# --- rewrites while two CPUs generate traffic: no splat, nothing lost
insmod $KO ring_size=64M "net_whitelist=$W"
m=$(mark)
$N -u $U pid loop 5 127.0.0.1 7100 >/tmp/loop1.out &
l1=$!
$W -u $U pid loop 5 127.0.0.1 7200 >/tmp/loop2.out &
l2=$!
rw=0
while kill -0 $l1 2>/dev/null || kill -0 $l2 2>/dev/null; do
	echo "$W" >$P/net_whitelist
	echo "/a|p1,$W|i127.0.0.0/8,/b|i::1" >$P/net_whitelist
	echo "$W,/c/d|p5" >$P/net_whitelist
	echo "/bad|p0" >$P/net_whitelist 2>/dev/null
	echo "$W|p7200,$W|p7201" >$P/net_whitelist
	rw=$((rw + 1))
done
wait $l1 $l2
n1=$(sed -n 's/^LOOPS //p' /tmp/loop1.out)
p1=$(pid_of /tmp/loop1.out)
p2=$(pid_of /tmp/loop2.out)
recs=$(new_net "$m")
echo "stress: $n1 loops, $rw rewrite rounds"
if is_num "$n1" && [ "$n1" -gt 0 ]; then pass stress-ran; else fail stress-ran "loops=$n1"; fi
# grep, not count(): there are thousands of records
expect_eq stress-udp-connect "$n1" \
	"$(printf '%s\n' "$recs" | grep -c " event=udp_connect pid=$p1 ")"
expect_eq stress-udp-close "$n1" \
	"$(printf '%s\n' "$recs" | grep -c " event=udp_close pid=$p1 ")"
expect_eq stress-tcp-refused "$n1" \
	"$(printf '%s\n' "$recs" | grep " event=tcp_connect pid=$p1 " | grep -c ' result=ECONNREFUSED ')"
expect_eq stress-whitelisted 0 "$(printf '%s\n' "$recs" | grep -c " pid=$p2 ")"
expect_eq stress-lost "0 0" "$(cat $S/lost $S/overwritten | tr '\n' ' ' | sed 's/ $//')"
rmmod activity_klog

# --- two threads connect() one non-blocking socket at once: the attempt is
# logged once (the other call is a repeated one: EALREADY, EISCONN or 0, as
# the kernel says), its outcome once, its close once.
insmod $KO
start_listener 7300
m=$(mark)
: >/tmp/race.out
i=0
while [ $i -lt 24 ]; do
	$N -u $U pid tcp4 nb race 127.0.0.1 7300 wait close >>/tmp/race.out
	i=$((i + 1))
done
kill $lp
wait $lp 2>/dev/null
recs=$(new_net "$m")
bad=""
n=0
for l in $(sed -n 's/^RACE \([A-Z]*\) \([A-Z]*\) lport=\([0-9]*\)$/\1,\2,\3/p' /tmp/race.out); do
	r1=${l%%,*} r2=${l#*,}
	r2=${r2%%,*} p=${l##*,}
	n=$((n + 1))
	case "$r1 $r2" in
	"EINPROGRESS EALREADY" | "EALREADY EINPROGRESS" | "EINPROGRESS OK" | \
	"OK EINPROGRESS" | "EINPROGRESS EISCONN" | "EISCONN EINPROGRESS" | \
	"OK EISCONN" | "EISCONN OK") ;;
	*) bad="$bad netctl:$r1/$r2" ;;
	esac
	c=$(count "$recs" event=tcp_connect lport="$p")
	res=$(field result "$(pick "$recs" event=tcp_connect lport="$p")")
	d=$(count "$recs" event=tcp_connect_done lport="$p")
	cl=$(count "$recs" event=tcp_close lport="$p" rport=7300)
	case "$c $res $d $cl" in
	"1 inprogress 1 1" | "1 ok 0 1") ;;
	*) bad="$bad lport=$p:connect=$c,result=$res,done=$d,close=$cl" ;;
	esac
done
expect_eq race-rounds 24 $n
expect_eq race-one-record "" "$bad"

# --- socket address reuse inherits nothing: connects raced by a whitelisted
# program, then sockets of another one (which reuse the freed struct socks)
# closed at exit, when only a stale entry's whitelist decision would count,
# and listeners, which have no start time.
rmmod activity_klog
insmod $KO "net_whitelist=$W"
start_listener 7301
i=0
while [ $i -lt 24 ]; do
	$W -u $U tcp4 nb race 127.0.0.1 7301 wait close >/dev/null
	i=$((i + 1))
done
kill $lp
wait $lp 2>/dev/null
m=$(mark)
$N -u $U pid tcp4 bind 127.0.0.1 0 listen tcp4 bind 127.0.0.1 0 listen \
	tcp4 bind 127.0.0.1 0 listen tcp4 bind 127.0.0.1 0 listen \
	tcp4 bind 127.0.0.1 0 listen tcp4 bind 127.0.0.1 0 listen \
	tcp4 bind 127.0.0.1 0 listen tcp4 bind 127.0.0.1 0 listen >/tmp/cli.out
cp=$(pid_of /tmp/cli.out)
recs=$(new_net "$m")
expect_eq reuse-close-at-exit "8 8" "$(count "$recs" event=tcp_close pid="$cp") \
$(count "$recs" event=tcp_close pid="$cp" state=listen duration_ms=unknown)"
rmmod activity_klog

# --- a full connection table: a non-blocking connect that cannot be
# tracked cannot have its outcome record; each such record is counted in a
# lost record. About 10,000 bound UDP sockets fill the table's groups.
insmod $KO ring_size=64M probes=0x21
m=$(mark)
$N -u $U pid udpmany 10000 127.0.0.1 nbmany 40 127.0.0.1 5997 sleep 300 \
	>/tmp/full.out
cp=$(pid_of /tmp/full.out)
expect_eq full-netctl "UDPMANY 10000 NBMANY 40" \
	"$(sed -n 's/^\(UDPMANY [0-9]*\)$/\1/p; s/^\(NBMANY [0-9]*\) .*/\1/p' /tmp/full.out | tr '\n' ' ' | sed 's/ $//')"
all=$($C -n -s "$m")
inprog=$(printf '%s\n' "$all" | grep " event=tcp_connect pid=$cp " | grep -c ' result=inprogress ')
done_=$(printf '%s\n' "$all" | grep -c " event=tcp_connect_done pid=$cp ")
lost=$(printf '%s\n' "$all" | sed -n 's/.* type=lost lost=\([0-9]*\).*/\1/p' |
	awk '{ n += $1 } END { print n + 0 }')
untr=$(cat $P/net_untracked)
echo "full table: $inprog in progress, $done_ outcomes, lost=$lost, net_untracked=$untr"
if is_num "$untr" && [ "$untr" -gt 0 ] && [ "$((inprog - done_))" -gt 0 ]; then
	pass full-table-filled
else
	fail full-table-filled "net_untracked=$untr, $inprog in progress, $done_ outcomes"
fi
expect_eq full-inprogress 40 "$inprog"
expect_eq full-outcomes-lost "$((inprog - done_))" "$lost"
expect_eq full-lost-counter "$lost" "$(cat $S/lost)"
rmmod activity_klog

# --- one user's sockets cannot crowd out another's: while uid 1000 holds
# 10,000 bound sockets (its quarter of the connection table, at most half of
# any group), uid 1001's non-blocking connects are all tracked, each with its
# outcome record
insmod $KO ring_size=64M probes=0x21
rm -f /tmp/full.ready /tmp/full.go
$N -u $U udpmany 10000 127.0.0.1 touch /tmp/full.ready waitfile /tmp/full.go \
	>/tmp/full2.out &
fp=$!
i=0
while [ ! -e /tmp/full.ready ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
m=$(mark)
$N -u 1001 pid nbmany 40 127.0.0.1 5997 sleep 300 >/tmp/other.out
op=$(pid_of /tmp/other.out)
touch /tmp/full.go
wait $fp
all=$($C -n -s "$m")
expect_eq fair-flooder "UDPMANY 10000" "$(grep '^UDPMANY' /tmp/full2.out)"
expect_eq fair-other-settled "NBMANY 40 inprogress=40 settled=40" \
	"$(grep '^NBMANY' /tmp/other.out)"
other="$(printf '%s\n' "$all" | grep " event=tcp_connect pid=$op " | grep -c ' result=inprogress ') \
$(printf '%s\n' "$all" | grep -c " event=tcp_connect_done pid=$op ")"
expect_eq fair-other-outcomes "40 40" "$other"
# When one is missing: what was recorded for uid 1001's sockets, and the
# counters, for the log. (Before each user was held to half of every group
# of the connection table, about 1 run in 25 lost one here: a socket of uid
# 1001 hashed to a group that uid 1000's sockets filled; lost=1. The rule
# itself is tested in tests/unit/test_conntab.c, where the group is chosen.)
if [ "$other" != "40 40" ]; then
	printf '%s\n' "$all" | grep " pid=$op " | sed 's/^/fair-other-record: /'
	for f in $P/*; do [ -f "$f" ] && echo "fair-other-param: ${f##*/}=$(cat "$f" 2>/dev/null)"; done
	grep -H . $S/* 2>/dev/null | sed 's/^/fair-other-stat: /'
fi
check fair-flooder-capped sh -c "[ \$(cat $P/net_untracked) -gt 0 ]"
rmmod activity_klog
