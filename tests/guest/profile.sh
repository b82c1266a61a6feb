# SPDX-License-Identifier: GPL-2.0-only
# Where the time goes (make profile; not a test). Run by /init with
# akl.run=profile; tests/profile samples the vCPUs' instruction pointers
# from QEMU's monitor between @@PROFILE-START and @@PROFILE-END.
# Cmdline: akl.pcfg (none, on, norder, wl, off: as in bench.sh), akl.loop
# (a benchctl loop: udp, tcp, sendto, exec, execfail), akl.seconds (20),
# akl.runs (0; N: N runs of the loop, 2000 iterations each, instead of
# akl.seconds: the same work in every configuration).
P=/sys/module/activity_klog/parameters
B=/tests/benchctl

arg() {
	for w in $(cat /proc/cmdline); do
		case $w in "akl.$1="*) echo "${w#*=}"; return ;; esac
	done
	echo "$2"
}
CFG=$(arg pcfg on)
LOOP=$(arg loop udp)
SECONDS_=$(arg seconds 20)
RUNS=$(arg runs 0)

if [ "$CFG" != none ]; then
	insmod /activity_klog.ko || echo "@@PROFILE-ERROR insmod failed"
fi
case $CFG in
on) dd if=/dev/secure_log of=/tmp/reader.log bs=256k 2>/dev/null & ;;
wl)
	echo 1 >$P/exec_whitelist_root
	echo /tests/benchctl >$P/exec_whitelist
	echo /tests/benchctl >$P/net_whitelist
	;;
off) for p in execlog netlog exitlog; do echo 0 >$P/$p; done ;;
esac
# The symbols, module's included, to the host through the second port.
echo 0 >/proc/sys/kernel/kptr_restrict
grep -i ' t ' /proc/kallsyms >/dev/ttyS1
echo "@@PROFILE-SYMS $(grep -ic ' t ' /proc/kallsyms)"
sleep 1
echo "@@PROFILE-START cfg=$CFG loop=$LOOP"
# INSNS=1: the host snapshots the instruction counters now and at the end.
sleep 2
end=$(($(date +%s) + SECONDS_))
n=0
while if [ "$RUNS" -gt 0 ]; then [ $n -lt "$RUNS" ]; else [ "$(date +%s)" -lt $end ]; fi; do
	$B "$LOOP" 2000 >/dev/null
	n=$((n + 1))
done
echo "@@PROFILE-END runs=$n"
sleep 2
[ -f /sys/class/misc/secure_log/stats/written ] &&
	echo "@@PROFILE-REC written=$(cat /sys/class/misc/secure_log/stats/written)"
