# SPDX-License-Identifier: GPL-2.0-only
# Stress: for a bounded time (akl.stress_seconds=N, default 60, in rounds of
# akl.stress_rounds=3), on every vCPU and as uids 1000-1002: exec, TCP and
# UDP loopback loops; a rename storm in /tmp beside chdir + connect loops
# (d_path() in probe context racing with rename_lock writers); trinity as
# uid 1003 when the image has it; and as root meanwhile: live rewrites of
# both whitelists (valid and malformed), probe masks and subsystems toggled,
# readers that stall, get overtaken and get killed. The module is reloaded
# between rounds with another ring size. Checks: every record a fast reader
# and the slow readers read parses, sequence gaps are exactly those overrun
# records announce, the stats counters agree with the fast reader, unload
# works. The kernel log is checked by the host (tests/run).
# Runs only with akl.stress=1 (tests/run sets it where the stress test is
# wanted). akl.stress_nomod=1: the same load without the module (to tell a
# kernel's own crash from ours).
#
# Parameter changes patch no kernel text (the hooks stay attached from load
# to unload), so every parameter is toggled under load on every kernel.
# Loading and unloading the module do patch it, and under QEMU TCG a vCPU
# can run text that another is patching and crash, without the module too
# (ENVIRONMENT.md, "A crash that is not ours"; akl.stress_nomod=1
# akl.stress_tp_toggle=1 shows it with a tracepoint toggled through
# tracefs). So trinity, which runs across the rounds, is stopped (SIGSTOP)
# around each insmod and rmmod; the other loads end before them.
. /tests/lib.sh

arg() {
	for w in $(cat /proc/cmdline); do
		case $w in "akl.$1="*) echo "${w#*=}"; return ;; esac
	done
	echo "$2"
}
[ "$(arg stress 0)" = 1 ] || exit 0

KO=/activity_klog.ko
P=/sys/module/activity_klog/parameters
S=/sys/class/misc/secure_log/stats
X=/tests/stressctl
SECS=$(arg stress_seconds 60)
ROUNDS=$(arg stress_rounds 3)
NOMOD=$(arg stress_nomod 0)
T=$((SECS / ROUNDS))
[ $T -ge 5 ] || T=5
NCPU=$(grep -c ^processor /proc/cpuinfo)
USERS="1000 1001 1002"
echo "stress: $ROUNDS rounds of $T s, $NCPU vCPUs, kernel $(uname -r), nomod=$NOMOD"

for u in $USERS 1003; do
	echo "u$u:x:$u:$u::/tmp:/bin/sh" >>/etc/passwd
	echo "u$u:x:$u:" >>/etc/group
	mkdir -p /tmp/st.$u/a
	: >/tmp/st.$u/f
	chown -R $u:$u /tmp/st.$u
done

