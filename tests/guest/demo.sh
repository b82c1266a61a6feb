# SPDX-License-Identifier: GPL-2.0-only
# Placeholder demo, run by /init when the kernel cmdline has akl.demo=1.
run() { echo; echo "# $*"; "$@"; }
noshell=0
grep -q 'akl.demo_noshell=1' /proc/cmdline && noshell=1

echo "=================================================="
echo " activity_klog demo on Linux $(uname -r)"
echo "=================================================="
run insmod /activity_klog.ko
run ls /
run id
run sh -c 'echo hi'
echo
echo "# module parameters"
for f in /sys/module/activity_klog/parameters/*; do
	[ -e "$f" ] && echo "$(basename "$f") = $(cat "$f")"
done
echo
echo "# records"
if [ -x /tests/slogctl ]; then
	/tests/slogctl read --nonblock
elif [ -e /dev/secure_log ]; then
	# busybox dd has no iflag=nonblock: read until nothing new for 2 s.
	timeout 2 cat /dev/secure_log
else
	echo "(no /dev/secure_log)"
fi

if [ $noshell = 0 ]; then
	echo
	echo "Interactive shell; 'poweroff -f' or Ctrl-A X to quit QEMU."
	exec setsid cttyhack sh
fi
