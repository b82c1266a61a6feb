# SPDX-License-Identifier: GPL-2.0-only
# The benchmark, run by /init with akl.run=bench (tests/bench builds the
# image and sums up). The same loops under every configuration in one boot,
# the order rotated each round:
#   none      no logger (the module unloaded)
#   on        the module, every probe on, a reader (cat /dev/secure_log >FILE)
#             draining it during the loops
#   norder    the module, every probe on, no reader: what making the records
#             costs without a reader competing for the CPU
#   wl        the module on, the loops' program whitelisted (exec and net):
#             the hooks' cost without records
#   off       the module loaded, execlog=0 netlog=0 exitlog=0
#   auditd    auditd (log_format=RAW, to a tmpfs) with the rules auditd
#             users write for this: execve, execveat, connect, accept,
#             accept4, bind (not close, nor sendto: too noisy, and audit
#             cannot filter on sendto's destination, its 5th argument)
#   bpftrace  a bpftrace script logging execs with argv, failed execs, TCP/UDP
#             connect, accept, bind, close and UDP sends, to a file
#   falco     Falco's kernel module (scap.ko) with sysdig writing the same
#             event types as text to a file
# Prints "@@BENCH round config workload microseconds", per round and logger
# "@@BENCH-REC round config ..." (records and drops: proof it logged), then
# "@@BENCH-FLOOD", "@@BENCH-BYTES" and "@@BENCH-WL" lines. Asserts nothing.
# Cmdline: akl.rounds (7), akl.n (exec loop count; the others scale from
# it), akl.configs and akl.workloads (comma-separated subsets),
# akl.flood_seconds (5), akl.extras (1; 0: the loops only).
P=/sys/module/activity_klog/parameters
S=/sys/class/misc/secure_log/stats
B=/tests/benchctl
T0=$(date +%s)

arg() {
	for w in $(cat /proc/cmdline); do
		case $w in "akl.$1="*) echo "${w#*=}"; return ;; esac
	done
	echo "$2"
}
ROUNDS=$(arg rounds 7)
N=$(arg n 100)
CONFIGS=$(arg configs none,on,wl,off,auditd,bpftrace,falco | tr , ' ')
FLOOD_S=$(arg flood_seconds 5)

# Loop counts: up to about a second each in "none" under TCG.
count() {
	case $1 in
	exec) echo "$N" ;;
	tcp) echo $((N * 20)) ;;
	udp) echo $((N * 150)) ;;
	sendto) echo $((N * 20)) ;;
	exec32k | execfail) echo $((N / 2)) ;;
	esac
}
WORKLOADS=$(arg workloads exec,tcp,udp,sendto,exec32k,execfail | tr , ' ')
# akl.extras=0: the loops only (quick comparisons of two modules)
EXTRAS=$(arg extras 1)

echo "@@BENCH-MACHINE nproc=$(nproc) cpu=\"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)\" kernel=$(uname -r) mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
for w in $WORKLOADS; do printf '%s=%s ' "$w" "$(count $w)"; done | sed 's/^/@@BENCH-COUNTS /'
echo

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /var/run /var/log/audit /etc/audit/plugins.d
mount -t tmpfs -o size=256m tmpfs /var/log/audit

# Waits (at most 60 s) until the reader writing FILE has read the records
# before sequence number $2: its lines, plus what its overrun lines say it
# missed, minus those lines. (Polling makes records of its own: a file that
# "stops growing" never does.)
wait_drained() {
	t=0
	while [ $t -lt 120 ]; do
		got=$(awk '{ n++ } / type=overrun / { o++; for (i = 1; i <= NF; i++)
			if ($i ~ /^missed=/) m += substr($i, 8) } END { print n + m - o }' "$1")
		[ "$got" -ge "$2" ] && return 0
		t=$((t + 1))
		sleep 0.5
	done
	echo "@@BENCH-ERROR reader of $1 at $got of $2 records after 60 s"
}

# Reader statistics of FILE: "read=LINES overrun_lines=N missed=SUM".
reader_stats() {
	awk '{ n++ } / type=overrun / { o++; for (i = 1; i <= NF; i++)
		if ($i ~ /^missed=/) m += substr($i, 8) }
		END { printf "read=%d overrun_lines=%d missed=%d", n, o, m }' "$1"
}