# Without the module and with akl.stress_tp_toggle=1: the tracepoint is
# toggled through tracefs instead.
TPE=
if [ "$NOMOD" = 1 ] && [ "$(arg stress_tp_toggle 0)" = 1 ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	TPE=/sys/kernel/tracing/events/sock/inet_sock_set_state/enable
	[ -w $TPE ] || TPE=
fi

# v KEY LINE: the numeric value of KEY= in a READER line
v() { printf '%s\n' "$2" | sed -n "s/.* $1=\([0-9-]*\).*/\1/p"; }

# settle: until next_seq stands still for a second (at most 20 s)
settle() {
	_prev="" _i=0
	while [ $_i -lt 20 ]; do
		read -r _n <$S/next_seq
		[ "$_n" = "$_prev" ] && return
		_prev=$_n
		sleep 1
		_i=$((_i + 1))
	done
	echo "stress: next_seq still moving after 20 s"
}

rd_records=0 rd_overruns=0 rd_missed=0 wl_ok=0 wl_bad=0 toggles=0 kills=0
trinity_calls=0 start=$(date +%s)

# A parameter write that must succeed (ok) or be refused keeping the old
# value (bad); either outcome otherwise is a failure, counted in $wl_err.
wl_err=0
# Shell built-ins only (no exec: fewer records, faster churn).
pget() { _v=; while IFS= read -r _l; do _v="$_v$_l
"; done <$P/$1; printf '%s' "${_v%
}"; }
pset() { # ok|bad PARAM VALUE
	_old=$(pget $2)
	if printf '%s' "$3" >$P/$2 2>/dev/null; then _r=ok; else _r=bad; fi
	if [ $_r != "$1" ]; then
		wl_err=$((wl_err + 1))
		echo "stress: writing '$3' to $2: expected $1, got $_r"
	elif [ $_r = bad ] && [ "$(pget $2)" != "$_old" ]; then
		wl_err=$((wl_err + 1))
		echo "stress: refused '$3' changed $2 from '$_old' to '$(pget $2)'"
	fi
	[ "$1" = ok ] && wl_ok=$((wl_ok + 1))
	[ "$1" = bad ] && wl_bad=$((wl_bad + 1))
}

EWL_OK='/tests/stressctl|stressctl noop
/bin/true,/tests/stressctl
/tests/exectl|/tests/exectl x
'
EWL_BAD='relative/path
/ok,bad
|prefix-only'
NWL_OK='/tests/stressctl|p9
/tests/stressctl|i127.0.0.0/8,/x|i<::1/128>|p<53>
/tests/stressctl|i::1
'
NWL_BAD='|p81
/x|p0
/x|i300.1.1.1
/x|q1
/x|p1|p2'
nth() { # N LIST: the Nth line (from 0, modulo) of LIST; "" for an empty one
	_n=0
	while IFS= read -r _l; do _n=$((_n + 1)); done <<EOF
$2
EOF
	_i=$(($1 % _n))
	while IFS= read -r _l; do
		[ $_i = 0 ] && { printf '%s' "$_l"; return; }
		_i=$((_i - 1))
	done <<EOF
$2
EOF
}
PBITS="tcp_connect tcp_accept tcp_close udp_connect udp_bind udp_close tcp_listen tcp_bind udp_send"

# One pass of the root-side churn while the load runs.
churn() {
	r=$RANDOM
	pset ok exec_whitelist "$(nth $r "$EWL_OK")"
	pset bad exec_whitelist "$(nth $r "$EWL_BAD")"
	pset ok net_whitelist "$(nth $r "$NWL_OK")"
	pset bad net_whitelist "$(nth $r "$NWL_BAD")"
	pset ok probes "$(printf '0x%x' $((r % 512)))"
	pset bad probes 0x200
	pset bad probes zz
	set -- $PBITS
	shift $((r % $#))
	pset ok probe_$1 $((r / 7 % 2))
	pset ok execlog $((r / 3 % 2))
	pset ok netlog $((r / 5 % 2))
	toggles=$((toggles + 1))
}

# all_stopped UID: every process of UID is stopped (or gone)
all_stopped() {
	for f in /proc/[0-9]*/status; do
		st= uid=
		while read -r k a b; do
			case $k in
			State:) st=$a ;;
			Uid:) uid=$a && break ;;
			esac
		done 2>/dev/null <"$f"
		[ "$uid" = "$1" ] || continue
		case $st in T | t | Z | X | "") ;; *) return 1 ;; esac
	done
	return 0
}

# trinity_pause STOP|CONT: around module loads and unloads (see above)
trinity_pause() {
	[ -n "$tpid" ] || return 0
	$X -u 1003 run /bin/kill -"$1" -1 2>/dev/null
	[ "$1" = STOP ] || return 0
	_i=0
	while [ $_i -lt 100 ] && ! all_stopped 1003; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ $_i -lt 100 ] || echo "stress: trinity not all stopped after 10 s"
}

tpid=
if [ -x /usr/bin/trinity ]; then
	# trinity stops when the kernel's taint changes: loading an
	# out-of-tree module taints it, so once before trinity starts (run
	# alone, this test is the first to load it).
	[ "$NOMOD" = 1 ] || [ "$(cat /proc/sys/kernel/tainted)" != 0 ] ||
		{ insmod $KO && rmmod activity_klog; }
	mkdir -p /tmp/trinity && chown 1003:1003 /tmp/trinity
	# trinity in a memory cgroup whose memory.high throttles it: it fills
	# shmem (fallocate() on its files), and even 2 GiB ran out (7.x-rt):
	# the OOM killer's report is a Call Trace, which fails the run. A limit
	# (memory.max) would make the cgroup's OOM killer report the same.
	tcg= tx=
	CG=/sys/fs/cgroup
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $CG 2>/dev/null
	if echo +memory >$CG/cgroup.subtree_control 2>/dev/null &&
		mkdir -p $CG/akl-trinity && echo 768M >$CG/akl-trinity/memory.high; then
		tcg=$CG/akl-trinity
		echo "stress: trinity in a memory cgroup, memory.high=768M"
	else
		# (the debug kernels have no CONFIG_MEMCG): then without the
		# shmem filler that ran the guests out of memory
		tx="-x fallocate"
		echo "stress: no memory cgroup for trinity: no fallocate() for it"
	fi
	# One run across the rounds (its start takes long under TCG).
	# Bounded by -N and by the rounds (SIGINT at their end: it stops
	# and says how many it ran; busybox timeout execs it: $! is its pid). Left out: what a user may not do
	# anyway (reboot, kexec), and what makes the kernel say words
	# that the host's splat check counts or taint it, which stops
	# trinity: fanotify_mark (permission events taint), mount and
	# fsmount in its user namespaces ("WARNING: The mand mount
	# option has been deprecated"). Sockets: AF_INET only (trinity
	# otherwise probes every family first: minutes under TCG).
	(if [ -n "$tcg" ]; then echo 0 >$tcg/cgroup.procs; fi
	cd /tmp/trinity && exec timeout -s INT $((T * ROUNDS + 300)) $X -u 1003 run \
		/usr/bin/trinity -q -l off -P PF_INET --disable-fds=perf \
		-C "$NCPU" -N "$(arg trinity_n 20000)" \
		-x reboot -x kexec_load -x kexec_file_load \
		-x fanotify_mark -x mount -x fsmount $tx) >/tmp/trinity.log 2>&1 &
	tpid=$!
