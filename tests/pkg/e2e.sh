#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest side of tests/pkg-e2e, run at boot by akl-pkg-e2e.service in a
# Debian 12 systemd guest where activity-klog-dkms is installed (DKMS built
# the module for 6.1 and 6.12) and whitelist files are in /etc/activity_klog/.
# akl.phase=boot1 (6.1, module not loaded at boot): install activity-klog,
# aklctl's verbs, kill -9, upgrade, journal-upload -> journal-remote, rsyslog.
# akl.phase=boot2 (6.12): loaded at boot with the whitelists, forwarder on
# the new load, purge. Prints "@@RESULT pass|fail NAME ...", then powers off.
set -u
D=/root/akl
SVC=activity-klog-journald.service
P=/sys/module/activity_klog/parameters
export SYSTEMD_PAGER= SYSTEMD_COLORS=0
phase=$(sed -n 's/.*akl\.phase=\([a-z0-9]*\).*/\1/p' /proc/cmdline)

pass() { echo "@@RESULT pass $*"; }
fail() { echo "@@RESULT fail $1 $(echo "${*:2}" | tr '\n' ' ' | head -c 600)"; }
# ok NAME WHY CMD...: pass if CMD succeeds.
ok() { local n=$1 w=$2; shift 2; if "$@"; then pass "$n"; else fail "$n" "$w"; fi; }
prop() { systemctl show -p "$1" --value "$SVC"; }
wait_for() { # SECONDS CMD...
	local t=$(($1 * 4))
	shift
	while ! "$@" >/dev/null 2>&1; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.25
	done
}
jcheck() { "$D/jcheck" "$@"; }
as_user() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
loaded() { [ -e /sys/module/activity_klog/parameters ]; }
cur_load() { aklctl tail -n 1 -o json | sed -n 's/.*"load":"\([0-9a-f]*\)".*/\1/p'; }
has_seq0() {
	journalctl -q -o cat SYSLOG_IDENTIFIER=activity_klog AKL_SEQ=0 "AKL_LOAD=$(cur_load)" | grep -q 'seq=0 '
}
# Exec records of uid 1000 (the ring) whose argv is exactly $1.
user_execs() { aklctl tail --type exec --uid 1000 -o json | grep -cF "\"argv\":\"$1\""; }

echo "@@PKG $phase start $(uname -r)"
# A heartbeat on the console: memory and the busiest processes.
(while sleep 20; do
	echo "@@HB $(awk '/MemAvailable/ {print $2 " kB available"}' /proc/meminfo) load $(cut -d' ' -f1-3 /proc/loadavg)"
	ps -eo pid,ppid,stat,etimes,wchan:20,args --sort=etimes | grep -v '@@HB\|ps -eo\|sleep 20' |
		head -n 8 | sed 's/^/@@HB /'
done) </dev/null &
HB=$!

