# SPDX-License-Identifier: GPL-2.0-only
# secure_log: /dev/secure_log semantics, counters, config records, parameters.
. /tests/lib.sh

KO=/activity_klog.ko
P=/sys/module/activity_klog/parameters
S=/sys/class/misc/secure_log/stats
C=/tests/slogctl
# Only config records here: no exec, exit or network record source.
Q="execlog=0 netlog=0 exitlog=0"

insmod $KO $Q || fail load "insmod failed"

# --- the device node
expect_eq dev-mode "400 0 0" "$(stat -c '%a %u %g' /dev/secure_log)"
expect_eq dev-is-char "character special file" "$(stat -c '%F' /dev/secure_log)"

# --- the load record: first record, seq 0, version and parameters
first=$($C -n -c 1)
case "$first" in
"seq=0 ts="*" type=config event=load version=1.0.0 kernel=$(uname -r) "*" uid=0 gid=0 euid=0 egid=0 "*" comm=\"insmod\" "*)
	pass load-record ;;
*)	fail load-record "got: $first" ;;
esac
expect_eq load-record-ring_size 4194304 "$(fval ring_size "$first")"
expect_eq load-record-klog 0 "$(fval klog "$first")"
load1=$(fval load "$first")
case "$load1" in
[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f])
	pass load-id-format ;;
*)	fail load-id-format "load=$load1" ;;
esac
ts=$(fval ts "$first")
case "$ts" in
[1-9]*.[0-9][0-9][0-9][0-9][0-9][0-9]) pass timestamp-us ;;
*)	fail timestamp-us "ts=$ts" ;;
esac

# --- access control
expect_eq open-unpriv-dac "ERRNO EACCES" "$($C -u 1000 open)"
chmod 0444 /dev/secure_log
expect_eq open-unpriv-chmod "ERRNO EPERM" "$($C -u 1000 open)"
if unshare -U -r true 2>/dev/null; then
	expect_eq open-userns-root "ERRNO EPERM" \
		"$(unshare -U -r $C open 2>&1)"
else
	fail open-userns-root "unshare -U -r is not possible here"
fi
chmod 0400 /dev/secure_log
expect_eq open-root "OK" "$($C open)"
expect_eq open-wronly "ERRNO EPERM" "$($C -w open)"
expect_eq write-refused "ERRNO EBADF" "$($C write)"
expect_eq ioctl-refused "ERRNO ENOTTY" "$($C ioctl)"

# --- config record for a run-time change, with who made it
out=$($C -N 'ch"g x=1' -R 1234 set klog 0)
pid=${out#OK }
rec=$($C -n | grep 'event=set param=klog')
case "$rec" in
*" type=config event=set param=klog value=0 pid=$pid "*" uid=1234 gid=0 euid=0 "*" comm=\"ch\\\"g x=1\" "*)
	pass config-set-record ;;
*)	fail config-set-record "pid=$pid got: $rec" ;;
esac

# --- bad values at run time: refused, old value kept, a clear message
for v in 3 -1 abc 0x10 99999999999 "1 2"; do
	out=$($C set klog "$v")
	expect_eq "param-klog-bad[$v]" "ERRNO EINVAL" "$out"
done
expect_eq param-klog-kept 0 "$(cat $P/klog)"
check param-bad-message dmesg_has "klog: 'abc' is not a number from 0 to 2; keeping 0"
check ring-size-readonly test ! -w $P/ring_size -o "$(stat -c %a $P/ring_size)" = 444

# --- several readers each see every record
a=$($C -n); b=$($C -n)
expect_eq readers-same "$a" "$b"
n=$(printf '%s\n' "$a" | wc -l)
expect_eq readers-count "$(cat $S/next_seq)" "$n"

# --- sequence numbers: gap-free, monotonic; resume after a known one
seqs=$(printf '%s\n' "$a" | sed 's/^seq=\([0-9]*\) .*/\1/' | tr '\n' ' ')
expect_eq seq-gapless "$(seq 0 $((n - 1)) | tr '\n' ' ')" "$seqs"
line2=$(printf '%s\n' "$a" | sed -n 2p)
expect_eq resume-at-seq "$line2" "$($C -n -s 1 -c 1)"
expect_eq tell-after-seek 2 "$($C -s 2 tell)"
expect_eq seek-end "$(cat $S/next_seq)" "$($C -s end tell)"
expect_eq seek-past-end "ERRNO EINVAL" "$($C -s 999999 tell)"
expect_eq seek-end-last-two "$(printf '%s\n' "$a" | tail -n 2)" "$($C -n -s end-2)"
expect_eq seek-end-before-oldest 0 "$($C -s end-999999 tell)"
expect_eq seek-cur-before-0 "ERRNO EINVAL" "$($C -s cur-1 tell)"
expect_eq seek-cur 1 "$($C -s cur+1 tell)"
expect_eq seek-end-past "ERRNO EINVAL" "$($C -s end+1 tell)"
expect_eq read-after-end "" "$($C -n -s end)"