mod_load() {
	rmmod activity_klog 2>/dev/null
	insmod /activity_klog.ko || echo "@@BENCH-ERROR insmod failed"
}

mod_unload() {
	i=0
	while [ -d /sys/module/activity_klog ] && [ $i -lt 20 ]; do
		rmmod activity_klog 2>/dev/null || sleep 0.2
		i=$((i + 1))
	done
}

AUDIT_LOST0=0
audit_lost() { auditctl -s 2>/dev/null | sed -n 's/^lost \([0-9]*\).*/\1/p'; }

audit_start() {
	rm -f /var/log/audit/audit.log
	auditctl -D >/dev/null 2>&1
	auditd 2>/tmp/audit.err || return 1
	i=0
	until [ "$(auditctl -s 2>/dev/null | sed -n 's/^pid \([0-9]*\).*/\1/p')" -gt 0 ] 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "auditd pid not set" >>/tmp/audit.err; return 1; }
		sleep 0.1
	done
	{ auditctl -b 8192 && auditctl -r 0 &&
		auditctl -a always,exit -F arch=b64 -S execve,execveat -k exec &&
		auditctl -a always,exit -F arch=b64 -S connect,accept,accept4,bind -k net &&
		auditctl -e 1; } >/dev/null 2>>/tmp/audit.err || return 1
	AUDIT_LOST0=$(audit_lost)
}

