# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the host-side test scripts; source it, don't run it.
# shellcheck disable=SC2034 # variables used by the scripts sourcing this

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTS_DIR=$ROOT/tests
CACHE=$ROOT/.cache
BUILD=$ROOT/.build

say() { echo "[$(basename "$0")] $*" >&2; }
die() { say "error: $*"; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (installs packages)"; }

# apt-get that waits for a concurrent apt/dpkg instead of failing.
APT=(apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
export DEBIAN_FRONTEND=noninteractive

# apt-get update at most once per run (the flag is inherited by child scripts).
apt_update_once() {
	[ "${AKL_APT_UPDATED:-}" = 1 ] && return 0
	say "apt-get update"
	"${APT[@]}" -qq update >&2
	export AKL_APT_UPDATED=1
}

is_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Install those of the given packages that are missing.
# INITRD=No: kernel images pulled in as dependencies skip update-initramfs.
apt_install() {
	local p missing=()
	for p; do is_installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} = 0 ] && return 0
	need_root
	apt_update_once
	say "installing ${missing[*]}"
	INITRD=No "${APT[@]}" -y -q --no-install-recommends install "${missing[@]}" >&2
}

# rm_tree DIR: rm -rf DIR, after unmounting what is mounted below it (a
# chroot's /proc, /sys and /dev bind mount, left by a run that was killed:
# limited stops a hung step with SIGKILL, and no trap of its runs then).
# --one-file-system keeps rm out of a mount that is still there: the host's
# /dev is not emptied through a chroot's.
rm_tree() {
	local d m
	d=$(realpath -m "$1")
	awk -v d="$d/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf --one-file-system "$1"
}

# debootstrap_min SUITE DIR MIRROR LOG [OPTION...]: debootstrap
# --variant=minbase of SUITE into DIR (made anew), its output added to LOG.
# A download that stalls is given up after 60 s and tried again: wget's own
# defaults (debootstrap's downloader) wait 900 s a read and try 20 times,
# hours for a connection that hangs. The whole is stopped after 20 minutes
# and tried twice.
debootstrap_min() {
	local suite=$1 dir=$2 mirror=$3 log=$4 try rc=0
	shift 4
	mkdir -p "$CACHE"
	printf '%s\n' 'timeout = 60' 'tries = 3' 'waitretry = 5' >"$CACHE/wgetrc"
	for try in 1 2; do
		rm_tree "$dir"
		rc=0
		WGETRC=$CACHE/wgetrc timeout -k 30 1200 debootstrap --variant=minbase "$@" \
			"$suite" "$dir" "$mirror" >>"$log" 2>&1 || rc=$?
		[ "$rc" != 0 ] || return 0
		echo "debootstrap_min: try $try of $suite failed (exit $rc)" >>"$log"
	done
	return "$rc"
}

# The kernel flavours make test runs (tests/run, tests/kernels).
# The CI subset (make test): one kernel per release (bullseye, bookworm and
# its 6.12 backport, trixie and its 7.x backport), two -rt, the debug ones.
DEFAULT_KERNELS="5.10 6.1 6.12 6.12+deb13 7.x 6.12-rt 7.x-rt 6.12-debug 6.12-rt-debug"
# Every flavour (make test-all).
ALL_KERNELS="5.10 5.10-rt 6.1 6.1-rt 6.12 6.12-rt 6.12+deb13 7.x 7.x-rt 6.12-debug 6.12-rt-debug"

# The debug flavours: kernels built by tests/debug-kernel FLAVOUR, whose
# release ends in their suffix; a tree is its headers and its image.
#   6.12-debug     -akl-debug     .cache/linux-debug     KASAN, kmemleak, lockdep...
#   6.12-rt-debug  -akl-rt-debug  .cache/linux-rt-debug  PREEMPT_RT, lockdep...
DEBUG_FLAVOURS="6.12-debug 6.12-rt-debug"
is_debug_flavour() { case $1 in 6.12-debug | 6.12-rt-debug) return 0 ;; esac; return 1; }
# The flavours of $KERNELS (all: ALL_KERNELS; unset: DEFAULT_KERNELS) that
# Debian ships, not the debug ones built here, on one line.
plain_flavours() {
	local f list=${KERNELS:-$DEFAULT_KERNELS}
	[ "$list" != all ] || list=$ALL_KERNELS
	for f in $list; do is_debug_flavour "$f" || printf '%s ' "$f"; done
}
is_debug_kver() { case $1 in *-akl-debug | *-akl-rt-debug) return 0 ;; esac; return 1; }
# A PREEMPT_RT kernel (Debian's -rt or ours)?
is_rt_kver() { case $1 in *-rt-amd64 | *-akl-rt-debug) return 0 ;; esac; return 1; }
# The tree of a debug flavour or of a debug KVER.
debug_tree() {
	case $1 in
	6.12-rt-debug | *-akl-rt-debug) echo "$CACHE/linux-rt-debug" ;;
	6.12-debug | *-akl-debug) echo "$CACHE/linux-debug" ;;
	*) die "debug_tree: not a debug flavour or kernel: '$1'" ;;
	esac
}

