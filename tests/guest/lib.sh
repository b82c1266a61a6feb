# SPDX-License-Identifier: GPL-2.0-only
# Helpers for guest test scripts (busybox sh): . /tests/lib.sh
# Protocol: one line per result, "@@RESULT pass NAME" or "@@RESULT fail NAME reason".

pass() { echo "@@RESULT pass $1"; }

fail() {
	_n=$1
	shift
	echo "@@RESULT fail $_n $(echo "$*" | tr '\n' ' ')"
}

# check NAME CMD...: pass if CMD exits 0, else fail with the tail of its output.
check() {
	_n=$1
	shift
	_rc=0
	_out=$("$@" 2>&1) || _rc=$?
	if [ $_rc = 0 ]; then
		pass "$_n"
	else
		fail "$_n" "'$*' exited $_rc: $(echo "$_out" | tail -n 3)"
	fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# fval NAME LINE: the value of field NAME in a record line, as written
# (a quoted value keeps its quotes and escapes)
fval() {
	printf '%s\n' "$2" |
		grep -oE " $1=(\"([^\"\\\\]|\\\\.)*\"|[^ \"]*)" |
		head -n 1 | sed "s/^ $1=//"
}

# dmesg_has TEXT: the kernel log contains TEXT
dmesg_has() {
	dmesg | grep -qF -- "$1"
}
