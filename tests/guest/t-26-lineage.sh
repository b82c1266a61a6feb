# SPDX-License-Identifier: GPL-2.0-only
# Process lineage: every record's exec_id joins it to the exec record of
# the program that caused it, and every exec record's parent_exec_id to the
# program it came from; exits are recorded; the processes running at load
# get an existing record each; what the executable is (inode, mode, owner,
# file capabilities). Acts as uid 1000.
. /tests/lib.sh

L=/tests/linctl
X=/tests/proctl
E=/tests/exectl
C=/tests/slogctl
P=/sys/module/activity_klog/parameters

# exec_rec ARGV: the successful exec record with exactly this command line
exec_rec() {
	$C -n | grep ' type=exec result=ok ' | grep -F " argv=\"$1\"" | tail -n 1
}
# id_of ARGV: its exec id
id_of() { fval exec_id "$(exec_rec "$1")"; }
# exit_rec PID: the exit records of PID
exit_rec() { $C -n | grep ' type=exit ' | grep " pid=$1 "; }
# wait_for N CMD...: until CMD prints N (or about 60 s)
wait_for() {
	_want=$1
	shift
	_i=0
	while [ "$("$@")" != "$_want" ] && [ $_i -lt 120 ]; do
		sleep 0.5
		_i=$((_i + 1))
	done
}

# --- 1000 processes that ran before the load: one existing record each
$E as 1000 $L sleepers 1000 600 >/tmp/sleepers
insmod /activity_klog.ko ring_size=16M || fail load "insmod failed"
$C -n | grep ' type=process event=existing ' >/tmp/existing
n=$(grep -c ' comm="sleeper" ' /tmp/existing)
expect_eq existing-all 1000 "$n"
expect_eq existing-ids-distinct 1000 "$(grep ' comm="sleeper" ' /tmp/existing |
	grep -oE ' exec_id=[^ ]+' | sort -u | wc -l)"
expect_eq existing-no-unknown 0 "$(grep -c ' exec_id=unknown' /tmp/existing)"
init_id=$(fval exec_id "$(grep ' pid=1 ' /tmp/existing)")
case "$init_id" in
[0-9a-f]*-[0-9]*) pass existing-init-id ;;
*) fail existing-init-id "'$init_id'" ;;
esac
# reparented to init: their parent's exec id is init's
expect_eq existing-parent 1000 "$(grep ' comm="sleeper" ' /tmp/existing |
	grep -c " parent_exec_id=$init_id ")"
first=$(head -n 1 /tmp/sleepers)
rec=$(grep " pid=$first " /tmp/existing)
case "$rec" in
*" type=process event=existing pid=$first ppid=1 "*" uid=1000 "*' comm="sleeper" '*' exe="/tests/linctl" argv_len=31 argv="/tests/linctl sleepers 1000 600"')
	pass existing-record ;;
*) fail existing-record "$rec" ;;
esac
# the shell running this test: its exec id is the parent of what it runs
sh_id=$(fval exec_id "$(grep " pid=$$ " /tmp/existing)")

# their exits: the same exec id, and how they ended
eid=$(fval exec_id "$rec")
kill $(cat /tmp/sleepers)
count_sleeper_exits() { $C -n | grep ' type=exit ' | grep -c ' comm="sleeper" '; }
wait_for 1000 count_sleeper_exits
expect_eq exit-existing-all 1000 "$(count_sleeper_exits)"
rec=$(exit_rec "$first")
expect_eq exit-existing-id "$eid" "$(fval exec_id "$rec")"
expect_eq exit-existing-signal "SIGTERM" "$(fval signal "$rec")"

# --- exec without fork, twice: each program's parent is the one it replaced
$E as 1000 $L exec $L connect 4201
x0=$(id_of "/tests/exectl as 1000 /tests/linctl exec /tests/linctl connect 4201")
x1=$(id_of "/tests/linctl exec /tests/linctl connect 4201")
x2rec=$(exec_rec "/tests/linctl connect 4201")
x2=$(fval exec_id "$x2rec")
expect_eq chain-shell "$sh_id" "$(fval parent_exec_id "$(exec_rec "/tests/exectl as 1000 /tests/linctl exec /tests/linctl connect 4201")")"
expect_eq chain-1 "$x0" "$(fval parent_exec_id "$(exec_rec "/tests/linctl exec /tests/linctl connect 4201")")"
expect_eq chain-2 "$x1" "$(fval parent_exec_id "$x2rec")"
[ "$x0" != "$x1" ] && [ "$x1" != "$x2" ] && pass chain-distinct ||
	fail chain-distinct "$x0 $x1 $x2"
