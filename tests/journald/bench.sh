#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest side of tests/bench-journald (make bench-journald; a benchmark, it
# asserts nothing): how fast akl-journald forwards records into journald,
# in the Debian 12 systemd guest of tests/journald-e2e, with the journal on
# disk as on a server (Storage=persistent).
# - drain: the service stopped, a one-user UDP flood (uid 1000, 2
#   processes) fills the ring, then the service starts: records/s from
#   its start until the journal holds the flood's last record (of the
#   records the ring still held), and the CPU time akl-journald and
#   systemd-journald spent per 1000 records.
# - live: the service running, the same flood: records kept (made and
#   not dropped over the user's budget) and forwarded per second, how far the journal was behind when the flood ended, and
#   what the ring lost (overrun records the forwarder got, records over a
#   user's budget).
# Prints "@@BENCH-JOURNALD ..." lines, then "@@E2E done" and powers off.
set -u
D=/root/akl
SVC=activity-klog-journald.service
S=/sys/class/misc/secure_log/stats
export SYSTEMD_PAGER='' SYSTEMD_COLORS=0

# ROUNDS and FLOOD_SECONDS, from tests/bench-journald.
. "$D/e2e.env"
ROUNDS=${ROUNDS:-3}
FLOOD_S=${FLOOD_SECONDS:-3}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The journal's newest record of this load: its AKL_SEQ, or -1.
journal_seq() {
	local s
	s=$(journalctl -q -n 1 -o export SYSLOG_IDENTIFIER=activity_klog |
		sed -n 's/^AKL_SEQ=//p')
	echo "${s:--1}"
}
# CPU time (utime + stime, ms) of the process named $1 (0, and an error
# line, if there is none).
cpu_ms() {
	local pid
	if ! pid=$(pidof -s "$1"); then
		echo "@@BENCH-JOURNALD error no process $1: its CPU time counts as 0" >&2
		echo 0
		return
	fi
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$pid/stat"
}
# wait_seq SEQ: until the journal holds record SEQ (at most 600 s).
wait_seq() {
	local end=$(($(now_ms) + 600000))
	while [ "$(journal_seq)" -lt "$1" ]; do
		[ "$(now_ms)" -lt $end ] || return 1
		sleep 0.25
	done
}
# Overrun and lost records the journal holds from seq $1 on.
losses() {
	journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog |
		awk -v from="$1" '{ s = $1; sub(/^seq=/, "", s) }
			s + 0 >= from && / type=overrun / { o++ }
			s + 0 >= from && / type=lost / { l++ }
			END { printf "overrun_records=%d lost_records=%d", o, l }'
}

echo "@@E2E start $(uname -r) $(systemctl --version | head -n 1)"
mkdir -p /etc/systemd/journald.conf.d /var/log/journal
printf '[Journal]\nStorage=persistent\nSystemMaxUse=700M\n' \
	>/etc/systemd/journald.conf.d/akl-bench.conf
systemctl restart systemd-journald
if ! insmod "$D/activity_klog.ko" || ! wait_seq 0; then
	echo "@@BENCH-JOURNALD error the module did not load, or no record reached the journal"
	echo "@@E2E done"
	systemctl poweroff
	exit 1
fi
echo "@@BENCH-JOURNALD machine nproc=$(nproc) ring=$(cat $S/ring_size) flood_seconds=$FLOOD_S rounds=$ROUNDS"

for r in $(seq 1 "$ROUNDS"); do
	# Drain: what the ring holds, forwarded from a standing start.
	systemctl stop "$SVC"
	n0=$(cat $S/next_seq)
	"$D/benchctl" flood "$FLOOD_S" 2 1000 >/dev/null
	n1=$(cat $S/next_seq)
	# What the ring still holds of it (the flood outruns a 4 MiB ring).
	f=$(cat $S/first_seq)
	[ "$f" -le "$n0" ] || n0=$f
	a0=$(cpu_ms systemd-journald)
	t0=$(now_ms)
	systemctl start "$SVC"
	wait_seq $((n1 - 1)) || echo "@@BENCH-JOURNALD error drain: record $((n1 - 1)) not in the journal after 600 s"
	t1=$(now_ms)
	jcpu=$(($(cpu_ms systemd-journald) - a0))
	fcpu=$(cpu_ms akl-journald)
	n=$((n1 - n0))
	echo "@@BENCH-JOURNALD drain round=$r records=$n ms=$((t1 - t0)) per_s=$((n * 1000 / (t1 - t0 + 1))) akl_journald_cpu_ms_per_1000=$((fcpu * 1000 / (n + 1))) journald_cpu_ms_per_1000=$((jcpu * 1000 / (n + 1)))"

	# Live: the flood with the forwarder running.
	sleep 2
	n0=$(cat $S/next_seq)
	b0=$(cat $S/over_budget)
	t0=$(now_ms)
	"$D/benchctl" flood "$FLOOD_S" 2 1000 >/dev/null
	t1=$(now_ms)
	n1=$(cat $S/next_seq)
	behind=$((n1 - 1 - $(journal_seq)))
	wait_seq $((n1 - 1)) || echo "@@BENCH-JOURNALD error live: record $((n1 - 1)) not in the journal after 600 s"
	t2=$(now_ms)
	n=$((n1 - n0))
	echo "@@BENCH-JOURNALD live round=$r records=$n kept_per_s=$((n * 1000 / (t1 - t0 + 1))) behind_at_end=$behind catch_up_ms=$((t2 - t1)) forwarded_per_s=$((n * 1000 / (t2 - t0 + 1))) over_budget=$(($(cat $S/over_budget) - b0)) $(losses "$n0")"
done
echo "@@BENCH-JOURNALD journal $(journalctl --disk-usage 2>&1)"
echo "@@E2E done"
systemctl poweroff