# Rules off, and "-a never,task": once audit was enabled, every new task
# would otherwise get an audit context (and the syscall slow path) for the
# rest of the boot, in every other configuration too.
audit_stop() {
	auditctl -e 0 >/dev/null
	auditctl -D >/dev/null
	auditctl -a never,task >/dev/null
	lost=$(($(audit_lost) - AUDIT_LOST0))
	pid=$(cat /var/run/auditd.pid 2>/dev/null)
	[ -n "$pid" ] && kill "$pid"
	i=0
	while [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	f=/var/log/audit/audit.log
	echo "records=$(grep -c '^type=SYSCALL' $f) lines=$(wc -l <$f) lost=$lost bytes=$(wc -c <$f)"
}

cat >/tmp/bench.bt <<'EOF'
BEGIN { printf("started\n"); }
tracepoint:syscalls:sys_enter_execve {
	printf("%llu exec pid=%d uid=%d comm=%s file=%s argv=", nsecs, pid, uid, comm, str(args->filename));
	join(args->argv);
}
tracepoint:syscalls:sys_exit_execve /args->ret < 0/ {
	printf("%llu exec_failed pid=%d uid=%d comm=%s ret=%d\n", nsecs, pid, uid, comm, args->ret);
}
kprobe:tcp_v4_connect {
	$a = (struct sockaddr_in *)arg1;
	printf("%llu tcp_connect pid=%d uid=%d comm=%s raddr=%s rport=%d\n", nsecs, pid, uid, comm,
		ntop($a->sin_addr.s_addr), ($a->sin_port >> 8) | (($a->sin_port & 0xff) << 8));
}
kprobe:ip4_datagram_connect {
	$a = (struct sockaddr_in *)arg1;
	printf("%llu udp_connect pid=%d uid=%d comm=%s raddr=%s rport=%d\n", nsecs, pid, uid, comm,
		ntop($a->sin_addr.s_addr), ($a->sin_port >> 8) | (($a->sin_port & 0xff) << 8));
}
kretprobe:inet_csk_accept /retval/ {
	$s = (struct sock *)retval;
	printf("%llu tcp_accept pid=%d uid=%d comm=%s laddr=%s lport=%d raddr=%s rport=%d\n", nsecs, pid, uid, comm,
		ntop($s->__sk_common.skc_rcv_saddr), $s->__sk_common.skc_num,
		ntop($s->__sk_common.skc_daddr), ($s->__sk_common.skc_dport >> 8) | (($s->__sk_common.skc_dport & 0xff) << 8));
}
kprobe:inet_bind {
	$so = (struct socket *)arg0;
	$a = (struct sockaddr_in *)arg1;
	printf("%llu bind pid=%d uid=%d comm=%s type=%d laddr=%s lport=%d\n", nsecs, pid, uid, comm, $so->type,
		ntop($a->sin_addr.s_addr), ($a->sin_port >> 8) | (($a->sin_port & 0xff) << 8));
}
kprobe:inet_release {
	$so = (struct socket *)arg0;
	$s = $so->sk;
	if ($s != 0) {
		printf("%llu close pid=%d uid=%d comm=%s type=%d laddr=%s lport=%d raddr=%s rport=%d\n", nsecs, pid, uid, comm, $so->type,
			ntop($s->__sk_common.skc_rcv_saddr), $s->__sk_common.skc_num,
			ntop($s->__sk_common.skc_daddr), ($s->__sk_common.skc_dport >> 8) | (($s->__sk_common.skc_dport & 0xff) << 8));
	}
}
kprobe:udp_sendmsg {
	$m = (struct msghdr *)arg1;
	if ($m->msg_name != 0) {
		$a = (struct sockaddr_in *)$m->msg_name;
		printf("%llu udp_send pid=%d uid=%d comm=%s raddr=%s rport=%d\n", nsecs, pid, uid, comm,
			ntop($a->sin_addr.s_addr), ($a->sin_port >> 8) | (($a->sin_port & 0xff) << 8));
	}
}
EOF

BT=
bpftrace_start() {
	rm -f /tmp/bt.log /tmp/bt.err
	BPFTRACE_PERF_RB_PAGES=1024 bpftrace -o /tmp/bt.log /tmp/bench.bt 2>/tmp/bt.err &
	BT=$!
	i=0
	until grep -q '^started' /tmp/bt.log 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! [ -d /proc/$BT ]; then
			kill -INT $BT 2>/dev/null
			return 1
		fi
		sleep 0.5
	done
	echo "startup_s=$((i / 2))" >/tmp/bt.startup
}

bpftrace_stop() {
	sleep 1 # what the perf buffer holds
	kill -INT $BT
	wait $BT
	echo "records=$(grep -vc '^started' /tmp/bt.log) types=$(awk '/^[0-9]/ { n[$2]++ } END { for (k in n) printf "%s:%d,", k, n[k] }' /tmp/bt.log) lost=$(sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' /tmp/bt.log /tmp/bt.err | awk '{ s += $1 } END { print s + 0 }') $(cat /tmp/bt.startup) bytes=$(wc -c </tmp/bt.log)"
}

SD=
SD_FILTER='evt.dir=< and (evt.type in (execve,connect,accept,accept4,bind,sendto) or (evt.type=close and fd.type in (ipv4,ipv6)))'
falco_start() {
	[ -f /peers/scap.ko ] && insmod /peers/scap.ko || return 1
	rm -f /tmp/sd.log /tmp/sd.err
	sysdig -v -p '*%evt.num %evt.rawtime %proc.pid %user.uid %proc.name %evt.type %evt.res %fd.name %evt.args' \
		"$SD_FILTER" >/tmp/sd.log 2>/tmp/sd.err &
	SD=$!
	i=0
	# until sysdig has the driver's devices open
	until for f in /proc/$SD/fd/*; do readlink "$f"; done 2>/dev/null | grep -q /dev/scap; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! [ -d /proc/$SD ]; then
			kill -INT $SD 2>/dev/null
			rmmod scap 2>/dev/null
			return 1
		fi
		sleep 0.2
	done
	sleep 2 # its /proc scan
}

falco_stop() {
	sleep 2 # what the driver's buffers hold
	kill -INT $SD
	wait $SD
	i=0
	until rmmod scap 2>/dev/null || [ $i -gt 50 ]; do sleep 0.2; i=$((i + 1)); done
	echo "records=$(grep -c '^[0-9]' /tmp/sd.log) types=$(awk '/^[0-9]/ { n[$6]++ } END { for (k in n) printf "%s:%d,", k, n[k] }' /tmp/sd.log) $(grep -ahiE 'drops|events' /tmp/sd.log /tmp/sd.err | tr -d ' ' | tr ':\n' '= ')"
}

# The reader: 256 KiB reads, as akl-journald's and GNU cat's 128 KiB (busybox
# cat reads 4 KiB, which the device answers one record at a time);
# akl.bench_reader=cat for that one.
BENCH_READER=$(sed -n 's/.*akl.bench_reader=\([a-z]*\).*/\1/p' /proc/cmdline)
# read_device FILE [NICE]
read_device() {
	if [ "$BENCH_READER" = cat ]; then
		exec $B nice "${2:-0}" cat /dev/secure_log >"$1"
	else
		exec $B nice "${2:-0}" dd if=/dev/secure_log of="$1" bs=256k 2>/dev/null
	fi
}

READER=
start_cfg() {
	case $1 in
	none) mod_unload ;;
	on)
		mod_load
		read_device /tmp/reader.log &
		READER=$!
		;;
	norder) mod_load ;;
	wl)
		mod_load
		echo 1 >$P/exec_whitelist_root
		echo /tests/benchctl >$P/exec_whitelist
		echo /tests/benchctl >$P/net_whitelist
		;;
	off)
		mod_load
		echo 0 >$P/execlog
		echo 0 >$P/netlog
		echo 0 >$P/exitlog
		;;
	auditd) audit_start ;;
	bpftrace) bpftrace_start ;;
	falco) falco_start ;;
	esac
}