kernel_dir() { if is_debug_kver "$1"; then debug_tree "$1"; else echo "$CACHE/kernels/$1"; fi; }
headers_dir() {
	local rel
	if is_debug_kver "$1"; then
		debug_tree "$1"
	elif rel=$(kver_release "$1"); then
		echo "$(chroot_dir "$rel")/usr/src/linux-headers-$1"
	else
		echo "/usr/src/linux-headers-$1"
	fi
}
kernel_image() { # the bzImage of KVER
	if is_debug_kver "$1"; then
		echo "$(debug_tree "$1")/arch/x86/boot/bzImage"
	else
		echo "$(kernel_dir "$1")/boot/vmlinuz-$1"
	fi
}

# A guest kernel's report of a stall (RCU) or a soft lockup: tests/boot
# stops such a guest (it has failed; it would run on to its time limit).
STALL_RE='BUG: soft lockup|rcu: INFO: rcu_[a-z]+ (self-)?detected stall'
# crashed_early LOG MARK_RE [BAD_RE]: the kernel in LOG crashed (BAD_RE,
# by default an Oops, a BUG or a panic) before anything of the test's ran
# (no line matches MARK_RE). Under TCG with a thread per vCPU the kernel's
# own text patching at boot can leave a vCPU on a stale int3 (seen in
# sched_clock_cpu; ENVIRONMENT.md): the harness boots such a guest once
# more, and says so.
crashed_early() {
	! grep -aqE "$2" "$1" &&
		grep -aqE "${3:-Oops|BUG:|Kernel panic|general protection fault}" "$1"
}
# stray_int3 LOG: LOG shows a CPU stalled looping on an int3 that memory no
# longer holds: under TCG with a thread per vCPU, a vCPU can keep running
# the stale translation of code that the kernel patched (a static key or a
# kprobe flipped by insmod, in code the other vCPU runs). Its stall reports
# show asm_exc_int3 (6.1), or the same RIP outside the idle loop in at
# least 3 of them (5.10: the patched instruction's). tests/run boots such a
# guest once more.
stray_int3() {
	grep -aqE "$STALL_RE" "$1" || return 1
	grep -aq 'RIP: 0010:asm_exc_int3' "$1" && return 0
	grep -ao 'RIP: 0010:[A-Za-z0-9_.]*+0x[0-9a-f]*/' "$1" |
		grep -vE 'halt|idle|poll' | sort | uniq -c | awk '$1 >= 3 { f = 1 } END { exit !f }'
}

# deadline_limit SECONDS: SECONDS, or the seconds left before AKL_DEADLINE
# (epoch seconds; tests/run sets it from SUITE_LIMIT) if fewer (at least 1):
# a guest's time limit, cut so that the suite prints its results before
# CI's own limit stops it unheard.
deadline_limit() {
	local limit=$1 left
	if [ -n "${AKL_DEADLINE:-}" ]; then
		left=$((AKL_DEADLINE - $(date +%s)))
		[ "$left" -ge 1 ] || left=1
		[ "$left" -ge "$limit" ] || limit=$left
	fi
	echo "$limit"
}

# Set the array QEMU to the command line booting KVER with INITRD and extra cmdline.
qemu_cmd() {
	local kver=$1 initrd=$2 extra=${3:-}
	# 2 GiB for every guest: the stress test's trinity, which runs across
	# its rounds, filled 1 GiB (shmem) and woke the OOM killer, whose report
	# is a Call Trace (6.12, 6.12+deb13, 6.12-rt-debug in one run); and
	# KASAN's shadow, kmemleak's metadata and SLUB redzones need room.
	local mem=2048
	if is_debug_kver "$kver"; then
		extra="$extra akl.test_timeout=900" # a test_timeout given first wins
	fi
	QEMU=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m $mem
		-nographic -no-reboot
		-kernel "$(kernel_image "$kver")" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 loglevel=7 $extra")
	# ICOUNT=N (make bench, make profile): the guest's clock counts
	# instructions, 2^N ns each, of both vCPUs run in turn on one host
	# thread, instead of following the host's clock. The host's load no
	# longer moves the figures, and a reader's work on the second vCPU is
	# paid for by the loop, as on a one-CPU machine.
	if [ -n "${ICOUNT:-}" ]; then
		QEMU+=(-icount "shift=$ICOUNT,sleep=off")
	fi
}