# --- non-blocking, poll, epoll, blocking read
expect_eq nonblock-eagain "ERRNO EAGAIN" "$($C -n -s end -c 1)"
expect_eq poll-timeout "TIMEOUT" "$($C -n -s end -p 300 -c 1)"
expect_eq epoll-timeout "TIMEOUT" "$($C -n -s end -e 300 -c 1)"
$C -n -s end -p 20000 -c 1 >/tmp/poll.out &
p1=$!
$C -n -s end -e 20000 -c 1 >/tmp/epoll.out &
p2=$!
$C -s end -c 1 >/tmp/block.out &
p3=$!
sleep 1
$C set klog 0 >/dev/null
wait $p1 $p2 $p3
for f in poll epoll block; do
	check "wakeup-$f" grep -q 'event=set param=klog value=0' /tmp/$f.out
done
# readers are woken in batches, but a lone record reaches a sleeping
# reader within WAKE_DELAY_MS (10 ms): well inside the 2 s left here
$C -n -s end -p 3000 -c 1 >/tmp/poll2.out &
p1=$!
sleep 1
$C set klog 0 >/dev/null
wait $p1
check wakeup-lone-record grep -q 'event=set param=klog value=0' /tmp/poll2.out

# --- a buffer too small: EINVAL, and the record is still the next one
out=$($C -n -b 16 -r -c 1)
expect_eq short-buffer "ERRNO EINVAL
$first" "$out"

# --- kernel-log mode: 1 copies, 2 diverts
$C set klog 1 >/dev/null
check klog-copy dmesg_has "activity_klog: seq=$(( $(cat $S/next_seq) - 1 )) type=config event=set param=klog value=1"
before=$(cat $S/next_seq)
$C set klog 2 >/dev/null
# the change itself stays in the stream (it used to go to the kernel log only)
expect_eq klog-only-config-in-ring "$((before + 1))" "$(cat $S/next_seq)"
expect_eq klog-only-config-record "event=set param=klog value=2" \
	"$($C -n -s $before -c 1 | sed 's/.* type=config \(event=set param=klog value=2\) .*/\1/')"
check klog-only-config-in-dmesg dmesg_has "activity_klog: seq=$before type=config event=set param=klog value=2"
# other records go to the kernel log only
$C set exitlog 1 >/dev/null
before=$(cat $S/next_seq)
/bin/true
expect_eq klog-only-not-in-ring "$before" "$(cat $S/next_seq)"
check klog-only-in-dmesg dmesg_has "activity_klog: type=exit "
$C set exitlog 0 >/dev/null
$C set klog 0 >/dev/null

# --- counters: the ring holds config records only; exits went to the kernel log
w=$(cat $S/written); ns=$(cat $S/next_seq); wc_=$(cat $S/written_config)
expect_eq stats-written "$((ns + $(cat $S/written_exit)))" "$w"
expect_eq stats-written-config "$ns" "$wc_"
expect_eq stats-overwritten 0 "$(cat $S/overwritten)"
expect_eq stats-lost 0 "$(cat $S/lost)"
expect_eq stats-ring-size 4194304 "$(cat $S/ring_size)"
expect_eq stats-root-only "ERRNO EACCES" "$($C -u 1000 -f $S/written open)"

# --- unload with a blocked reader: refused while open, then clean
$C -s end -c 1 >/tmp/blocked.out &
rp=$!
sleep 1
if rmmod activity_klog 2>/dev/null; then
	fail unload-busy "rmmod succeeded with a reader open"
else
	pass unload-busy
fi
check reader-alive kill -0 $rp
$C set klog 0 >/dev/null
wait $rp
check reader-got-record grep -q 'event=set param=klog' /tmp/blocked.out
check unload rmmod activity_klog