net=$($C -n | grep ' event=udp_connect ' | grep ' rport=4201 ')
expect_eq chain-net-id "$x2" "$(fval exec_id "$net")"
pid=$(fval pid "$x2rec")
rec=$(exit_rec "$pid")
case "$rec" in
*" type=exit pid=$pid "*" uid=1000 "*" exec_id=$x2 "*'exe="/tests/linctl" exit_code=0 duration_ms='[0-9]*)
	pass exit-record ;;
*) fail exit-record "$rec" ;;
esac

# --- a forked child that does not exec carries its parent's exec id
child=$($E as 1000 $X fork-connect 4202)
net=$($C -n | grep ' event=udp_connect ' | grep ' rport=4202 ')
expect_eq fork-pid "$child" "$(fval pid "$net")"
expect_eq fork-exec-id "$(id_of "/tests/proctl fork-connect 4202")" "$(fval exec_id "$net")"

# --- a shell pipeline: each command's parent is the shell
$E as 1000 /bin/sh -c "$L noop 1 | $L noop 2"
shid=$(id_of '/bin/sh -c /tests/linctl\x20noop\x201\x20|\x20/tests/linctl\x20noop\x202')
expect_eq pipe-1 "$shid" "$(fval parent_exec_id "$(exec_rec "$L noop 1")")"
expect_eq pipe-2 "$shid" "$(fval parent_exec_id "$(exec_rec "$L noop 2")")"

# --- a thread execs: its process's program is the parent
$E as 1000 $L thread-exec $L connect 4204
trec=$(exec_rec "/tests/linctl thread-exec /tests/linctl connect 4204")
crec=$(exec_rec "/tests/linctl connect 4204")
expect_eq thread-exec-parent "$(fval exec_id "$trec")" "$(fval parent_exec_id "$crec")"
expect_eq thread-exec-pid "$(fval pid "$trec")" "$(fval pid "$crec")"

# --- a daemon that double-forks: its parent is gone, its lineage is not
g=$($E as 1000 $L daemon $L connect 4206)
drec=$(exec_rec "/tests/linctl connect 4206")
expect_eq daemon-pid "$g" "$(fval pid "$drec")"
expect_eq daemon-parent "$(id_of "/tests/linctl daemon /tests/linctl connect 4206")" \
	"$(fval parent_exec_id "$drec")"

# --- a setuid program: its ids, and what the file is
cp $L /tmp/linctl-suid
chmod 4755 /tmp/linctl-suid
$E as 1000 /tmp/linctl-suid noop suid
rec=$(exec_rec "/tmp/linctl-suid noop suid")
ino=$(stat -c %i /tmp/linctl-suid)
dev=$(stat -c %d /tmp/linctl-suid)
dev="$(((dev >> 8) & 0xfff)):$(((dev & 0xff) | ((dev >> 12) & 0xfff00)))"
case "$rec" in
*" uid=1000 gid=1000 euid=0 egid=1000 "*" suid=0 sgid=1000 fsuid=0 fsgid=1000 "*" exe=\"/tmp/linctl-suid\" exe_dev=$dev exe_ino=$ino exe_mode=0104755 exe_uid=0 exe_gid=0 cwd="*)
	pass exe-identity-suid ;;
*) fail exe-identity-suid "dev $dev ino $ino: $rec" ;;
esac
expect_eq exe-no-caps "" "$(fval exe_cap_p "$rec")"

# --- file capabilities
cp $L /tmp/linctl-cap
if ! err=$($L setcap /tmp/linctl-cap 2>&1) &&
	echo "$err" | grep -q 'not supported'; then
	# The debug kernels' tmpfs has no security xattrs (CONFIG_TMPFS_XATTR).
	echo "skip exe-caps: $err"
elif [ -z "$err" ]; then
	$E as 1000 /tmp/linctl-cap noop cap
	rec=$(exec_rec "/tmp/linctl-cap noop cap")
	case "$rec" in
	*' exe="/tmp/linctl-cap" '*" exe_mode=0100755 exe_uid=0 exe_gid=0 exe_cap_p=0x2000 exe_cap_i=0x0 exe_cap_e=1 cwd="*)
		pass exe-caps ;;
	*) fail exe-caps "$rec" ;;
	esac
else
	fail exe-caps "cannot set a file capability on /tmp: $err"
fi

