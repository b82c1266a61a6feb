#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Unit tests of aklctl on the host: a fake /sys/module/activity_klog and
# /etc/activity_klog in a temporary directory (AKL_* variables), a file of
# records as the device, or with FAKE_SO (fake_secure_log.c) a model of the
# device's file position. Usage: test_aklctl.sh [AKLCTL [FAKE_SO]]. Prints
# "@@RESULT pass|fail NAME [why]"; exits 1 if any failed.
set -u
A=$(realpath "${1:-./aklctl}")
FAKE_SO=${2:+$(realpath "$2")}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export AKL_MODULE_DIR=$T/mod AKL_STATS_DIR=$T/stats AKL_ETC_DIR=$T/etc AKL_DEVICE=$T/dev
nfail=0
pass() { echo "@@RESULT pass $1"; }
fail() { echo "@@RESULT fail $1 $(echo "${*:2}" | tr '\n' ' ' | head -c 400)"; nfail=$((nfail + 1)); }
# t NAME WANT_RC WANT_REGEX CMD...: runs CMD, checks its status and output.
t() {
	local name=$1 rc=$2 re=$3 out got
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" != "$rc" ]; then
		fail "$name" "exit $got, wanted $rc: $out"
	elif ! grep -qE -- "$re" <<<"$out"; then
		fail "$name" "output lacks /$re/: $out"
	else
		pass "$name"
	fi
}
param() { cat "$AKL_MODULE_DIR/parameters/$1"; }

# No module.
t aklctl-status-no-module 3 'not loaded' "$A" status
t aklctl-lock-no-module 3 'not loaded' "$A" lock
t aklctl-usage 2 'usage' "$A" frobnicate
t aklctl-tail-no-device 1 'cannot open .*module loaded' "$A" tail

mkdir -p "$T/mod/parameters" "$T/stats"
echo 1.0.0 >"$T/mod/version"
for p in exec_whitelist net_whitelist; do : >"$T/mod/parameters/$p"; done
echo 1 >"$T/mod/parameters/netlog"
echo 0x7f >"$T/mod/parameters/probes"
echo 12 >"$T/stats/next_seq"
echo 12 >"$T/stats/written"
t aklctl-status 0 'version 1\.0\.0' "$A" status
t aklctl-status-params 0 'probes +0x7f' "$A" status
t aklctl-status-counters 0 'next_seq +12' "$A" status
echo 0 >"$T/mod/parameters/lock"
t aklctl-lock 0 'locked' "$A" lock
[ "$(param lock)" = 1 ] && pass aklctl-lock-written || fail aklctl-lock-written "lock=$(param lock)"

# Whitelist files: no file -> parameter untouched.
echo keep >"$T/mod/parameters/exec_whitelist"
t aklctl-apply-no-files 0 'left as it is' "$A" whitelist exec apply
[ "$(param exec_whitelist)" = keep ] && pass aklctl-apply-no-files-kept ||
	fail aklctl-apply-no-files-kept "parameter now '$(param exec_whitelist)'"

mkdir -p "$T/etc/exec-whitelist.d" "$T/etc/net-whitelist.d"
printf '# comment\n\n  /usr/bin/tr  \n/usr/bin/grep|grep -q\n' >"$T/etc/exec-whitelist.d/10-base.conf"
printf '/bin/true\n' >"$T/etc/exec-whitelist.d/20-more.conf"
printf '/not.conf\n' >"$T/etc/exec-whitelist.d/ignored.txt"
t aklctl-exec-apply 0 '3 entries applied' "$A" whitelist exec apply
[ "$(param exec_whitelist)" = "$(printf '/usr/bin/tr\n/usr/bin/grep|grep -q\n/bin/true')" ] &&
	pass aklctl-exec-apply-value || fail aklctl-exec-apply-value "'$(param exec_whitelist)'"

# A bad entry: named with file and line, nothing written.
printf '/ok\nrelative/path\n/x|\n' >"$T/etc/exec-whitelist.d/30-bad.conf"
t aklctl-exec-bad-line 1 '30-bad\.conf:2: not an absolute path' "$A" whitelist exec apply
t aklctl-exec-bad-line3 1 '30-bad\.conf:3: argv prefix' "$A" whitelist exec apply
[ "$(param exec_whitelist | grep -c "")" = 3 ] && pass aklctl-exec-bad-kept ||
	fail aklctl-exec-bad-kept "parameter changed: '$(param exec_whitelist)'"
rm "$T/etc/exec-whitelist.d/30-bad.conf"

# Net entries, valid and not.
printf '/usr/sbin/ntpd|p123\n/usr/bin/curl|i<10.0.0.0/8>|p<443>\n/usr/bin/ssh|i2001:db8::/32\n' \
	>"$T/etc/net-whitelist.d/a.conf"