fi

round=1
while [ $round -le "$ROUNDS" ]; do
	case $((round % 3)) in
	1) ring=128K ;;
	2) ring=1M ;;
	0) ring=4M ;;
	esac
	stopf=/tmp/stop.$round
	rm -f $stopf
	if [ "$NOMOD" != 1 ]; then
		# No exit records: the counters below are read by processes of
		# this script, whose own exits would move them.
		trinity_pause STOP
		if ! insmod $KO ring_size=$ring exitlog=0; then
			trinity_pause CONT
			fail "stress-load[$round]" "insmod ring_size=$ring failed"
			break
		fi
		trinity_pause CONT
		$X read -z -x $stopf -N fast >/tmp/fast.$round 2>/tmp/fast.err.$round &
		fast=$!
		slow=
		for ms in 300 2000; do
			$X read -S $ms -N slow$ms >/tmp/slow$ms.$round 2>&1 &
			slow="$slow $!"
		done
	fi

	# The load, on every vCPU: every user runs each loop.
	pids=
	for u in $USERS; do
		for k in exec tcp udp; do
			$X -u $u -t $T $k >>/tmp/ops.$round &
			pids="$pids $!"
		done
	done
	for u in 1000 1001; do
		$X -u $u -t $T rename /tmp/st.$u >>/tmp/ops.$round &
		pids="$pids $!"
		i=0
		while [ $i -lt "$NCPU" ]; do
			$X -u $u -t $T chconn /tmp/st.$u >>/tmp/ops.$round &
			pids="$pids $!"
			i=$((i + 1))
		done
	done

	# Root-side churn until the load ends.
	end=$(($(date +%s) + T))
	while [ "$(date +%s)" -lt $end ]; do
		if [ "$NOMOD" != 1 ]; then
			churn
			# A reader killed at some point of its life.
			$X read -S 100 -N killed >/dev/null 2>&1 &
			k=$!
			sleep 0.$((RANDOM % 5 + 1))
			kill -9 $k 2>/dev/null && kills=$((kills + 1))
			wait $k 2>/dev/null
		elif [ -n "$TPE" ]; then
			# Without the module: the same tracepoint toggled
			# through tracefs (the crash that is not ours).
			echo 1 >$TPE
			sleep 0.$((RANDOM % 5 + 1))
			echo 0 >$TPE
		else
			sleep 1
		fi
	done
	for p in $pids; do wait $p; done
	# Stray processes of the users (trinity's children) must not outlive it.
	for u in $USERS; do $X -u $u run /bin/kill -9 -1 2>/dev/null; done
	echo "stress: round $round ops: $(sort /tmp/ops.$round | awk '{a[$2]+=$3} END {for (k in a) printf "%s=%d ", k, a[k]}')"

	if [ "$NOMOD" = 1 ]; then
		round=$((round + 1))
		continue
	fi

	# No record source left, so that the counters stand still while the fast reader drains and
	# they are read; then a config record, which stores any pending "lost"
	# record first.
	pset ok execlog 0
	pset ok netlog 0
	pset ok exec_whitelist ""
	pset ok net_whitelist ""
	echo 0 >$P/klog
	# A writer that passed its check before the switches went off may
	# still be committing (an exec's task_work preempted on 1 vCPU: once
	# on the debug kernel, an exec record after the reader stopped).
	settle
	touch $stopf
	wait $fast
	for p in $slow; do kill -TERM $p; wait $p; done
	fl=$(grep '^READER' /tmp/fast.$round)
	echo "stress: round $round $fl"
	cat /tmp/fast.err.$round | head -n 10
	stats="written=$(cat $S/written) next_seq=$(cat $S/next_seq) lost=$(cat $S/lost) overwritten=$(cat $S/overwritten) written_config=$(cat $S/written_config) written_exec=$(cat $S/written_exec) written_net=$(cat $S/written_net) written_lost=$(cat $S/written_lost)"
	echo "stress: round $round stats $stats"
	st() { v "$1" " $stats"; }

	if [ -z "$fl" ]; then
		fail "stress-fast-reader[$round]" "no READER line: $(head -c 300 /tmp/fast.$round)"
	else
		expect_eq "stress-parse[$round]" 0 "$(v bad "$fl")"
		expect_eq "stress-seq-gaps[$round]" 0 "$(v gaps "$fl")"
		expect_eq "stress-next-seq[$round]" "$(st next_seq)" "$(v next "$fl")"
		expect_eq "stress-written[$round]" "$(st next_seq)" "$(st written)"
		missed=$(v missed "$fl")
		if [ "$missed" = 0 ]; then
			expect_eq "stress-written-types[$round]" \
				"$(st written_config) $(st written_exec) $(st written_net) $(st written_lost)" \
				"$(v config "$fl") $(v exec "$fl") $(v net "$fl") $(v lost "$fl")"
			expect_eq "stress-lost[$round]" "$(st lost)" "$(v lost_sum "$fl")"
		else
			# Overtaken: what it missed was overwritten (and counted).
			if [ "$(st overwritten)" -ge "$missed" ]; then
				pass "stress-overwritten[$round]"
			else
				fail "stress-overwritten[$round]" "missed $missed > overwritten $(st overwritten)"
			fi
			[ "$(st lost)" -ge "$(v lost_sum "$fl")" ] &&
				pass "stress-lost[$round]" ||
				fail "stress-lost[$round]" "lost $(st lost) < lost records' sum $(v lost_sum "$fl")"
		fi
		rd_records=$((rd_records + $(v records "$fl")))
		rd_overruns=$((rd_overruns + $(v overruns "$fl")))
		rd_missed=$((rd_missed + missed))
	fi
	for ms in 300 2000; do
		sl=$(grep '^READER' /tmp/slow$ms.$round)
		echo "stress: round $round $sl"
		if [ -n "$sl" ] && [ "$(v bad "$sl")" = 0 ] && [ "$(v gaps "$sl")" = 0 ]; then
			pass "stress-slow-reader$ms[$round]"
		else
			fail "stress-slow-reader$ms[$round]" "$(head -c 300 /tmp/slow$ms.$round)"
		fi
		rd_overruns=$((rd_overruns + $(v overruns "$sl")))
	done
	expect_eq "stress-param-writes[$round]" 0 $wl_err
	wl_err=0
	trinity_pause STOP
	check "stress-unload[$round]" rmmod activity_klog
	trinity_pause CONT
	round=$((round + 1))