# --- bad values at load: refused with a message. The read-only counters
# too: the kernel's parser calls a parameter's set() without checking
# that it has one (a NULL call, an Oops, before they had one).
for arg in ring_size=12 ring_size=abc ring_size=2G ring_size= klog=3 klog=x \
	net_untracked=1 exec_unresolved=0 proc_untracked=5; do
	if insmod $KO "$arg" 2>/dev/null; then
		rmmod activity_klog
		fail "load-bad[$arg]" "insmod succeeded"
	else
		pass "load-bad[$arg]"
	fi
done
check load-bad-message dmesg_has "ring_size: '12' is not a size from 128K to 1024M"
check load-readonly-message dmesg_has "net_untracked: read-only (a counter), not set at load"
check load-rounds insmod $KO ring_size=300K $Q
expect_eq ring-size-rounded 524288 "$(cat $S/ring_size)"
rmmod activity_klog

# --- overrun: a reader overtaken by writers is told how many it missed
insmod $KO ring_size=128K $Q
rm -f /tmp/go
$C -n -W /tmp/go >/tmp/overrun.out &
rp=$!
sleep 1
# 300 records of over 1000 bytes each: more than the ring holds
v=/$(printf '%999s' '' | tr ' ' a)
i=0
while [ $i -lt 300 ]; do echo "$v" >$P/exec_whitelist; i=$((i + 1)); done
echo >$P/exec_whitelist
touch /tmp/go
wait $rp
first_seq=$(cat $S/first_seq)
ov=$(head -n 1 /tmp/overrun.out)
case "$ov" in
"seq=$((first_seq - 1)) ts="*" type=overrun missed=$first_seq first_missed=0")
	pass overrun-record ;;
*)	fail overrun-record "first_seq=$first_seq got: $ov" ;;
esac
expect_eq overrun-counter "$first_seq" "$(cat $S/overwritten)"
expect_eq overrun-continues "seq=$first_seq" "$(sed -n '2s/ .*//p' /tmp/overrun.out)"
expect_eq overrun-rest "$(( $(cat $S/next_seq) - first_seq + 1 ))" \
	"$(wc -l </tmp/overrun.out)"
expect_eq resume-overwritten "seq=$((first_seq - 1))" \
	"$($C -n -s 0 -c 1 | sed 's/ .*//')"
expect_eq seek-end-clamped "$first_seq" "$($C -s end-999999 tell)"
expect_eq seek-data "$first_seq" "$($C -s data tell)"
# seeking walks the ring in chunks (256 entries), dropping the lock between:
# small records, so that the ring holds more than 300
i=0
while [ $i -lt 1000 ]; do echo 0 >$P/klog; i=$((i + 1)); done
t=$(($(cat $S/first_seq) + 300))
expect_eq seek-far "seq=$t" "$($C -n -s $t -c 1 | sed 's/ .*//')"
# ... while writers overtake the walk: it lands on the record, or on an
# overrun record for it if writers evicted it meanwhile
(i=0; while [ $i -lt 1500 ]; do echo 0 >$P/klog; i=$((i + 1)); done) &
wp=$!
bad=""
n=0
while kill -0 $wp 2>/dev/null; do
	t=$(($(cat $S/first_seq) + 300))
	l=$($C -n -s $t -c 1)
	case "$l" in
	"seq=$t "*|*" type=overrun missed="*" first_missed=$t") ;;
	*) bad="$bad [$t: $l]" ;;
	esac
	n=$((n + 1))
done
wait $wp
expect_eq seek-concurrent "" "$bad"
echo "seek-concurrent: $n seeks"
rmmod activity_klog

# --- a buffer larger than the longest line gets as many whole lines as fit
insmod $KO $Q
i=0
while [ $i -lt 50 ]; do echo 0 >$P/klog; i=$((i + 1)); done
expect_eq read-one-per-64k 1 "$($C -n -b 65536 -c 1 | wc -l)"
$C -n -b 70000 -c 1 >/tmp/batch.out
nb=$(wc -l </tmp/batch.out)
check read-batch [ "$nb" -gt 1 ]
expect_eq read-batch-seqs "$(seq 0 $((nb - 1)) | tr '\n' ' ')" \
	"$(sed 's/^seq=\([0-9]*\) .*/\1/' /tmp/batch.out | tr '\n' ' ')"