t aklctl-net-apply 0 '3 entries applied' "$A" whitelist net apply
for bad in '/x|p0' '/x|p65536' '/x|i10.0.0.1/33' '/x|i::1/129' '/x|q1' '/x|p1|p2' '/x|i<1.2.3.4' '/x|i1.2.3'; do
	echo "$bad" >"$T/etc/net-whitelist.d/b.conf"
	t "aklctl-net-bad-'$bad'" 1 'b\.conf:1: ' "$A" whitelist net apply
done
rm "$T/etc/net-whitelist.d/b.conf"
[ "$(param net_whitelist | grep -c "")" = 3 ] && pass aklctl-net-bad-kept || fail aklctl-net-bad-kept "$(param net_whitelist)"

# Over one write: a replacement then "+" appends, each at most 4095 bytes,
# cut between entries. The parameter is a pipe here, to see every write.
PW=$T/mod/parameters/exec_whitelist
for ((i = 0; i < 300; i++)); do echo "/usr/lib/some/long/path/number/$i"; done >"$T/etc/exec-whitelist.d/40-big.conf"
want=$("$A" whitelist exec list | grep -v '^#' | cut -f1)
mv "$PW" "$T/ewl.file" && mkfifo "$PW"
exec 4<>"$PW"
cat "$PW" >"$T/writes" 4>&- &
catpid=$!
t aklctl-exec-chunked 0 '303 entries applied' "$A" whitelist exec apply
exec 4>&-
wait $catpid
rm "$PW" && mv "$T/ewl.file" "$PW"
sizes=$(LC_ALL=C awk 'BEGIN { RS = "+" } { print length($0) + (NR > 1) }' "$T/writes" | tr '\n' ' ')
[ "$(wc -w <<<"$sizes")" -ge 3 ] && ! LC_ALL=C awk 'BEGIN { RS = "+" } length($0) + (NR > 1) > 4095 { e = 1 } END { exit !e }' "$T/writes" &&
	pass aklctl-exec-chunk-sizes || fail aklctl-exec-chunk-sizes "writes of $sizes bytes"
[ "$(head -c 1 "$T/writes")" = / ] && [ "$(tr '+' '\n' <"$T/writes")" = "$want" ] &&
	pass aklctl-exec-chunks-joined || fail aklctl-exec-chunks-joined "$(head -c 300 "$T/writes")"
# as udev runs it: quiet, the last write an append
t aklctl-apply-q-chunked 0 '^$' "$A" apply -q
[ "$(head -c 1 "$PW")" = + ] && pass aklctl-apply-q-last-append || fail aklctl-apply-q-last-append "$(head -c 80 "$PW")"
# the module counts a long list from its read: first entries, then how many more
printf '/a,/b,...(+301 more)\n' >"$PW"
t aklctl-list-long 0 'module: 303 entries in force' "$A" whitelist exec list
# an append refused: the file and lines named, the previous list put back
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
	echo /old/list >"$PW"
	inject() {
		env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -P "$PW" \
			-e trace=write -e inject=write:error=EINVAL:when=$1 "$A" whitelist exec apply
	}
	t aklctl-exec-append-refused 1 'refused the entries from .*40-big\.conf:[0-9]+ to .*40-big\.conf:[0-9]+ \(Invalid argument' inject 2
	t aklctl-exec-append-refused-msg 1 "the module's previous list is back" inject 2
	[ "$(param exec_whitelist)" = /old/list ] && pass aklctl-exec-append-refused-restored ||
		fail aklctl-exec-append-refused-restored "$(param exec_whitelist | head -c 80)"
	# the first write refused: the module changed nothing (a file here is
	# emptied by the open)
	t aklctl-exec-first-refused 1 'nothing applied, the module keeps its old list' inject 1
else
	echo "aklctl: no working strace: the refused-append tests are skipped"
fi
rm "$T/etc/exec-whitelist.d/40-big.conf"
# more than the module takes in all (1 MiB), or an entry longer than a write
long=$(printf '%0255d' 0)
for ((i = 0; i < 4090; i++)); do echo "/$long/$i"; done >"$T/etc/exec-whitelist.d/40-big.conf"
t aklctl-exec-too-big 1 'at most 1048576 in all; nothing applied' "$A" whitelist exec apply
printf '/%04000d|%0200d\n' 0 0 >"$T/etc/exec-whitelist.d/40-big.conf"
t aklctl-exec-entry-too-long 1 '40-big\.conf:1: longer than one write' "$A" whitelist exec apply
rm "$T/etc/exec-whitelist.d/40-big.conf"
"$A" whitelist exec apply >/dev/null

# add / remove / list / check.
t aklctl-add 0 'added to .*/local\.conf' "$A" whitelist exec add '/usr/bin/sort|sort -u'
grep -qxF '/usr/bin/sort|sort -u' "$T/etc/exec-whitelist.d/local.conf" && pass aklctl-add-file ||
	fail aklctl-add-file "$(cat "$T/etc/exec-whitelist.d/local.conf")"