# Prints what the logger of config $2 recorded in round $1.
stop_cfg() {
	case $2 in
	none) return ;;
	on)
		wait_drained /tmp/reader.log "$(cat $S/next_seq)"
		kill $READER
		wait $READER 2>/dev/null
		rec="written=$(cat $S/written) lost=$(cat $S/lost) $(reader_stats /tmp/reader.log) bytes_read=$(wc -c </tmp/reader.log)"
		[ -e $S/stored_bytes ] && rec="$rec stored_bytes=$(cat $S/stored_bytes)"
		mv /tmp/reader.log /tmp/reader-last.log
		mod_unload
		;;
	norder | wl | off)
		rec="written=$(cat $S/written) lost=$(cat $S/lost)"
		mod_unload
		;;
	auditd) rec=$(audit_stop) ;;
	bpftrace) rec=$(bpftrace_stop) ;;
	falco) rec=$(falco_stop) ;;
	esac
	echo "@@BENCH-REC $1 $2 $rec"
}

# Which peers run here: each is started and stopped once; one that does
# not start is skipped with its reason.
run=
for c in $CONFIGS; do
	case $c in
	auditd | bpftrace | falco)
		t=$(date +%s)
		if start_cfg $c; then
			/tests/benchctl exec 2 >/dev/null
			/tests/benchctl tcp 2 >/dev/null
			echo "@@BENCH-CHECK $c started in $(($(date +%s) - t)) s; $(stop_cfg 0 $c)"
		else
			case $c in
			auditd) why=$(grep -v parser /tmp/audit.err | tail -n3; auditctl -s | tr '\n' ' ') ;;
			bpftrace) why=$(tail -n5 /tmp/bt.err) ;;
			falco) why=$(cat /peers/scap.why 2>/dev/null; tail -n5 /tmp/sd.err 2>/dev/null; dmesg | grep -i scap | tail -n3) ;;
			esac
			echo "@@BENCH-SKIP $c does not start here: $(echo "$why" | tr '\n' ' ')"
			stop_cfg 0 $c >/dev/null 2>&1
			continue
		fi
		;;
	esac
	run="$run $c"
done
CONFIGS=$run
echo "@@BENCH-CONFIGS$CONFIGS"

r=1
while [ "$r" -le "$ROUNDS" ]; do
	# Rotate: round r starts at the ((r-1) mod n)th configuration.
	set -- $CONFIGS
	k=$(((r - 1) % $#))
	while [ "$k" -gt 0 ]; do
		c=$1
		shift
		set -- "$@" "$c"
		k=$((k - 1))
	done
	for c in "$@"; do
		if ! start_cfg $c; then
			echo "@@BENCH-ERROR round $r: $c did not start"
			continue
		fi
		sleep 1 # let the guest settle
		for w in $WORKLOADS; do
			echo "@@BENCH $r $c $w $($B $w "$(count $w)")"
		done
		stop_cfg $r $c
	done
	echo "@@BENCH-ROUND $r done at $(($(date +%s) - T0)) s"
	r=$((r + 1))
done

# Bytes per record: the module's own count if it has one, else the average
# line length the reader got in the last "on" round, per type and event.
if [ -f /tmp/reader-last.log ]; then
	awk '{ t = "?"; e = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^type=/) t = substr($i, 6)
			if ($i ~ /^event=/) { e = "/" substr($i, 7); break }
		}
		k = t e; n[k]++; b[k] += length($0) + 1; N++; Bt += length($0) + 1 }
		END { for (k in n) printf "@@BENCH-BYTES line %s n=%d avg=%d\n", k, n[k], b[k] / n[k]
			printf "@@BENCH-BYTES line all n=%d avg=%d\n", N, Bt / N }' /tmp/reader-last.log