check read-batch-whole sh -c "grep -vc '^seq=[0-9]* .* exec_id=[^ ]*\$' /tmp/batch.out | grep -qx 0"
# more than one buffer holds: batch after batch, every record once, in order
i=0
while [ $i -lt 250 ]; do echo 0 >$P/klog; i=$((i + 1)); done
$C -n -b 70000 >/tmp/batch.out
expect_eq read-batch-all "$(seq 0 $(($(cat $S/next_seq) - 1)) | tr '\n' ' ')" \
	"$(sed 's/^seq=\([0-9]*\) .*/\1/' /tmp/batch.out | tr '\n' ' ')"
rmmod activity_klog

# --- kernel-log copies of long records: cut at a field, never a WARNING
# (%.*s warns above 32767 bytes; printk keeps 1024 at most)
insmod $KO klog=1 netlog=0 exitlog=0
/tests/exectl as 1000 /tests/exectl big 40000 >/dev/null
rec=$($C -n | grep -F ' argv="/tests/exectl noop AAAA')
rmmod activity_klog
expect_eq klog-long-uid 1000 "$(fval uid "$rec")"
s=$(printf '%s\n' "$rec" | sed 's/^seq=\([0-9]*\) .*/\1/')
kl=$(dmesg | sed 's/^\[[^]]*\] //' |
	grep -F "activity_klog: seq=$s type=exec " |
	grep -F " argv_len=$(fval argv_len "$rec") " | tail -n 1)
body=${rec#* type=exec }
expect_eq klog-long-cut "activity_klog: seq=$s type=exec ${body%% argv=*} trunc=1" "$kl"
check klog-long-no-warning sh -c '! dmesg | grep -q "WARNING:"'

# --- a reader whose cursor sits where a padding entry was, then evicted
# Records never wrap: the space left at the ring's end gets a padding entry.
# A reader that read the last record before the end has its cursor there.
# Config records of exact sizes lay the ring out so that writers evict that
# pad but not the record after it: the reader must get that record next.
RS=131072
D=2048		# the pad: the space left at the end of a lap
W=$P/exec_whitelist
# wl_set LEN: a config record whose value is a path of LEN bytes. Written
# by this shell (a builtin), so the record's other fields keep their size.
wl_set() { printf '/%s' "$(printf "%$(($1 - 1))s" '' | tr ' ' a)" >$W; }
# rec SIZE: a record that takes SIZE bytes of the ring (a multiple of 8)
rec() { wl_set $((1000 + $1 - e0)); head=$((head + $1)); }
# fill_to OFF: records up to the logical offset OFF, within one lap
fill_to() {
	while [ $head -lt $1 ]; do
		r=$(($1 - head))
		if [ $r -le $emax ]; then
			rec $r
		elif [ $((r - emax)) -lt $emin ]; then
			rec $((r - emin))
		else
			rec $emax
		fi
	done
}
# pad_case NAME SHIFT: the record after the one that evicts the pad starts
# SHIFT bytes before where the pad was (0: a valid header lies there)
pad_case() {
	insmod $KO ring_size=128K $Q
	u0=$(cat $S/bytes_used)
	wl_set 1000
	head=$(cat $S/bytes_used)
	e0=$((head - u0))
	emin=$((e0 - 992)) emax=$((e0 + 2000))
	fill_to $((RS - D))
	expect_eq "$1-lap1" "0 $((RS - D))" \
		"$(cat $S/first_seq) $(cat $S/bytes_used)"
	rm -f /tmp/go /tmp/go.paused
	$C -n -P /tmp/go >/tmp/pad.out &
	rp=$!
	while [ ! -e /tmp/go.paused ]; do sleep 1; done
	k=$(cat $S/next_seq)
	head=$((head + D))
	rec 3000	# the pad, then record k at the start of lap 2
	fill_to $((2 * RS - D - $2))
	rec $((D / 2 + $2))	# evicts the pad, not record k
	expect_eq "$1-layout" "$k $((head - RS))" \
		"$(cat $S/first_seq) $(cat $S/bytes_used)"
	touch /tmp/go
	wait $rp
	ns=$(cat $S/next_seq)
	expect_eq "$1-seqs" "$(seq 0 $((ns - 1)) | tr '\n' ' ')" \
		"$(sed 's/^seq=\([0-9]*\) .*/\1/' /tmp/pad.out | tr '\n' ' ')"
	expect_eq "$1-no-overrun" 0 "$(grep -c type=overrun /tmp/pad.out)"
	# the reader had every evicted record: they count all the same
	expect_eq "$1-overwritten" "$k" "$(cat $S/overwritten)"
	expect_eq "$1-seek" "seq=$k" "$($C -n -s $k -c 1 | sed 's/ .*//')"
	rmmod activity_klog
}
pad_case evicted-pad 0
pad_case evicted-pad-shifted 512

# --- load and unload 20 times, every subsystem on; own id, seq from 0
ids=""
i=0
ok=1
while [ $i -lt 20 ]; do
	insmod $KO || { ok=0; break; }
	rec=$($C -n -c 1)
	case "$rec" in "seq=0 "*) ;; *) ok=0 ;; esac
	ids="$ids $(fval load "$rec")"
	rmmod activity_klog || { ok=0; break; }
	i=$((i + 1))