# --- a #! script: the script's resolved path
printf '#!/bin/sh\n%s noop script\n' $L >/tmp/s.sh
chmod 755 /tmp/s.sh
(cd /tmp && $E as 1000 ./s.sh)
rec=$($C -n | grep ' type=exec result=ok ' | grep -F ' path="./s.sh" ' | tail -n 1)
expect_eq script-path '"/tmp/s.sh"' "$(fval script "$rec")"
expect_eq script-interp '"/bin/sh"' "$(fval interp "$rec")"
expect_eq script-parent "$(fval exec_id "$rec")" \
	"$(fval parent_exec_id "$(exec_rec "$L noop script")")"

# --- exit codes and signals; one record per process, whatever its threads
$E as 1000 $L exit 7
pid=$(fval pid "$(exec_rec "/tests/linctl exit 7")")
rec=$(exit_rec "$pid")
expect_eq exit-code 7 "$(fval exit_code "$rec")"
expect_eq exit-once 1 "$(exit_rec "$pid" | wc -l)"
$E as 1000 $L kill 15
rec=$(exit_rec "$(fval pid "$(exec_rec "/tests/linctl kill 15")")")
case "$rec" in
*" signal=SIGTERM core=0 duration_ms="*) pass exit-signal ;;
*) fail exit-signal "$rec" ;;
esac
echo 0 >$P/exitlog
$E as 1000 $L exit 3
expect_eq exitlog-off "" "$(exit_rec "$(fval pid "$(exec_rec "/tests/linctl exit 3")")")"
echo 1 >$P/exitlog

# --- a socket closed by its process's exit: its program is named
$E as 1000 $X exit-connected 4207
rec=$($C -n | grep 'event=udp_close' | grep 'rport=4207 ')
expect_eq exit-close-exe '"/tests/proctl"' "$(fval exe "$rec")"
expect_eq exit-close-id "$(id_of "/tests/proctl exit-connected 4207")" "$(fval exec_id "$rec")"

# --- a socket passed by SCM_RIGHTS and closed by the receiver: both named
out=$($E as 1000 $L scm 4208)
owner=$(echo "$out" | cut -d' ' -f2)
recv=$(echo "$out" | cut -d' ' -f4)
rec=$($C -n | grep 'event=tcp_close' | grep " pid=$recv " | grep 'rport=4208 ')
recv_id=$(fval exec_id "$($C -n | grep ' type=exec result=ok ' |
	grep -F ' argv="/tests/linctl scm-recv ' | tail -n 1)")
expect_eq scm-closer-id "$recv_id" "$(fval exec_id "$rec")"
expect_eq scm-owner-pid "$owner" "$(fval owner_pid "$rec")"
expect_eq scm-owner-id "$(id_of "/tests/linctl scm 4208")" "$(fval owner_exec_id "$rec")"

# --- pid reuse: the same pid, a new exec id
pid_max=$(cat /proc/sys/kernel/pid_max) # not read: procfs gives it one byte at a time
echo 1024 >/proc/sys/kernel/pid_max
out=$($E as 1000 $L pid-reuse $L)
echo "$pid_max" >/proc/sys/kernel/pid_max
expect_eq pid-max-restored "$pid_max" "$(cat /proc/sys/kernel/pid_max)"
rpid=${out%% *}
recs=$($C -n | grep ' type=exec result=ok ' | grep " pid=$rpid " |
	grep -F ' argv="/tests/linctl noop reuse"')
expect_eq pid-reuse-execs 2 "$(printf '%s\n' "$recs" | grep -c .)"
expect_eq pid-reuse-ids 2 "$(printf '%s\n' "$recs" | grep -oE ' exec_id=[^ ]+' | sort -u | wc -l)"

# --- the table full: counted, and records say exec_id=unknown
rmmod activity_klog
check table-size-einval sh -c '! insmod /activity_klog.ko proc_table_size=100'
check table-size-message dmesg_has "proc_table_size: 100 is not a power of two"
$E as 1000 $L sleepers 200 600 >/tmp/sleepers
insmod /activity_klog.ko proc_table_size=64 || fail load-small "insmod failed"
read -r untracked <$P/proc_untracked
[ "$untracked" -gt 0 ] && pass table-full-counted ||
	fail table-full-counted "proc_untracked=$untracked"
n=$($C -n | grep ' type=process event=existing ' | grep -c ' exec_id=unknown')
[ "$n" -gt 0 ] && pass table-full-unknown || fail table-full-unknown "none"
kill $(cat /tmp/sleepers)
rmmod activity_klog || fail unload "rmmod failed"
echo "tasks: $(ls -d /proc/[0-9]* | wc -l), zombies: $(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l), threads-max $(cat /proc/sys/kernel/threads-max), pid_max $(cat /proc/sys/kernel/pid_max)"
check no-splat sh -c "! dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|scheduling while atomic|sleeping function called'"
