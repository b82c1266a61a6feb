# SPDX-License-Identifier: GPL-2.0-only
# execlog: the record of each exec, field by field; failures; whitelist.
. /tests/lib.sh

E=/tests/exectl
C=/tests/slogctl
P=/sys/module/activity_klog/parameters
S=/sys/class/misc/secure_log/stats

insmod /activity_klog.ko ring_size=16M || fail load "insmod failed"

# exec_rec TEXT: the one exec record whose line contains TEXT
exec_rec() {
	$C -n | grep ' type=exec ' | grep -F -- "$1"
}

# one_rec NAME TEXT: exactly one exec record contains TEXT; sets $rec
one_rec() {
	rec=$(exec_rec "$2")
	n=$(printf '%s' "$rec" | grep -c .)
	expect_eq "$1-one-record" 1 "$n"
}

# has NAME FIELD=VALUE...: $rec has each field with exactly that value
has() {
	_name=$1
	shift
	for _f in "$@"; do
		_k=${_f%%=*}
		_got=$(fval "$_k" "$rec")
		if [ "$_got" != "${_f#*=}" ]; then
			fail "$_name" "$_k: expected ${_f#*=}, got $_got in: $rec"
			return
		fi
	done
	pass "$_name"
}

host_pidns=$(readlink /proc/self/ns/pid | tr -dc 0-9)
host_mntns=$(readlink /proc/self/ns/mnt | tr -dc 0-9)

# --- a plain exec by an unprivileged user, every field
$E as 1000 $E noop plain1
one_rec plain 'argv="/tests/exectl noop plain1"'
has plain-fields result=ok uid=1000 gid=1000 euid=1000 egid=1000 \
	path='"/tests/exectl"' exe='"/tests/exectl"' cwd='"/"' argc=3 \
	argv_len=25 comm='"exectl"' tty=none pidns="$host_pidns" \
	mntns="$host_mntns" auid=4294967295
case "$rec" in
*" type=exec result=ok pid="*) pass plain-order ;;
*) fail plain-order "$rec" ;;
esac

# --- as root
$E noop root1
one_rec root 'argv="/tests/exectl noop root1"'
has root-fields uid=0 euid=0 argc=3

# --- hostile arguments: escaped, no forged field or line
$E weird
one_rec weird 'noop a\x20b'
has weird-argv argc=11 \
	argv='"/tests/exectl noop a\x20b \"q\" x=y line\x0abreak tab\x09 \xff\xfe  back\\slash end"'
expect_eq weird-no-stray-lines 0 "$($C -n | grep -vc '^seq=')"

# --- a 200 KiB command line (5 arguments): truncated, flagged, real length
$E big 204800
one_rec big 'argv="/tests/exectl noop AAAA'
has big-fields argc=7 argv_len=204823 argv_trunc=1
expect_eq big-argv-kept 32749 "$(fval argv "$rec" | tr -cd A | wc -c)"

# --- setuid binary: euid differs from uid
cp $E /suid-exectl
chmod 4755 /suid-exectl
$E as 1000 /suid-exectl noop suid1
one_rec suid 'argv="/suid-exectl noop suid1"'
has suid-fields uid=1000 euid=0 path='"/suid-exectl"' exe='"/suid-exectl"'

# --- symlink: path as asked, exe resolved
ln -sf $E /tmp/exectl-link
$E exec /tmp/exectl-link noop link1
one_rec link 'argv="/tmp/exectl-link noop link1"'
has link-fields path='"/tmp/exectl-link"' exe='"/tests/exectl"'

# --- #! script: the script and its interpreter, one record
printf '#!/bin/sh\ntrue\n' >/tmp/script.sh
chmod 755 /tmp/script.sh
$E exec /tmp/script.sh sarg
one_rec script 'path="/tmp/script.sh"'
has script-fields interp='"/bin/sh"' exe='"/bin/busybox"' \
	argv='"/bin/sh /tmp/script.sh sarg"'

