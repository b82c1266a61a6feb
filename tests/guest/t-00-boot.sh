# SPDX-License-Identifier: GPL-2.0-only
# Smoke test: the guest is sane and the module loads and unloads.
. /tests/lib.sh

check boot-proc grep -q '^proc /proc ' /proc/mounts
check insmod insmod /activity_klog.ko
check rmmod rmmod activity_klog