done
expect_eq load-unload-20 1 $ok
expect_eq load-ids-distinct 20 "$(echo $ids | tr ' ' '\n' | sort -u | wc -l)"

# --- parameters on the insmod command line: applied, and in the load record
N=/tests/netctl
insmod $KO execlog=0 klog=1 exec_argv_max=300 probes=0x8 \
	exec_whitelist=/bin/wl-x net_whitelist=/bin/wl-y
first=$($C -n -c 1)
expect_eq args-load-record "1 300 0x8 /bin/wl-x /bin/wl-y 0" \
	"$(for k in klog exec_argv_max probes exec_whitelist net_whitelist execlog; do
		fval $k "$first"; done | tr '\n' ' ' | sed 's/ $//')"
expect_eq args-read "1 300 0x8 /bin/wl-x /bin/wl-y 0" \
	"$(cat $P/klog $P/exec_argv_max $P/probes $P/exec_whitelist \
		$P/net_whitelist $P/execlog | tr '\n' ' ' | sed 's/ $//')"
m=$($C -s end tell)
$N udp4 connect 127.0.0.1 7400 close tcp4 connect 127.0.0.1 7401 close >/dev/null
expect_eq args-applied "udp_connect" \
	"$($C -n -s "$m" | sed -n 's/.* type=net event=\([a-z_]*\) .*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//')"
rmmod activity_klog

# --- a sysfs write that races insmod: either it came before init and init
# applied it (the load record shows it), or init was running and it is
# refused with EBUSY and a message; never stored without being applied.
# Rounds 1-2 write as soon as the file appears (before init, as a rule),
# rounds 3-5 once the load record is out (init running, as a rule, or
# done). Which case a round hits depends on timing; each is checked.
i=0
while [ $i -lt 5 ]; do
	i=$((i + 1))
	wr=""
	[ $i -gt 2 ] && wr="waitread /dev/secure_log"
	# shellcheck disable=SC2086
	$N $wr write $P/netlog 0 >/tmp/w.out &
	wp=$!
	insmod $KO execlog=0
	wait $wp
	w=$(grep WRITE /tmp/w.out)
	v=$(cat $P/netlog)
	first=$($C -n -c 1)
	m=$($C -s end tell)
	$N udp4 connect 127.0.0.1 7402 close >/dev/null
	nrec=$($C -n -s "$m" | grep -c ' type=net ')
	echo "insmod race round $i: $w, netlog=$v, load record netlog=$(fval netlog "$first"), $nrec net records"
	case "$w $v $(fval netlog "$first") $nrec" in
	"WRITE OK 0 0 0")
		pass "args-race[$i]" ;;
	"WRITE OK 0 1 0")
		# after init: applied and recorded as a change
		if $C -n | grep -q ' type=config event=set param=netlog value=0 '; then
			pass "args-race[$i]"
		else
			fail "args-race[$i]" "netlog=0 after init without a set record"
		fi ;;
	"WRITE EBUSY 1 1 "[1-9]*)
		if dmesg_has "netlog: the module is starting; parameters cannot change until it runs"; then
			pass "args-race[$i]"
		else
			fail "args-race[$i]" "EBUSY without its message"
		fi ;;
	*)	fail "args-race[$i]" "$w, netlog=$v, load record: $first, $nrec net records" ;;
	esac
	rmmod activity_klog
done

