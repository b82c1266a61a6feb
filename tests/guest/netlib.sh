# SPDX-License-Identifier: GPL-2.0-only
# Record helpers of the netlog guest tests (t-30, t-31): . /tests/netlib.sh
# after /tests/lib.sh, with C set to the slogctl path.

# field NAME LINE: the value of NAME= in one record line (bare or quoted)
field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# The next sequence number: records from now on are "new".
mark() { $C -s end tell; }

# new_net MARK: the net records since MARK
new_net() { $C -n -s "$1" | grep ' type=net '; }

# One awk pass over records (forks are slow under TCG). A field is the
# first KEY=VALUE of a line; a missing field reads as "".
AWK_FIELDS='
function parse(line,   n, i, a, p, k) {
	delete F
	n = split(line, a, " ")
	for (i = 1; i <= n; i++) {
		p = index(a[i], "=")
		if (!p)
			continue
		k = substr(a[i], 1, p - 1)
		if (!(k in F))
			F[k] = substr(a[i], p + 1)
	}
}
function get(k) { return (k in F) ? F[k] : "" }
function has_all(list,   n, i, s, p) {
	n = split(list, s, " ")
	for (i = 1; i <= n; i++) {
		p = index(s[i], "=")
		if (get(substr(s[i], 1, p - 1)) != substr(s[i], p + 1))
			return 0
	}
	return 1
}'

# pick RECORDS k=v...: the first record having every k=v field
pick() {
	_recs=$1
	shift
	printf '%s\n' "$_recs" | awk -v sel="$*" "$AWK_FIELDS"'
		{ parse($0); if (has_all(sel)) { print; exit } }'
}

# count RECORDS k=v...: how many records have every k=v field
count() {
	_recs=$1
	shift
	printf '%s\n' "$_recs" | awk -v sel="$*" "$AWK_FIELDS"'
		{ parse($0); if (has_all(sel)) n++ } END { print n + 0 }'
}

# expect_rec NAME RECORDS SELECTOR... -- EXPECTED k=v...: the record chosen
# by the selectors has every expected field.
expect_rec() {
	_name=$1 _recs=$2
	shift 2
	_sel=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do _sel="$_sel $1"; shift; done
	shift
	_res=$(printf '%s\n' "$_recs" | awk -v sel="$_sel" -v want="$*" "$AWK_FIELDS"'
		{
			parse($0)
			if (!has_all(sel))
				next
			found = 1
			n = split(want, w, " ")
			bad = ""
			for (i = 1; i <= n; i++) {
				p = index(w[i], "=")
				k = substr(w[i], 1, p - 1)
				if (get(k) != substr(w[i], p + 1))
					bad = bad " " k "=" get(k) "(want " substr(w[i], p + 1) ")"
			}
			print (bad == "" ? "OK" : "BAD" bad " in: " $0)
			exit
		}
		END { if (!found) print "NONE" }')
	case "$_res" in
	OK) pass "$_name" ;;
	NONE) fail "$_name" "no record with$_sel in: $(printf '%s\n' "$_recs" |
		sed 's/ pid=.*exe=/ exe=/' | tail -n 12)" ;;
	*) fail "$_name" "$_res" ;;
	esac
}

# val OUTFILE WORD KEY: from netctl output, "WORD ... KEY=V" -> V
val() { sed -n "s/^$2 .*$3=\([0-9]*\).*/\1/p" "$1" | head -n 1; }
pid_of() { sed -n 's/^PID //p' "$1"; }

is_num() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }
