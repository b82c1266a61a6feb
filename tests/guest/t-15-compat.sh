# SPDX-License-Identifier: GPL-2.0-only
# compat: the fields read from kernel internals whose layout or interface
# differs between kernels (compat.h) hold what user space sees for the
# process that wrote the record: pidns= and mntns= are the inode numbers of
# its /proc/self/ns/pid and /proc/self/ns/mnt, cgroup= the inode number of
# its cgroup2 directory. Checked in the initial namespaces and in new mount
# and pid namespaces in a child cgroup, as an unprivileged user, so that a
# wrong layout (a pointer's low bits, another member) fails here on every
# kernel of the matrix.
. /tests/lib.sh

E=/tests/exectl
C=/tests/slogctl
CG=/sys/fs/cgroup

insmod /activity_klog.ko || fail load "insmod failed"

# --- every hook attached on this kernel: hooks.c names a missing one in the
# kernel log ("NAME: not on this kernel" for an optional hook, "NAME: cannot
# attach" for a mandatory one, which fails the load)
missing=$(dmesg | grep -oE 'activity_klog: [^ ]+: (not on this kernel|cannot attach)' |
	sed 's/^activity_klog: //; s/:.*//' | sort -u | tr '\n' ' ')
expect_eq t15-all-hooks-attached "" "$missing"

mkdir -p $CG
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $CG ||
	fail cgroup2-mount "cannot mount cgroup2 on $CG"
mkdir -p $CG/akl-t15

# The child: writes the values its own process sees to /tmp/t15-TAG.exp,
# then becomes uid 1000 and execs "exectl noop t15-TAG" (the record).
cat >/tmp/t15-child.sh <<'EOS'
tag=$1
pidns=$(readlink /proc/self/ns/pid | tr -dc 0-9)
mntns=$(readlink /proc/self/ns/mnt | tr -dc 0-9)
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
cgino=$(stat -c %i "/sys/fs/cgroup${cg%/}")
echo "$pidns $mntns $cgino" >"/tmp/t15-$tag.exp"
exec /tests/exectl as 1000 /tests/exectl noop "t15-$tag"
EOS

# check_rec TAG: the exec record of "noop t15-TAG" has the expected fields
check_rec() {
	read -r pidns mntns cgino <"/tmp/t15-$1.exp"
	rec=$($C -n | grep ' type=exec ' | grep -F "argv=\"/tests/exectl noop t15-$1\"")
	expect_eq "t15-$1-one-record" 1 "$(printf '%s' "$rec" | grep -c .)"
	case "$pidns$mntns$cgino" in
	*[!0-9]* | "") fail "t15-$1-expected" "bad expected values: '$pidns' '$mntns' '$cgino'" ;;
	esac
	expect_eq "t15-$1-pidns" "$pidns" "$(fval pidns "$rec")"
	expect_eq "t15-$1-mntns" "$mntns" "$(fval mntns "$rec")"
	expect_eq "t15-$1-cgroup" "$cgino" "$(fval cgroup "$rec")"
}

# --- the initial namespaces, the root cgroup
sh /tmp/t15-child.sh init
check_rec init
expect_eq t15-init-is-host-mntns "$(readlink /proc/self/ns/mnt | tr -dc 0-9)" \
	"$(cut -d' ' -f2 /tmp/t15-init.exp)"

# --- a child cgroup
sh -c "echo 0 >$CG/akl-t15/cgroup.procs && exec sh /tmp/t15-child.sh cgroup"
check_rec cgroup
[ "$(cut -d' ' -f3 /tmp/t15-cgroup.exp)" != "$(cut -d' ' -f3 /tmp/t15-init.exp)" ] ||
	fail t15-cgroup-differs "the child cgroup has the root's inode"

# --- new mount and pid namespaces, in the child cgroup
unshare -m -p -f sh -c "echo 0 >$CG/akl-t15/cgroup.procs && exec sh /tmp/t15-child.sh ns"
check_rec ns
if [ "$(cut -d' ' -f1-2 /tmp/t15-ns.exp)" = "$(cut -d' ' -f1-2 /tmp/t15-init.exp)" ]; then
	fail t15-ns-differs "unshare -m -p made no new namespaces"
else
	pass t15-ns-differs
fi

rmdir $CG/akl-t15 2>/dev/null
check unload rmmod activity_klog
