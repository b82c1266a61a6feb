# SPDX-License-Identifier: GPL-2.0-only
# The benchmark, run by /init with akl.run=bench: the same loops under four
# configurations in one boot, the order rotated each round. Prints
# "@@BENCH round config workload microseconds" lines; tests/bench sums up.
P=/sys/module/activity_klog/parameters
B=/tests/benchctl
ROUNDS=$(sed -n 's/.*akl.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
N=$(sed -n 's/.*akl.n=\([0-9]*\).*/\1/p' /proc/cmdline)
ROUNDS=${ROUNDS:-5}
N=${N:-500}

set_config() {
	case $1 in
	none) rmmod activity_klog 2>/dev/null ;;
	off | on | wl)
		[ -d /sys/module/activity_klog ] || insmod /activity_klog.ko ring_size=64M
		v=0
		[ "$1" = off ] || v=1
		echo $v >$P/execlog
		echo $v >$P/netlog
		# wl: hooks on, but the loops' program is whitelisted: what the
		# hooks, the path lookup and the whitelist cost without a record.
		w=
		[ "$1" = wl ] && w=/tests/benchctl
		echo 1 >$P/exec_whitelist_root
		echo "$w" >$P/exec_whitelist
		echo "$w" >$P/net_whitelist
		;;
	esac
}

r=1
while [ $r -le "$ROUNDS" ]; do
	case $((r % 4)) in
	0) order="none off on wl" ;;
	1) order="off on wl none" ;;
	2) order="on wl none off" ;;
	3) order="wl none off on" ;;
	esac
	for c in $order; do
		set_config $c
		sleep 2 # let the guest settle
		for w in exec tcp udp; do
			echo "@@BENCH $r $c $w $($B $w "$N")"
		done
		# Heavier execs: a tenth as many
		for w in exec32k execfail; do
			echo "@@BENCH $r $c $w $($B $w $((N / 10)))"
		done
	done
	r=$((r + 1))
done
if [ -d /sys/module/activity_klog ]; then
	echo "@@BENCH-STATS $(cat /sys/class/misc/secure_log/stats/lost) lost, $(cat /sys/class/misc/secure_log/stats/written) written"
	rmmod activity_klog
fi