param exec_whitelist | grep -qxF '/usr/bin/sort|sort -u' && pass aklctl-add-applied || fail aklctl-add-applied "$(param exec_whitelist)"
t aklctl-add-again 0 'already in .*local\.conf:1' "$A" whitelist exec add '/usr/bin/sort|sort -u'
t aklctl-add-bad 1 'not an absolute path' "$A" whitelist exec add 'sort'
t aklctl-list 0 '/usr/bin/grep\|grep -q.*10-base\.conf:4' "$A" whitelist exec list
t aklctl-check-hit 0 "hidden by '/usr/bin/grep\|grep -q' \(.*10-base\.conf:4\)" "$A" whitelist exec check /usr/bin/grep grep -q foo
t aklctl-check-miss 1 'logged' "$A" whitelist exec check /usr/bin/grep grep foo
# arguments compare whole, as in the module
t aklctl-check-arg-whole 1 'logged' "$A" whitelist exec check /usr/bin/grep grep -qv foo
t aklctl-check-arg-exact 0 'hidden by' "$A" whitelist exec check /usr/bin/grep grep -q
t aklctl-check-path 0 "hidden by '/usr/bin/tr'" "$A" whitelist exec check /usr/bin/tr tr a b
t aklctl-net-check-port 0 "hidden by '/usr/sbin/ntpd\|p123'" "$A" whitelist net check /usr/sbin/ntpd 192.0.2.1 123
t aklctl-net-check-port-miss 1 'logged' "$A" whitelist net check /usr/sbin/ntpd 192.0.2.1 124
t aklctl-net-check-cidr 0 "hidden by '/usr/bin/curl" "$A" whitelist net check /usr/bin/curl 10.200.3.4 443
t aklctl-net-check-mapped 0 "hidden by '/usr/bin/curl" "$A" whitelist net check /usr/bin/curl ::ffff:10.1.1.1 443
t aklctl-net-check-cidr-miss 1 'logged' "$A" whitelist net check /usr/bin/curl 11.0.0.1 443
t aklctl-net-check-v6 0 "hidden by '/usr/bin/ssh" "$A" whitelist net check /usr/bin/ssh 2001:db8:1::5 22
t aklctl-remove 0 'removed from .*10-base\.conf' "$A" whitelist exec remove /usr/bin/tr
! param exec_whitelist | grep -qxF /usr/bin/tr && grep -q '^# comment' "$T/etc/exec-whitelist.d/10-base.conf" &&
	pass aklctl-remove-applied || fail aklctl-remove-applied "$(param exec_whitelist)"
t aklctl-remove-absent 1 'in no file' "$A" whitelist exec remove /usr/bin/tr
# Module refuses (a write error): reported, exit 1.
chmod 0444 "$T/mod/parameters/exec_whitelist"
if [ "$(id -u)" != 0 ]; then
	t aklctl-apply-refused 1 'refused' "$A" whitelist exec apply
fi
chmod 0644 "$T/mod/parameters/exec_whitelist"

# tail: a file of records as the device.
L='seq=0 ts=1795616986.862986 load=b3497b23687134cf type=config event=load version=1.0.0 pid=1 uid=0 comm="insmod"'
E='seq=1 ts=1795617273.145795 load=b3497b23687134cf type=exec result=ok pid=160 uid=1000 exec_id=77 comm="ls" path="/bin/ls" argv="/bin/ls \"a b\" caf\xc3\xa9 \x01 \xff"'
N='seq=2 ts=1795617274.145795 load=b3497b23687134cf type=net event=tcp_connect pid=166 uid=1001 exe="/tests/netctl" proto=tcp family=inet laddr=127.0.0.1 lport=52032 raddr=127.0.0.1 rport=5001 result=ok'
printf '%s\n%s\n%s\n' "$L" "$E" "$N" >"$T/dev"
t aklctl-tail-all 0 '^seq=2 ' "$A" tail
[ "$("$A" tail | wc -l)" = 3 ] && pass aklctl-tail-count || fail aklctl-tail-count "$("$A" tail)"
[ "$("$A" tail --type exec)" = "$E" ] && pass aklctl-tail-type || fail aklctl-tail-type "$("$A" tail --type exec)"
[ "$("$A" tail --uid 1001)" = "$N" ] && pass aklctl-tail-uid || fail aklctl-tail-uid "$("$A" tail --uid 1001)"
[ "$("$A" tail --exec-id 77)" = "$E" ] && pass aklctl-tail-exec-id || fail aklctl-tail-exec-id "$("$A" tail --exec-id 77)"
[ -z "$("$A" tail --exec-id 7)" ] && pass aklctl-tail-exec-id-exact || fail aklctl-tail-exec-id-exact "matched 7"
json=$("$A" tail --type exec -o json)
want='{"seq":"1","ts":"1795617273.145795","load":"b3497b23687134cf","type":"exec","result":"ok","pid":"160","uid":"1000","exec_id":"77","comm":"ls","path":"/bin/ls","argv":"/bin/ls \"a b\" café \u0001 \u00ff"}'
[ "$json" = "$want" ] && pass aklctl-tail-json || fail aklctl-tail-json "$json"
if command -v python3 >/dev/null; then
	"$A" tail -o json | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' &&
		pass aklctl-tail-json-parses || fail aklctl-tail-json-parses "python json refused it"