# --- reading a whitelist while the module unloads (its list is freed at
# unload): every read gives the list or, once freed, an empty line, and
# nothing crashes. A race: best effort, over several rounds.
big=$(i=0; while [ $i -lt 400 ]; do printf '/w/%05d,' $i; i=$((i + 1)); done)
big="$big/w/end"
i=0
bad=0
reads=0
while [ $i -lt 8 ]; do
	i=$((i + 1))
	insmod $KO $Q
	printf '%s' "$big" >$P/exec_whitelist
	cat $P/exec_whitelist >/tmp/wl.want
	$N readloop $P/exec_whitelist /tmp/wl.want >/tmp/rl1.out &
	r1=$!
	$N readloop $P/exec_whitelist /tmp/wl.want >/tmp/rl2.out &
	r2=$!
	sleep 1
	rmmod activity_klog
	wait $r1 $r2
	for f in /tmp/rl1.out /tmp/rl2.out; do
		reads=$((reads + $(sed -n 's/.* reads=\([0-9]*\).*/\1/p' $f)))
		bad=$((bad + $(sed -n 's/.* bad=\([0-9]*\).*/\1/p' $f)))
	done
done
echo "whitelist reads during unload: $reads reads, $bad bad"
expect_eq wl-read-unload-bad 0 "$bad"
if [ "$reads" -gt 0 ]; then pass wl-read-unload-ran; else fail wl-read-unload-ran "no reads"; fi

# --- per-user budget: while a reader is open, one user's flood cannot push
# another user's unread records out. uid 1000 floods (UDP and TCP connects
# in a loop) past a stalled reader; meanwhile uid 1001 runs 100 programs
# and connects once. All of 1001's records must be read, none overrun; the
# flood's excess is dropped and told by lost records naming uid 1000.
E=/tests/exectl
insmod $KO ring_size=256K exitlog=0
rm -f /tmp/go
$C -n -W /tmp/go >/tmp/budget.out &
rp=$!
sleep 1
$N -u 1000 loop 8 127.0.0.1 9 >/tmp/flood.out &
fp=$!
sleep 2
i=0
while [ $i -lt 100 ]; do
	$E as 1001 $E noop budget$i
	i=$((i + 1))
done
$N -u 1001 udp4 connect 127.0.0.9 5353 close >/dev/null
wait $fp
touch /tmp/go
wait $rp
if grep -q '^LOOPS [1-9]' /tmp/flood.out; then pass budget-flood-ran; else fail budget-flood-ran "$(cat /tmp/flood.out)"; fi
expect_eq budget-others-execs 100 \
	"$(grep ' type=exec ' /tmp/budget.out | grep ' uid=1001 ' | grep -c 'argv="/tests/exectl noop budget[0-9]*"')"
expect_eq budget-others-connect 1 \
	"$(grep ' event=udp_connect ' /tmp/budget.out | grep ' uid=1001 ' | grep -c ' raddr=127.0.0.9 rport=5353 ')"
expect_eq budget-no-overrun 0 "$(grep -c ' type=overrun ' /tmp/budget.out)"
check budget-lost-record grep -Eq ' type=lost lost=[1-9][0-9]* reason=user_budget uid=1000$' /tmp/budget.out
# A record stored now (a config record) first tells what is still untold:
# the lost records then add up to the counter.
$C set klog 0 >/dev/null
sum=$($C -n | sed -n 's/.* type=lost lost=\([0-9]*\) reason=user_budget uid=1000$/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
expect_eq budget-lost-sum "$(cat $S/over_budget)" "$sum"
if [ "$sum" -gt 0 ]; then pass budget-dropped; else fail budget-dropped "nothing dropped"; fi
# No reader open: nothing is charged, the ring turns over as before.
before=$(cat $S/over_budget)
$N -u 1000 loop 3 127.0.0.1 9 >/dev/null
expect_eq budget-no-reader "$before" "$(cat $S/over_budget)"
rmmod activity_klog
# A record larger than a quarter of the smallest ring (a 32 KiB command
# line in 128 KiB) is kept when its user has nothing else unread.
insmod $KO ring_size=128K exitlog=0 netlog=0
$C -n -W /tmp/go2 >/tmp/budget-big.out &
rp=$!
sleep 1
big=$(printf '%36000s' '' | tr ' ' b)
$E as 1000 $E noop "$big"
touch /tmp/go2
wait $rp
expect_eq budget-big-record 1 "$(grep ' type=exec ' /tmp/budget-big.out | grep ' uid=1000 ' | grep -c ' argv_trunc=1')"
rmmod activity_klog