fi

if [ "$EXTRAS" = 0 ]; then
	echo "@@BENCH-TOTAL $(($(date +%s) - T0)) s"
	exit 0
fi

# Reader throughput: a one-user (uid 1000) UDP flood, 2 processes for
# FLOOD_S seconds, the module on with the default ring and a cat reader.
# Twice at the reader's nice 0, twice at nice -10 (akl-journald's unit).
for f in 1 2 3 4; do
	nice=0
	[ $f -gt 2 ] && nice=-10
	mod_load
	read_device /tmp/flood.log $nice &
	READER=$!
	sleep 1
	w0=$(cat $S/written)
	out=$($B flood "$FLOOD_S" 2 1000)
	w1=$(cat $S/written)
	during=$(wc -l </tmp/flood.log)
	wait_drained /tmp/flood.log "$(cat $S/next_seq)"
	kill $READER
	wait $READER 2>/dev/null
	set -- $out
	echo "@@BENCH-FLOOD $f iterations=$1 us=$2 written=$((w1 - w0)) produced_per_s=$(((w1 - w0) * 1000000 / $2)) read_during=$during read_per_s=$((during * 1000000 / $2)) $(reader_stats /tmp/flood.log) ring=$(cat $S/ring_size) lost=$(cat $S/lost) reader_nice=$nice"
	[ -e $S/stored_bytes ] && echo "@@BENCH-BYTES stored stored_bytes=$(cat $S/stored_bytes) written=$(cat $S/written)"
	mod_unload
done

# Whitelist lookups: the module on, the loops' program whitelisted as the
# last of K entries (K-1 that never match) in exec_whitelist and
# net_whitelist; a "+entry" append syntax is used if the module has one.
mod_load
echo 1 >$P/exec_whitelist_root
append=no
if echo /a >$P/exec_whitelist 2>/dev/null && echo +/b >$P/exec_whitelist 2>/dev/null &&
	[ "$(cat $P/exec_whitelist)" = "/a,/b" ] || [ "$(cat $P/exec_whitelist)" = "/a
/b" ]; then
	append=yes
fi
echo "@@BENCH-WL append_syntax=$append"
# entries K: K-1 fillers "/wl/I", then /tests/benchctl, in writes of at
# most 4000 bytes (the first without "+"); without append, only the first.
wl_set() {
	awk -v k="$1" -v app="$append" 'BEGIN {
		s = ""; first = 1
		for (i = 1; i <= k; i++) {
			e = (i == k) ? "/tests/benchctl" : "/wl/" i
			if (length(s) + length(e) + 2 > 4000) {
				if (app != "yes") break
				print (first ? "" : "+") s; s = ""; first = 0
			}
			s = s (s == "" ? "" : ",") e
		}
		if (i <= k && app != "yes") s = s ",/tests/benchctl"
		print (first ? "" : "+") s
	}' >/tmp/wl.txt
	while read -r line; do
		echo "$line" >$P/exec_whitelist || echo "@@BENCH-ERROR exec_whitelist write refused"
		echo "$line" >$P/net_whitelist || echo "@@BENCH-ERROR net_whitelist write refused"
	done </tmp/wl.txt
}
# The sizes alternate within each of 3 rounds (a drift of the host's load
# does not land on one size).
for i in 1 2 3; do
	for k in 1 100 4000; do
		wl_set $k
		# A list longer than one read shows its first entries, then
		# "...(+N more)".
		got=$(tr ',' '\n' <$P/exec_whitelist | awk '/^\// { n++ }
			match($0, /^\.\.\.\(\+[0-9]+ more\)$/) { n += substr($0, 6) + 0 }
			END { print n + 0 }')
		for w in exec udp; do
			echo "@@BENCH-WL wanted=$k entries=$got $i $w $($B $w "$(count $w)")"
		done
	done
done
echo "@@BENCH-WL written=$(cat $S/written) (records made while whitelisted: config records only)"
mod_unload

echo "@@BENCH-TOTAL $(($(date +%s) - T0)) s"