done

if [ -n "$tpid" ]; then
	kill -INT $tpid 2>/dev/null
	i=0
	while kill -0 $tpid 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
	$X -u 1003 run /bin/kill -9 -1 2>/dev/null
	wait $tpid
	n=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity.log | tail -n 1)
	trinity_calls=${n:-0}
	echo "stress: trinity: $(tail -n 6 /tmp/trinity.log | tr "\n" " ")"
	[ -n "$tcg" ] && echo "stress: trinity's cgroup: peak $(cat $tcg/memory.peak 2>/dev/null || echo ?) bytes, now $(cat $tcg/memory.current), $(grep -E '^(high|oom) ' $tcg/memory.events | tr '\n' ' ')"
fi
echo "@@STAT stress_seconds $(($(date +%s) - start))"
echo "@@STAT stress_rounds $ROUNDS"
echo "@@STAT records_read $rd_records"
echo "@@STAT overruns $rd_overruns"
echo "@@STAT records_missed $rd_missed"
echo "@@STAT param_writes_ok $wl_ok"
echo "@@STAT param_writes_refused $wl_bad"
echo "@@STAT churn_passes $toggles"
echo "@@STAT readers_killed $kills"
echo "@@STAT trinity_syscalls $trinity_calls"
for k in exec tcp udp rename chconn; do
	echo "@@STAT ops_$k $(cat /tmp/ops.* | awk -v k=$k '$2 == k {s += $3} END {print s + 0}')"
done
[ -d /sys/module/activity_klog ] && rmmod activity_klog
pass stress-done
