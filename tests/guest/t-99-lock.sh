# SPDX-License-Identifier: GPL-2.0-only
# lock=1 (like auditctl -e 2): parameters frozen and unloading refused
# until reboot, recording goes on. Runs last: it leaves the module loaded.
. /tests/lib.sh

E=/tests/exectl
C=/tests/slogctl
P=/sys/module/activity_klog/parameters

insmod /activity_klog.ko || fail load "insmod failed"
expect_eq lock-default 0 "$(cat $P/lock)"
# unlocked: a change applies
expect_eq unlocked-set OK "$($C set klog 0 | cut -d' ' -f1)"
$C set lock 1 >/dev/null
expect_eq lock-set 1 "$(cat $P/lock)"
check lock-record sh -c "$C -n | grep -q 'type=config event=set param=lock value=1 '"
# every parameter is refused, the old value kept, and the attempt recorded
for p in execlog netlog exitlog klog lock; do
	old=$(cat $P/$p)
	expect_eq "locked-$p" "ERRNO EPERM" "$($C set $p 0)"
	expect_eq "locked-$p-kept" "$old" "$(cat $P/$p)"
done
expect_eq locked-whitelist "ERRNO EPERM" "$($C set exec_whitelist /tests/exectl)"
expect_eq locked-probes "ERRNO EPERM" "$($C set probes 0)"
rec=$($C -n | grep ' type=config event=refused param=execlog ' | tail -n 1)
case "$rec" in
*" type=config event=refused param=execlog reason=locked pid="*" uid=0 "*' comm="slogctl" '*) pass locked-refusal-record ;;
*) fail locked-refusal-record "$rec" ;;
esac
check locked-message dmesg_has "execlog: parameters are locked (lock=1) until reboot"
# it cannot be unloaded, and still records
if rmmod activity_klog 2>/dev/null; then
	fail locked-unload "rmmod succeeded"
else
	pass locked-unload
fi
$E as 1000 $E noop locked1
check locked-still-logs sh -c "$C -n | grep -q 'argv=\"/tests/exectl noop locked1\"'"
check locked-no-splat sh -c "! dmesg | grep -E 'BUG:|WARNING:'"