# --- fexecve and execveat
$E fexecve
one_rec fexecve 'noop fexecve"'
has fexecve-fields exe='"/tests/exectl"' argv='"exectl-fd noop fexecve"'
case "$(fval path "$rec")" in
'"/dev/fd/'*) pass fexecve-path ;;
*) fail fexecve-path "$rec" ;;
esac
$E execveat
one_rec execveat 'noop execveat"'
has execveat-fields exe='"/tests/exectl"'
case "$(fval path "$rec")" in
'"/dev/fd/'*'/exectl"') pass execveat-path ;;
*) fail execveat-path "$rec" ;;
esac

# --- new pid and mount namespaces
unshare -p -m -f $E noop ns1
one_rec ns 'argv="/tests/exectl noop ns1"'
pidns=$(fval pidns "$rec")
mntns=$(fval mntns "$rec")
if [ -n "$pidns" ] && [ "$pidns" != "$host_pidns" ] &&
	[ -n "$mntns" ] && [ "$mntns" != "$host_mntns" ]; then
	pass ns-ids
else
	fail ns-ids "host $host_pidns/$host_mntns: $rec"
fi

# --- a controlling pty
$E pty $E noop pty1
one_rec pty 'argv="/tests/exectl noop pty1"'
case "$(fval tty "$rec")" in
pts[0-9]*) pass pty-tty ;;
*) fail pty-tty "$rec" ;;
esac

# --- failed execs: EACCES and ENOEXEC logged with errno, ENOENT not
printf 'data' >/tmp/noexec
chmod 644 /tmp/noexec
$E as 1000 $E exec /tmp/noexec d1 >/dev/null
one_rec eacces 'path="/tmp/noexec"'
has eacces-fields result=EACCES errno=13 uid=1000 argc=2 \
	argv='"/tmp/noexec d1"' cwd='"/"' args_read=after
printf '\001\002garbage' >/tmp/garbage
chmod 755 /tmp/garbage
$E exec /tmp/garbage g1 >/dev/null
one_rec enoexec 'path="/tmp/garbage"'
has enoexec-fields result=ENOEXEC errno=8 argv='"/tmp/garbage g1"'
$E exec /nonexistent >/dev/null
expect_eq enoent-not-logged "" "$(exec_rec 'path="/nonexistent"')"
# every other failure, whatever its errno, as a user
ln -s /tmp/loop1 /tmp/loop2
ln -s /tmp/loop2 /tmp/loop1
$E as 1000 $E exec /tmp/loop1 l1 >/dev/null
one_rec eloop 'path="/tmp/loop1"'
has eloop-fields result=ELOOP errno=40 uid=1000 argv='"/tmp/loop1 l1"'
$E as 1000 $E exec /tmp/noexec/sub n1 >/dev/null
one_rec enotdir 'path="/tmp/noexec/sub"'
has enotdir-fields result=ENOTDIR errno=20 uid=1000
$E as 1000 /tests/linctl e2big /tests/exectl
rec=$(exec_rec 'result=E2BIG' | grep ' comm="linctl" ')
expect_eq e2big-one-record 1 "$(printf '%s' "$rec" | grep -c .)"
has e2big-fields errno=7 uid=1000 path='"/tests/exectl"' argc=2
cp $E /tmp/busy
chmod 777 /tmp/busy
out=$($E as 1000 /tests/linctl etxtbsy /tmp/busy)
if [ "$out" = ETXTBSY ]; then
	one_rec etxtbsy 'path="/tmp/busy"'
	has etxtbsy-fields result=ETXTBSY errno=26 uid=1000
else
	# from 6.11 to 6.11.x, a file open for writing could be executed
	echo "skip etxtbsy: the exec gave '$out'"
fi
echo 1 >$P/exec_log_enoent
$E exec /nonexistent2 >/dev/null
one_rec enoent-opt 'path="/nonexistent2"'
has enoent-opt-fields result=ENOENT errno=2
echo 0 >$P/exec_log_enoent