# boot_systemd_guest LIMIT MEM KVER INITRD ROOTFS LOG [CMDLINE]: the systemd
# guests of tests/journald-e2e and tests/pkg-e2e. KVER boots with the tiny
# INITRD (tests/journald/initrd-init) and the ext4 image ROOTFS, console to
# LOG and stdout, stopped after LIMIT seconds (cut by deadline_limit).
# A kernel that crashed before the initramfs ran (crashed_early) left ROOTFS
# as it was: it boots once more, said as RETRY, the first log kept as
# LOG.crashed-at-boot. Returns QEMU's exit status.
boot_systemd_guest() {
	local limit=$1 mem=$2 kver=$3 initrd=$4 rootfs=$5 log=$6 extra=${7:-} rc try
	for try in 1 2; do
		rc=0
		timeout -k 30 "$(deadline_limit "$limit")" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$mem" \
			-nographic -no-reboot \
			-kernel "$(kernel_dir "$kver")/boot/vmlinuz-$kver" -initrd "$initrd" \
			-drive "file=$rootfs,format=raw,if=virtio" \
			-append "console=ttyS0 root=/dev/vda rw panic=-1 loglevel=4 systemd.show_status=0 $extra" \
			</dev/null 2>&1 | tee "$log" || rc=$?
		if [ "$try" = 2 ] || ! crashed_early "$log" '@@INITRD'; then break; fi
		mv "$log" "$log.crashed-at-boot"
		say "RETRY: the kernel crashed before the initramfs ran (TCG and the kernel's text patching); first log: $log.crashed-at-boot"
	done
	return "$rc"
}

# A private apt configuration (under .cache/apt) that reaches the other Debian
# releases' kernels: bullseye(+security), trixie, trixie-backports. Its URIs
# are copied from the host's debian.sources; the host's apt state is not
# touched. OAPT=(apt-get ...) and OAPT_CACHE=(apt-cache ...) use it.
OAPT_DIR=$CACHE/apt
OAPT_OPTS=(-o Dir::Etc::sourcelist="$OAPT_DIR/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$OAPT_DIR/lists" -o Dir::Cache="$OAPT_DIR/cache"
	-o Dir::Cache::archives="$OAPT_DIR/archives" -o APT::Sandbox::User=root
	-o Acquire::Retries=3)
OAPT=(apt-get "${OAPT_OPTS[@]}")
OAPT_CACHE=(apt-cache "${OAPT_OPTS[@]}")
# The archive's URIs (main and security) as the host's sources name them.
debian_uri() {
	local f=/etc/apt/sources.list.d/debian.sources want=$1 # debian | debian-security
	awk -v w="$want" '/^URIs:/ { for (i = 2; i <= NF; i++) { u = $i; sub(/\/$/, "", u);
		n = split(u, p, "/"); if (p[n] == w) { print u; exit } } }' "$f"
}
DEBIAN_URI=${DEBIAN_URI:-$(debian_uri debian 2>/dev/null || true)}
DEBIAN_URI=${DEBIAN_URI:-http://deb.debian.org/debian}
DEBIAN_SEC_URI=${DEBIAN_SEC_URI:-$(debian_uri debian-security 2>/dev/null || true)}
DEBIAN_SEC_URI=${DEBIAN_SEC_URI:-http://deb.debian.org/debian-security}
# Run "apt-get update" on the private configuration at most once a run
# (and not again within 6 hours).
oapt_update_once() {
	[ "${AKL_OAPT_UPDATED:-}" = 1 ] && return 0
	mkdir -p "$OAPT_DIR/lists/partial" "$OAPT_DIR/cache" "$OAPT_DIR/archives/partial"
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$OAPT_DIR/sources.list.new" <<-EOS
		deb [signed-by=$kr] $DEBIAN_URI bullseye main
		deb [signed-by=$kr] $DEBIAN_SEC_URI bullseye-security main
		deb [signed-by=$kr] $DEBIAN_URI trixie main
		deb [signed-by=$kr] $DEBIAN_URI trixie-backports main
	EOS
	if ! cmp -s "$OAPT_DIR/sources.list.new" "$OAPT_DIR/sources.list" ||
		[ -z "$(find "$OAPT_DIR/lists" -maxdepth 1 -name '*Packages*' -mmin -360)" ]; then
		mv "$OAPT_DIR/sources.list.new" "$OAPT_DIR/sources.list"
		say "apt-get update (private: bullseye, trixie, trixie-backports)"
		"${OAPT[@]}" -qq update >&2
	fi
	rm -f "$OAPT_DIR/sources.list.new"
	export AKL_OAPT_UPDATED=1
}

# The Debian release whose DKMS builds for KVER, when it is not the host's
# (bookworm): the module is built in a chroot of that release (tests/chroot).
kver_release() {
	case $1 in
	5.10.*) echo bullseye ;;
	*+deb13-* | 7.*) echo trixie ;;
	*) return 1 ;;
	esac
}
chroot_dir() { echo "$CACHE/chroot-$1"; }