if [ "$phase" = boot1 ]; then
	# 1. Install on a running system: loads, applies, forwards.
	ok pkg-not-loaded-before "module already loaded" eval '! loaded'
	out=$(dpkg -i "$D"/activity-klog_*.deb 2>&1)
	ok pkg-dpkg-install "$out" test $? = 0
	if wait_for 60 loaded && wait_for 60 has_seq0 && systemctl is-active -q "$SVC"; then
		pass pkg-install-starts-logging "records in the journal, $SVC $(prop ActiveState)"
	else
		fail pkg-install-starts-logging "loaded=$(loaded && echo y) $SVC=$(prop ActiveState) $(journalctl -q -o cat -t akl-journald | tail -n 3)"
	fi
	ok pkg-units-enabled "$(systemctl is-enabled activity-klog.service $SVC)" \
		systemctl is-enabled -q activity-klog.service "$SVC"
	nice=$(cut -d' ' -f19 "/proc/$(prop MainPID)/stat")
	ok pkg-forwarder-nice "nice $nice" test "$nice" = -10
	want=$(printf '/usr/bin/expr\n/usr/bin/seq|/usr/bin/seq 7')
	got=$(cat $P/exec_whitelist)
	ok pkg-whitelist-applied-at-load "exec_whitelist='$got'" test "$got" = "$want"
	got=$(cat $P/net_whitelist)
	ok pkg-net-whitelist-applied-at-load "net_whitelist='$got'" test "$got" = "/usr/bin/true|p9"
	as_user /usr/bin/expr 1 + 1 >/dev/null
	as_user /usr/bin/seq 7 >/dev/null
	as_user /usr/bin/seq 8 >/dev/null
	ok pkg-whitelist-hides "expr $(user_execs '/usr/bin/expr 1 + 1') seq7 $(user_execs '/usr/bin/seq 7') seq8 $(user_execs '/usr/bin/seq 8')" \
		test "$(user_execs '/usr/bin/expr 1 + 1')/$(user_execs '/usr/bin/seq 7')/$(user_execs '/usr/bin/seq 8')" = 0/0/1
	jcheck pkg-journal-after-install -z

	# 2. aklctl status.
	out=$(aklctl status 2>&1)
	rc=$?
	ok aklctl-guest-status "rc=$rc $out" eval '[ $rc = 0 ] && grep -q "version 1.0.0, kernel $(uname -r)" <<<"$out" &&
		grep -q "forwarder: $SVC active" <<<"$out" && grep -q "behind: [0-9]* records" <<<"$out" &&
		grep -qE "exec_whitelist +/usr/bin/expr,/usr/bin/seq" <<<"$out" && grep -qE "next_seq +[0-9]+" <<<"$out"'
	echo "$out" | tail -n 4

	# 3. aklctl whitelist: add, check, remove, bad files, live in the module.
	out=$(aklctl whitelist exec add /usr/bin/nproc 2>&1)
	ok aklctl-guest-add "$out" grep -qx /usr/bin/nproc $P/exec_whitelist
	as_user /usr/bin/nproc >/dev/null
	ok aklctl-guest-add-hides "$(user_execs /usr/bin/nproc) records" test "$(user_execs /usr/bin/nproc)" = 0
	out=$(aklctl whitelist exec check /usr/bin/nproc nproc)
	ok aklctl-guest-check "$out" grep -q "hidden by '/usr/bin/nproc' (/etc/activity_klog/exec-whitelist.d/local.conf:1)" <<<"$out"
	out=$(aklctl whitelist exec list)
	ok aklctl-guest-list "$out" eval 'grep -q "/usr/bin/seq|/usr/bin/seq 7.*50-test.conf:3" <<<"$out" && grep -q "module: 3 entries in force" <<<"$out"'
	out=$(aklctl whitelist net check /usr/bin/true 127.0.0.1 9)
	ok aklctl-guest-net-check "$out" grep -q "hidden by '/usr/bin/true|p9'" <<<"$out"
	out=$(aklctl whitelist exec remove /usr/bin/nproc 2>&1)
	as_user /usr/bin/nproc >/dev/null
	ok aklctl-guest-remove "$out; $(cat $P/exec_whitelist | tr '\n' ,) $(user_execs /usr/bin/nproc)" \
		eval '! grep -qx /usr/bin/nproc $P/exec_whitelist && [ "$(user_execs /usr/bin/nproc)" = 1 ]'
	before=$(cat $P/exec_whitelist)
	printf '/ok\nnot/absolute\n' >/etc/activity_klog/exec-whitelist.d/60-bad.conf
	out=$(aklctl apply 2>&1)
	rc=$?
	ok aklctl-guest-bad-file "rc=$rc $out" eval '[ $rc = 1 ] && grep -q "60-bad.conf:2: not an absolute path" <<<"$out" &&
		[ "$(cat $P/exec_whitelist)" = "$before" ]'
	rm /etc/activity_klog/exec-whitelist.d/60-bad.conf
	# A reload of the module applies the files again (udev rule).
	systemctl stop "$SVC"
	rmmod activity_klog
	modprobe activity_klog
	wait_for 20 grep -qx /usr/bin/expr $P/exec_whitelist
	ok pkg-whitelist-applied-at-reload "exec_whitelist='$(cat $P/exec_whitelist | tr '\n' ,)'" \
		test "$(cat $P/exec_whitelist)" = "$want"
	systemctl start "$SVC"

	# 4. aklctl tail.
	as_user /usr/bin/seq 8 >/dev/null
	out=$(aklctl tail --type exec --uid 1000 -o json)
	ok aklctl-guest-tail-json "$out" eval 'grep -q "\"argv\":\"/usr/bin/seq 8\"" <<<"$out" && ! grep -v "\"uid\":\"1000\"" <<<"$out" | grep -q .'
	n=$(aklctl tail -n 3 | wc -l)
	ok aklctl-guest-tail-n "$n lines" test "$n" = 3
	out=$(aklctl tail --type exec --uid 1000 -o compact | tail -n 1)
	ok aklctl-guest-tail-compact "$out" grep -qE 'Z exec uid=1000 pid=[0-9]+ ok /usr/bin/seq 8$' <<<"$out"
	wait_for 20 eval 'aklctl tail --journal --type exec --uid 1000 | grep -q "argv=\"/usr/bin/seq 8\""'
	out=$(aklctl tail --journal --type exec --uid 1000 -o json | tail -n 1)
	ok aklctl-guest-tail-journal "$out" grep -q '"argv":"/usr/bin/seq 8"' <<<"$out"
	timeout 15 aklctl tail -f --uid 1000 --type exec -o compact >/tmp/follow 2>&1 &
	fpid=$!
	sleep 2
	as_user /usr/bin/seq 9 >/dev/null
	wait_for 10 grep -q 'seq 9' /tmp/follow
	kill "$fpid" 2>/dev/null
	ok aklctl-guest-tail-follow "$(cat /tmp/follow)" grep -q '/usr/bin/seq 9$' /tmp/follow
	eid=$(aklctl tail --type exec -o json | grep -o '"exec_id":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
	if [ -n "$eid" ]; then
		out=$(aklctl tail --exec-id "$eid")
		ok aklctl-guest-tail-exec-id "$out" eval '[ -n "$out" ] && ! grep -v "exec_id=$eid " <<<"$out" | grep -q .'
	else
		out=$(aklctl tail --exec-id 1)
		ok aklctl-guest-tail-exec-id "records without exec_id= matched: $out" test -z "$out"
		echo "(no exec_id= in this module's records yet: --exec-id matched nothing, as it must)"
	fi
	out=$(aklctl status 2>&1)
	echo "$out" | grep -A3 '^forwarder'
	# Without -f, tail stops at the newest record held when it started:
	# records written meanwhile (a user's steady stream, or the exec of
	# the pipe's wc) do not lengthen -n N. Reading 300 records takes long
	# enough for some to come. A stream, not a flood: the journal keeps
	# the whole load for the upload checks below.
	# (exec: $! is then the stream's timeout(1), which passes the kill on)
	(exec setpriv --reuid 1000 --regid 1000 --clear-groups timeout 60 bash -c \
		'exec 9<> <(:); while :; do echo >/dev/udp/127.0.0.1/9; read -t 0.01 -u 9; done' \
		2>/dev/null) &
	flood=$!
	sleep 2
	dev= jnl=
	for i in 1 2 3; do
		n=$(timeout 30 aklctl tail -n 300 | wc -l)
		[ "$n" = 300 ] || dev="$dev $n"
		n=$(timeout 30 aklctl tail --journal -n 300 | wc -l)
		[ "$n" = 300 ] || jnl="$jnl $n"
	done
	kill "$flood"
	wait "$flood"
	ok aklctl-guest-tail-n-stream "lines of 3 tries not 300:$dev" test -z "$dev"
	ok aklctl-guest-tail-journal-n-stream "lines of 3 tries not 300:$jnl" test -z "$jnl"
	fseq=$(cat /sys/class/misc/secure_log/stats/next_seq)
	jseq() { aklctl tail --journal -n 1 -o json | sed -n 's/.*"seq":"\([0-9]*\)".*/\1/p'; }
	t=$SECONDS
	wait_for 120 eval '[ "$(jseq)" -ge $((fseq - 1)) ]'
	echo "forwarder: seq $fseq in the journal $((SECONDS - t)) s after the stream"

	# 5. kill -9 of the forwarder, then a package upgrade: no loss, no duplicate.
	n0=$(prop NRestarts)
	(for i in $(seq 200); do /bin/true "k9 $i"; done) &
	bg=$!
	sleep 1
	kill -9 "$(prop MainPID)"
	wait "$bg"
	wait_for 20 eval '[ "$(prop NRestarts)" -gt "$n0" ] && systemctl is-active -q "$SVC"'
	ok pkg-kill9-restarted "NRestarts $n0 -> $(prop NRestarts)" test "$(prop NRestarts)" -gt "$n0"
	jcheck pkg-journal-kill9 -z
	pid1=$(prop MainPID)
	(for i in $(seq 200); do /bin/true "up $i"; done) &
	bg=$!
	out=$(dpkg -i "$D"/activity-klog_*.deb 2>&1)
	rc=$?
	wait "$bg"
	wait_for 20 systemctl is-active -q "$SVC"
	ok pkg-upgrade-restarts "rc=$rc pid $pid1 -> $(prop MainPID) $out" eval '[ $rc = 0 ] && [ "$(prop MainPID)" != "$pid1" ]'
	jcheck pkg-journal-upgrade -z
	journalctl -q -o cat -t akl-journald | grep resuming | tail -n 2

	# 6. systemd-journal-upload -> systemd-journal-remote on 127.0.0.1.
	mkdir -p /var/lib/akl-remote
	systemd-run -q --unit=akl-jremote /lib/systemd/systemd-journal-remote \
		--listen-http=127.0.0.1:19532 --split-mode=none \
		--output=/var/lib/akl-remote/all.journal
	printf '[Upload]\nURL=http://127.0.0.1:19532\n' >/etc/systemd/journal-upload.conf
	sleep 1
	systemctl start systemd-journal-upload.service
	as_user /usr/bin/seq 10 >/dev/null
	JCHECK_JOURNAL=/var/lib/akl-remote/all.journal jcheck pkg-remote-upload -z
	systemctl stop systemd-journal-upload.service
	# systemd 252's uploader sends the entry at its saved cursor again when
	# it starts: that one entry (if it is a record) may arrive twice, no
	# other; a SIEM deduplicates on AKL_LOAD + AKL_SEQ.
	echo "uploader state: $(cat /var/lib/systemd/journal-upload/state 2>&1 | head -c 200)"
	cseq=$(journalctl --file=/var/lib/akl-remote/all.journal -q -n 1 -o export |
		awk '/^AKL_SEQ=/ { print substr($0, 9) }')
	echo "last entry the uploader sent: record seq ${cseq:-none (not a record)}"
	(for i in $(seq 100); do /bin/true "while the uploader is stopped $i"; done)
	systemctl start systemd-journal-upload.service
	(for i in $(seq 50); do /bin/true "after $i"; done)
	JCHECK_JOURNAL=/var/lib/akl-remote/all.journal jcheck pkg-remote-upload-restart -z ${cseq:+-d "$cseq"}
	n=$(journalctl --file=/var/lib/akl-remote/all.journal -q -o export SYSLOG_IDENTIFIER=activity_klog "AKL_SEQ=$cseq" "AKL_LOAD=$(cur_load)" 2>/dev/null | grep -c '^AKL_SEQ=')
	echo "record at the uploader's saved cursor (seq ${cseq:-none}) arrived $n times"
	ok pkg-remote-upload-state "$(systemctl status --no-pager systemd-journal-upload 2>&1 | tail -n 3)" \
		systemctl is-active -q systemd-journal-upload.service
	echo "== rsyslog"

	# 7. rsyslog: imjournal to a JSON file (packaging/rsyslog/60-activity-klog.conf).
	cp "$D/60-activity-klog.conf" /etc/rsyslog.d/
	# What "systemctl enable rsyslog" makes (syslog.socket starts syslog.service).
	ln -sf /lib/systemd/system/rsyslog.service /etc/systemd/system/syslog.service
	systemctl daemon-reload
	timeout 120 systemctl start rsyslog.service
	echo "rsyslog: $(systemctl is-active rsyslog.service)"
	as_user /usr/bin/seq 11 >/dev/null
	load=$(cur_load)
	# Every record of this load up to that exec's, once each, as JSON.
	upto=$(aklctl tail --type exec --uid 1000 -o json | grep -F '"argv":"/usr/bin/seq 11"' |
		sed -n 's/.*"seq":"\([0-9]*\)".*/\1/p' | tail -n 1)
	# (rsyslog's JSON writes "/" as "\/", which JSON allows.)
	rsyslog_has() { grep -qE '"AKL_ARGV": ?"\\?/usr\\?/bin\\?/seq 11"' /var/log/activity_klog.json; }
	wait_for 120 rsyslog_has
	seqs=$(grep -F "$load" /var/log/activity_klog.json | grep -oE '"AKL_SEQ": ?"[0-9]+"' | grep -oE '[0-9]+' | sort -n)
	dups=$(uniq -d <<<"$seqs" | head -n 3)
	nupto=$(awk -v u="${upto:-0}" '$1 <= u' <<<"$seqs" | sort -nu | wc -l)
	ok pkg-rsyslog-json "upto=$upto have=$nupto dups=$dups $(head -c 300 /var/log/activity_klog.json 2>&1)" \
		eval 'rsyslog_has && [ -n "$upto" ] && [ "$nupto" = $((upto + 1)) ] && [ -z "$dups" ]'
	grep -E '"AKL_ARGV": ?"\\?/usr\\?/bin\\?/seq 11"' /var/log/activity_klog.json | head -n 1 | cut -c1-600
	timeout 120 systemctl stop rsyslog.service systemd-journal-upload.service akl-jremote.service
	kill "$HB"
	echo "@@PKG boot1 done in $SECONDS s"
	systemctl --no-block poweroff
	exit 0
fi

if [ "$phase" = boot2 ]; then
	# 8. The next boot, on another kernel: DKMS's module, loaded at boot,
	# the whitelist files applied, the forwarder on the new load.
	ok pkg-boot-loaded "not loaded on $(uname -r)" loaded
	ok pkg-boot-dkms-module "$(modinfo -n activity_klog)" eval 'modinfo -n activity_klog | grep -q "/lib/modules/$(uname -r)/updates/dkms/"'
	want=$(printf '/usr/bin/expr\n/usr/bin/seq|/usr/bin/seq 7')
	wait_for 20 test "$(cat $P/exec_whitelist)" = "$want"
	ok pkg-boot-whitelist-applied "exec_whitelist='$(cat $P/exec_whitelist | tr '\n' ,)'" test "$(cat $P/exec_whitelist)" = "$want"
	as_user /usr/bin/expr 2 + 2 >/dev/null
	as_user /usr/bin/seq 8 >/dev/null
	ok pkg-boot-whitelist-hides "expr $(user_execs '/usr/bin/expr 2 + 2') seq8 $(user_execs '/usr/bin/seq 8')" \
		test "$(user_execs '/usr/bin/expr 2 + 2')/$(user_execs '/usr/bin/seq 8')" = 0/1
	wait_for 60 has_seq0
	jcheck pkg-boot-journal -z

	# 9. Remove stops the forwarder; purge removes every file and DKMS's tree.
	out=$(apt-get -y remove activity-klog 2>&1)
	ok pkg-remove-stops "$(prop ActiveState) $(prop LoadState) $out" eval '! systemctl is-active -q "$SVC"'
	out=$(apt-get -y purge activity-klog activity-klog-dkms 2>&1)
	rc=$?
	left=$(ls -d /lib/modules/*/updates/dkms/activity_klog.ko* /usr/src/activity_klog-* \
		/var/lib/dkms/activity_klog /etc/modprobe.d/activity_klog.conf \
		/usr/lib/modules-load.d/activity_klog.conf /usr/sbin/aklctl /usr/sbin/akl-journald \
		/lib/udev/rules.d/60-activity-klog.rules /lib/systemd/system/activity-klog* \
		/etc/systemd/system/*/activity-klog* /var/lib/systemd/deb-systemd-helper-enabled/*activity-klog* \
		/var/lib/systemd/deb-systemd-helper-enabled/*/activity-klog* 2>/dev/null)
	# The admin's own whitelist files stay (dpkg does not own them); ours go.
	ok pkg-purge-clean "rc=$rc left: $left $(tail -n 3 <<<"$out")" eval '[ $rc = 0 ] && [ -z "$left" ] &&
		[ -z "$(dkms status -m activity_klog)" ] && ! dpkg -l activity-klog activity-klog-dkms 2>/dev/null | grep -q "^[ir]"'
	kill "$HB"
	echo "@@PKG boot2 done in $SECONDS s"
	systemctl --no-block poweroff
	exit 0
fi
echo "@@PKG no phase on the command line"
systemctl --no-block poweroff
