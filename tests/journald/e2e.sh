#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest side of tests/journald-e2e, run at boot by akl-e2e.service in a
# Debian 12 systemd guest: akl-journald must forward every record exactly
# once across restarts, kill -9, an overrun and a module reload.
# Prints "@@RESULT pass|fail NAME ...", then powers off.
set -u
D=/root/akl
SVC=activity-klog-journald.service
export SYSTEMD_PAGER= SYSTEMD_COLORS=0

pass() { echo "@@RESULT pass $*"; }
fail() { echo "@@RESULT fail $1 $(echo "${*:2}" | tr '\n' ' ')"; }
prop() { systemctl show -p "$1" --value "$SVC"; }
# The service's own messages (stderr, identifier akl-journald).
svclog() { journalctl -q -o cat -t akl-journald --no-pager; }

# Conditions for wait_for (functions: wait_for runs them in this shell).
has_svclog() { svclog | grep -q "$1"; }
# (seq 0 is usually the load's config record, but an exec racing with the
# load can come first.)
has_seq0() {
	journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog AKL_SEQ=0 | grep -q 'seq=0 '
}
# The overrun record is in the journal: the forwarder has read past it.
has_overrun() {
	journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog AKL_TYPE=overrun |
		grep -q ' type=overrun '
}
restarted_since() { # NRESTARTS
	[ "$(prop NRestarts)" -gt "$1" ] && systemctl is-active -q "$SVC"
}

# wait_for SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
	local t=$(($1 * 4))
	shift
	while ! "$@" >/dev/null 2>&1; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.25
	done
}

execs() { # N: N execs, some with awkward arguments, one refused
	local i
	for ((i = 0; i < $1; i++)); do
		/bin/true "plain $i" "$(printf 'nl\nx')" 'q"uote' 'back\slash' "café" $'\t'
	done
	/tmp/noexec arg 2>/dev/null
}

loop_start() {
	rm -f /run/akl-stop
	(while [ ! -e /run/akl-stop ]; do /bin/true loop; done) &
	LOOP=$!
}
loop_stop() {
	touch /run/akl-stop
	wait "$LOOP"
}

jcheck() { "$D/jcheck" "$@"; }

echo "@@E2E start $(uname -r) $(systemctl --version | head -n 1)"
printf '#!/bin/sh\n' >/tmp/noexec
chmod 644 /tmp/noexec

# 1. Before the module: the service fails and is restarted, with a clear message.
if wait_for 20 has_svclog 'cannot open /dev/secure_log'; then
	pass journald-no-device "$(svclog | grep -m1 'cannot open')"
else
	fail journald-no-device "no 'cannot open' message: $(svclog | tail -n 3)"
fi

# 2. Load the module: the service starts within its 2 s restart delay.
insmod "$D/activity_klog.ko" ring_size=1M
if wait_for 30 has_seq0; then
	pass journald-starts-after-load "NRestarts=$(prop NRestarts)"
else
	fail journald-starts-after-load "no seq=0 in the journal"
	journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog AKL_SEQ=0 | head -c 300
	journalctl -q -o export SYSLOG_IDENTIFIER=activity_klog | grep -a -m 3 '^AKL_SEQ'
	svclog | tail -n 5
fi
execs 20
jcheck journald-initial -z -x

# 3. systemctl restart while execs keep running.
loop_start
sleep 3
pid1=$(prop MainPID)
systemctl restart "$SVC"
sleep 4
loop_stop
pid2=$(prop MainPID)
[ "$pid1" != "$pid2" ] || fail journald-restart "MainPID unchanged ($pid1)"
jcheck journald-restart
svclog | grep 'resuming' | tail -n 1

# 4. kill -9 while execs keep running: systemd restarts it.
n0=$(prop NRestarts)
loop_start
sleep 3
kill -9 "$(prop MainPID)"
wait_for 20 restarted_since "$n0"
sleep 3
loop_stop
n1=$(prop NRestarts)
if [ "$n1" -gt "$n0" ]; then
	pass journald-kill9-restarted "NRestarts $n0 -> $n1"
else
	fail journald-kill9-restarted "NRestarts stayed $n0"
fi
jcheck journald-kill9

# 5. SIGTERM (systemctl stop): a clean exit.
systemctl stop "$SVC"
res=$(prop Result) st=$(prop ExecMainStatus)
if [ "$res" = success ] && [ "$st" = 0 ]; then
	pass journald-sigterm "$(svclog | grep 'stopping on signal' | tail -n 1)"
else
	fail journald-sigterm "Result=$res ExecMainStatus=$st"
fi

# 6. Stopped while the ring wraps: the restart forwards an overrun record.
big=$(head -c 30000 /dev/zero | tr '\0' x)
for ((i = 0; i < 60; i++)); do /bin/true "$big"; done
echo "ring: first_seq=$(cat /sys/class/misc/secure_log/stats/first_seq) overwritten=$(cat /sys/class/misc/secure_log/stats/overwritten)"
systemctl start "$SVC"
# jcheck takes its snapshot of the ring once the forwarder has read the
# overrun record: a snapshot taken before could hold records that the ring
# evicted by the time the forwarder read (its own exec record's, say), and
# so the records the overrun record counts. The ring wraps on after that.
wait_for 30 has_overrun || fail journald-overrun-forwarded "no overrun record in the journal after 30 s"
for ((i = 0; i < 3; i++)); do /bin/true "$big"; done
jcheck journald-overrun -o
svclog | grep 'resuming' | tail -n 1

# 7. Module reload: the service starts at the new load's oldest record.
systemctl stop "$SVC"
rmmod activity_klog
systemctl start "$SVC"
sleep 3
insmod "$D/activity_klog.ko" ring_size=1M
if wait_for 30 has_svclog 'the module is now load'; then
	pass journald-reload-detected "$(svclog | grep 'the module is now load' | tail -n 1)"
else
	fail journald-reload-detected "$(svclog | tail -n 3)"
fi
execs 5
jcheck journald-reload -z

# Resident info: hardening score, message counts.
systemd-analyze security --no-pager "$SVC" 2>/dev/null | tail -n 1
echo "journal entries: $(journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog | wc -l)"
svclog | tail -n 20
echo "@@E2E done in $SECONDS s"
systemctl --no-block poweroff
