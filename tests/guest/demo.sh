# SPDX-License-Identifier: GPL-2.0-only
# The demo, run by /init when the kernel command line has akl.demo=1.
noshell=0
grep -q 'akl.demo_noshell=1' /proc/cmdline && noshell=1

say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() {
	printf '\033[1m$ %s\033[0m\n' "$*"
	"$@"
	sleep 1 # let the live reader print before the next command
}

echo "=================================================="
echo " activity_klog demo on Linux $(uname -r)"
echo "=================================================="
say "Load the module; the demo's own 'sleep 1' pauses are whitelisted"
run insmod /activity_klog.ko "exec_whitelist=/bin/busybox|sleep" exec_whitelist_root=1
ls -l /dev/secure_log

say "A reader prints every record as it is written (one line each)"
/tests/slogctl &
reader=$!
sleep 1

say "An unprivileged user runs programs"
run /tests/exectl as 1000 /bin/ls /tmp
run /tests/exectl as 1000 /bin/sh -c 'echo "hello; world" >/dev/null'
say "A refused exec is logged with its errno"
printf 'data' >/tmp/notes.txt
run /tests/exectl as 1000 /tests/exectl exec /tmp/notes.txt
say "Network: a TCP server and a client on 127.0.0.1"
nc -l -p 8080 >/dev/null &
sleep 1
run sh -c 'echo hi | nc 127.0.0.1 8080'
say "Change a parameter at run time: a config record names who did it"
run sh -c 'echo 1 >/sys/module/activity_klog/parameters/exec_log_enoent'

kill $reader
say "Counters"
run grep -r . /sys/class/misc/secure_log/stats/

if [ $noshell = 0 ]; then
	say "A shell in the guest"
	echo "Read records: /tests/slogctl -n (all held), /tests/slogctl -s end (new ones)."
	echo "Parameters: /sys/module/activity_klog/parameters/. Quit: poweroff -f, or Ctrl-A X."
	exec setsid cttyhack sh
fi