# --- a failed exec's argv array, laid out across pages and up to a page
# that faults: each argument read once, whole; a fault is marked
for m in span strfault ptrfault same jump cross; do
	cp /tmp/noexec /tmp/noexec-$m
	$E as 1000 $E failargs $m /tmp/noexec-$m >/dev/null
done
one_rec args-span 'path="/tmp/noexec-span"'
has args-span-fields uid=1000 argc=3 argv='"/tmp/noexec-span abcdef z"' \
	argv_len=25 argv_trunc= argv_fault=
one_rec args-strfault 'path="/tmp/noexec-strfault"'
has args-strfault-fields argc=2 argv='"/tmp/noexec-strfault ok"' \
	argv_trunc=1 argv_fault=1
one_rec args-ptrfault 'path="/tmp/noexec-ptrfault"'
has args-ptrfault-fields argc=3 argv='"/tmp/noexec-ptrfault b c"' \
	argv_trunc=1 argv_fault=1
one_rec args-same 'path="/tmp/noexec-same"'
want="/tmp/noexec-same$(printf ' x%.0s' $(seq 1000))"
has args-same-fields argc=1001 argv_len=${#want} argv="\"$want\""
one_rec args-jump 'path="/tmp/noexec-jump"'
want="/tmp/noexec-jump$(printf ' x y%.0s' $(seq 1499)) x"
has args-jump-fields argc=3000 argv_len=${#want} argv="\"$want\"" argv_fault=
one_rec args-cross 'path="/tmp/noexec-cross"'
want="/tmp/noexec-cross$(for i in $(seq 299); do printf ' a%d' $i; done)"
has args-cross-fields argc=300 argv_len=${#want} argv="\"$want\"" argv_fault=

# --- 32-bit programs: the compat execve paths, success and failure
/tests/exec32 /tests/exectl noop compat32
one_rec compat-ok 'argv="/tests/exectl noop compat32"'
has compat-ok-fields result=ok path='"/tests/exectl"' argc=3
/tests/exec32 /tmp/noexec c32 >/dev/null
one_rec compat-eacces 'argv="/tmp/noexec c32"'
has compat-eacces-fields result=EACCES errno=13 path='"/tmp/noexec"' \
	argc=2 comm='"exec32"'

# --- whitelist: exactly what it lists, never root unless asked
echo '/tests/exectl|/tests/exectl noop wl' >$P/exec_whitelist
expect_eq wl-readback '/tests/exectl|/tests/exectl noop wl' "$(cat $P/exec_whitelist)"
$E as 1000 $E noop wl h1
$E as 1000 $E noop other1
$E noop wl r2
echo 1 >$P/exec_whitelist_root
$E noop wl r3
echo 0 >$P/exec_whitelist_root
expect_eq wl-hidden "" "$(exec_rec 'argv="/tests/exectl noop wl h1"')"
one_rec wl-other 'argv="/tests/exectl noop other1"'
one_rec wl-root-logged 'argv="/tests/exectl noop wl r2"'
expect_eq wl-root-optin "" "$(exec_rec 'noop wl r3"')"
# arguments compare whole: a longer argument, or one with the entry's
# next words inside it, is another command line
$E as 1000 $E noop wl1
$E as 1000 $E noop 'wl h1; evil'
one_rec wl-arg-whole 'argv="/tests/exectl noop wl1"'
one_rec wl-arg-no-space 'argv="/tests/exectl noop wl\x20h1;\x20evil"'
echo '/tests/exectl|/tests/exectl noop wl h1' >$P/exec_whitelist
$E as 1000 $E noop 'wl h1'
one_rec wl-arg-space-inside 'argv="/tests/exectl noop wl\x20h1"'
$E as 1000 $E noop wl h1 more
expect_eq wl-args-prefix "" "$(exec_rec 'argv="/tests/exectl noop wl h1 more"')"
echo '/tests/exectl' >$P/exec_whitelist
$E as 1000 $E noop wlpath
expect_eq wl-path-only "" "$(exec_rec 'argv="/tests/exectl noop wlpath"')"
$E as 1000 /suid-exectl noop wlsuid
one_rec wl-other-exe 'argv="/suid-exectl noop wlsuid"'
# a user mounts another program over the whitelisted path, in user and
# mount namespaces of their own: it is not the whitelisted file
cp /tests/linctl /tmp/evil
chmod 755 /tmp/evil
out=$($E as 1000 /usr/bin/unshare -Urm sh -c \
	'mount --bind /tmp/evil /tests/exectl && /tests/exectl noop evilbind && echo ran' 2>&1)
expect_eq wl-bind-ran ran "$out"
one_rec wl-bind-forged 'argv="/tests/exectl noop evilbind"'
has wl-bind-forged-fields exe='"/tests/exectl"' uid=1000
check wl-config-record sh -c "$C -n | grep -q 'type=config event=set param=exec_whitelist value=/tests/exectl '"

# malformed lists: refused whole, old list kept, the bad entry named
long=/$(head -c 300 /dev/zero | tr '\0' a)
for v in relative '/a,,/b' '/a|' ',' "/x|$long" '/ok,bad' '|/x'; do
	expect_eq "wl-bad[$v]" "ERRNO EINVAL" "$($C set exec_whitelist "$v")"
done
expect_eq wl-bad-kept /tests/exectl "$(cat $P/exec_whitelist)"
check wl-bad-message sh -c "dmesg | grep -q \"exec_whitelist: entry 2 'bad' is malformed; keeping the old list\""
echo '' >$P/exec_whitelist
expect_eq wl-cleared "" "$(cat $P/exec_whitelist)"

# --- edits: "+" appends, "-" removes. 4000 entries written as 40 appends
# of 100 (no write over one page): the last one hides its exec.
awk 'BEGIN { for (c = 0; c < 40; c++) {
	s = "+"
	for (i = c * 100; i < c * 100 + 100; i++) {
		e = i < 3999 ? sprintf("/nx/wl/%05d", i) : "/tests/exectl|/tests/exectl noop wllast"
		s = s (i > c * 100 ? "," : "") e
	}
	print s } }' >/tmp/wl.chunks
n=0
while read -r ch; do
	echo "$ch" >$P/exec_whitelist 2>/dev/null && n=$((n + 1))
done </tmp/wl.chunks
expect_eq wl-edit-appends 40 "$n"
# a read shows what fits a page, whole entries, then how many more
wl_shown() {
	_v=$(cat $P/exec_whitelist)
	_more=$(printf '%s' "$_v" | sed -n 's/.*,\.\.\.(+\([0-9]*\) more)$/\1/p')
	_shown=$(printf '%s' "$_v" | tr -dc , | wc -c)
	echo "${#_v} $((_shown + ${_more:-0})) $(printf '%s' "$_v" | cut -d, -f1)"
}
r=$(wl_shown)
if [ "${r%% *}" -le 4095 ] && [ "${r%% *}" -gt 3900 ] &&
	[ "${r#* }" = "4000 /nx/wl/00000" ]; then
	pass wl-edit-read
else
	fail wl-edit-read "bytes, entries, first: $r: $(tail -c 40 $P/exec_whitelist)"
fi
$E as 1000 $E noop wllast
$E as 1000 $E noop wlnot
expect_eq wl-edit-last-hidden "" "$(exec_rec 'argv="/tests/exectl noop wllast"')"
one_rec wl-edit-other-logged 'argv="/tests/exectl noop wlnot"'
check wl-edit-config-record sh -c "$C -n | grep -qE 'type=config event=set param=exec_whitelist value=\"?\+/nx/wl/03900,'"
# more than 4096 entries in all: refused
big=$(awk 'BEGIN { s = "+/nx/more/0"; for (i = 1; i < 97; i++) s = s ",/nx/more/" i; print s }')
expect_eq wl-edit-too-many "ERRNO EINVAL" "$($C set exec_whitelist "$big")"
# a bad "+": refused (the errno a shell sees), the list kept, entry named
before=$(cat $P/exec_whitelist)
if echo '+/nx/wl/new,relative' >$P/exec_whitelist 2>/tmp/wl.err; then
	fail wl-edit-bad-add accepted
else
	check wl-edit-bad-add grep -q 'Invalid argument' /tmp/wl.err
fi
check wl-edit-bad-add-message dmesg_has "exec_whitelist: added entry 2 'relative' is malformed; keeping the old list"
expect_eq wl-edit-bad-add-kept "$before" "$(cat $P/exec_whitelist)"
expect_eq wl-edit-bad-add-not-added "ERRNO EINVAL" "$($C set exec_whitelist '-/nx/wl/new')"
for v in + - '+,' '-relative' '+/a|'; do
	expect_eq "wl-edit-bad[$v]" "ERRNO EINVAL" "$($C set exec_whitelist "$v")"
done
# "-": the entries go (every copy, compared as written); the exec shows again
echo '-/tests/exectl|/tests/exectl noop wllast,/nx/wl/00000' >$P/exec_whitelist
expect_eq wl-edit-removed-read "3998 /nx/wl/00001" "$(wl_shown | cut -d' ' -f2-)"
$E as 1000 $E noop wllast
one_rec wl-edit-removed-logged 'argv="/tests/exectl noop wllast"'
# removing an absent entry: refused, named, nothing removed
if echo '-/nx/wl/00001,/nx/wl/00000' >$P/exec_whitelist 2>/tmp/wl.err; then
	fail wl-edit-rm-absent accepted
else
	check wl-edit-rm-absent grep -q 'Invalid argument' /tmp/wl.err
fi
check wl-edit-rm-absent-message dmesg_has "exec_whitelist: removed entry 2 '/nx/wl/00000' is not in the list; keeping the old list"
expect_eq wl-edit-rm-absent-kept "3998 /nx/wl/00001" "$(wl_shown | cut -d' ' -f2-)"
# a whole list still replaces everything, and reads back as written
echo '/tests/exectl|/tests/exectl noop wl2,/nx/a' >$P/exec_whitelist
expect_eq wl-edit-replace '/tests/exectl|/tests/exectl noop wl2,/nx/a' "$(cat $P/exec_whitelist)"
echo '+/nx/b' >$P/exec_whitelist
echo '-/nx/a' >$P/exec_whitelist
expect_eq wl-edit-small '/tests/exectl|/tests/exectl noop wl2,/nx/b' "$(cat $P/exec_whitelist)"
echo '' >$P/exec_whitelist

# --- switched off and on at run time, without reloading
echo 0 >$P/execlog
$E noop off1
echo 1 >$P/execlog
$E noop on1
expect_eq runtime-off "" "$(exec_rec 'noop off1"')"
one_rec runtime-on 'noop on1"'
check runtime-config-record sh -c "$C -n | grep -q 'type=config event=set param=execlog value=0 '"

# --- 10 000 execs from two CPUs: every one logged, in order (1000 on the
# debug kernel, whose sanitizers make each exec ten times slower)
n=5000
case $(uname -r) in *-akl-debug) n=500 ;; esac
start=$(cat $S/next_seq)
$E burst $n A &
a=$!
$E burst $n B &
b=$!
wait $a $b
for t in A B; do
	got=$($C -n -s "$start" | grep -o "argv=\"/tests/exectl noop $t [0-9]*\"" |
		sed 's/.* \([0-9]*\)"$/\1/' | tr '\n' ' ')
	expect_eq "burst-$t-all-in-order" "$(seq 0 $((n - 1)) | tr '\n' ' ')" "$got"
done
expect_eq burst-lost 0 "$(cat $S/lost)"
expect_eq burst-overwritten 0 "$(cat $S/overwritten)"

check unload rmmod activity_klog