fi
t aklctl-tail-compact-exec 0 '^2026-.*Z exec uid=1000 pid=160 ok /bin/ls "a b" café \? ' "$A" tail --type exec -o compact
t aklctl-tail-compact-net 0 'net/tcp_connect uid=1001 pid=166 /tests/netctl 127.0.0.1:52032 -> 127.0.0.1:5001 ok' "$A" tail --type net -o compact
t aklctl-tail-bad-o 2 'line\|json\|compact' "$A" tail -o xml
printf 'seq=3 bad"line\n' >>"$T/dev"
t aklctl-tail-malformed 0 'malformed record' "$A" tail

# tail on the device (a model of it): without -f, up to the newest record
# held when tail started, whatever is written meanwhile.
# fake [VAR=VALUE...] -- ARGS...: aklctl ARGS on the fake device; prints the
# seqs it printed (the first 1,000 in 10 s), "overrun" for an overrun record.
fake() {
	local vars=()
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	timeout 10 env ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$FAKE_SO" \
		FAKE_DEV="$T/fake" AKL_DEVICE="$T/fake" "${vars[@]}" "$A" "$@" | head -n 1000 |
		sed -n 's/^seq=\([0-9]*\) .*type=overrun.*/overrun/p; t; s/^seq=\([0-9]*\) .*/\1/p' | tr '\n' ' '
}
# tcheck NAME WANT FAKE-ARGS...
tcheck() {
	local name=$1 want=$2 got
	shift 2
	got=$(fake "$@")
	[ "$got" = "$want" ] && pass "$name" || fail "$name" "got '$got', want '$want'"
}
if [ -n "$FAKE_SO" ]; then
	: >"$T/fake"
	tcheck aklctl-tail-dev-n '17 18 19 ' FAKE_NEXT=20 -- tail -n 3
	# Written while tail reads: not printed (CI saw -n 3 print 4 lines).
	tcheck aklctl-tail-dev-n-writers '17 18 19 ' FAKE_NEXT=20 FAKE_ON_READ=2 -- tail -n 3
	tcheck aklctl-tail-dev-all-writers "$(seq -s ' ' 0 19) " FAKE_NEXT=20 FAKE_ON_READ=5 -- tail
	tcheck aklctl-tail-dev-n0 '' FAKE_NEXT=20 FAKE_ON_READ=2 -- tail -n 0
	tcheck aklctl-tail-dev-n-more "$(seq -s ' ' 0 19) " FAKE_NEXT=20 -- tail -n 100
	tcheck aklctl-tail-dev-empty '' -- tail -n 3
	# The ring wraps while tail starts: what it lost is told, not skipped.
	tcheck aklctl-tail-dev-wrap-at-start "overrun $(seq -s ' ' 10 29) " \
		FAKE_NEXT=20 FAKE_CAP=20 FAKE_ON_END=10 -- tail
	# ... and while it reads: the overrun record, then what is left of the
	# window; or the overrun record alone if the window is gone.
	tcheck aklctl-tail-dev-wrap-reading 'overrun 13 14 15 16 17 18 19 ' \
		FAKE_NEXT=20 FAKE_CAP=10 FAKE_ON_READ=3 -- tail -n 8
	tcheck aklctl-tail-dev-wrap-all 'overrun ' \
		FAKE_NEXT=20 FAKE_CAP=10 FAKE_ON_READ=10 -- tail -n 5
	# -f goes on with what comes.
	got=$(FAKE_ON_READ=1 timeout 2 env ASAN_OPTIONS=verify_asan_link_order=0 \
		LD_PRELOAD="$FAKE_SO" FAKE_DEV="$T/fake" AKL_DEVICE="$T/fake" \
		FAKE_NEXT=20 "$A" tail -f -n 2 | head -n 4 | cut -d' ' -f1 | tr '\n' ' ')
	[ "$got" = 'seq=18 seq=19 seq=20 seq=21 ' ] && pass aklctl-tail-dev-follow ||
		fail aklctl-tail-dev-follow "got '$got'"
fi

echo "aklctl unit tests: $nfail failed"
[ "$nfail" = 0 ]
