/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * akl_format.h - the record format that readers of /dev/secure_log see
 *
 * One definition for every side of the format: the module (which stores
 * records in binary and writes these lines at read time), the journald
 * forwarder and aklctl (which parse them), and the tests. A field's name
 * is changed here and only here. No include: it is read by kernel and user
 * space alike.
 *
 * A record is one line of space-separated key=value fields. A value is a
 * bare word, made only of ASCII letters, digits and AKL_WORD_PUNCT, or a
 * double-quoted string in which '\\' and '"' are written \\ and \", and
 * every byte below 0x20, 0x7f and every byte from 0x80 up is written \xHH
 * (lists separated by spaces escape their items' spaces too).
 */
#ifndef _AKL_FORMAT_H
#define _AKL_FORMAT_H

/* The longest line read() returns, newline included. */
#define AKL_LINE_MAX	65536
/*
 * The header fields that every line starts with (seq, ts, load, type) take
 * at most AKL_HDR_MAX bytes; a record's own fields at most AKL_PAYLOAD_MAX.
 */
#define AKL_HDR_MAX	128
#define AKL_PAYLOAD_MAX	(AKL_LINE_MAX - AKL_HDR_MAX)

/* The last field of a record that did not fit whole. */
#define AKL_TRUNC_MARK	" trunc=1"

/* A bare word's characters besides ASCII letters and digits. */
#define AKL_WORD_PUNCT	"_.:/,+-@%[]"

/* Record types; the names are what readers see in the type= field. */
enum akl_type {
	AKL_T_CONFIG,	/* module loaded, parameter changed */
	AKL_T_EXEC,	/* a program executed (or failed to) */
	AKL_T_NET,	/* a network event */
	AKL_T_LOST,	/* writers could not keep records */
	AKL_T_OVERRUN,	/* this reader was overtaken */
	AKL_T_EXIT,	/* a process ended */
	AKL_T_PROCESS,	/* a process running at load */
	AKL_NR_TYPES,
};

/*
 * Field names. AKL_K_NAMED is a field whose name is given with it (a
 * parameter's name in the load record). The README's "Record format"
 * section says what each field holds.
 */
enum akl_key {
	AKL_K_NAMED,
	AKL_K_EVENT,
	AKL_K_RESULT,
	AKL_K_ERRNO,
	AKL_K_PARAM,
	AKL_K_VALUE,
	AKL_K_REASON,
	AKL_K_VERSION,
	AKL_K_KERNEL,
	AKL_K_LOST,
	AKL_K_MISSED,
	AKL_K_FIRST_MISSED,
	AKL_K_PID,
	AKL_K_PPID,
	AKL_K_SID,
	AKL_K_UID,
	AKL_K_GID,
	AKL_K_EUID,
	AKL_K_EGID,
	AKL_K_AUID,
	AKL_K_SES,
	AKL_K_TTY,
	AKL_K_COMM,
	AKL_K_PIDNS,
	AKL_K_MNTNS,
	AKL_K_CGROUP,
	AKL_K_EXEC_ID,
	AKL_K_PARENT_EXEC_ID,
	AKL_K_OWNER_PID,
	AKL_K_OWNER_EXEC_ID,
	AKL_K_EXE,
	AKL_K_SUID,
	AKL_K_SGID,
	AKL_K_FSUID,
	AKL_K_FSGID,
	AKL_K_PATH,
	AKL_K_PATH_TRUNC,
	AKL_K_EXE_DEV,
	AKL_K_EXE_INO,
	AKL_K_EXE_MODE,
	AKL_K_EXE_UID,
	AKL_K_EXE_GID,
	AKL_K_EXE_CAP_P,
	AKL_K_EXE_CAP_I,
	AKL_K_EXE_CAP_E,
	AKL_K_EXE_CAP_ROOTID,
	AKL_K_INTERP,
	AKL_K_SCRIPT,
	AKL_K_CWD,
	AKL_K_UNRESOLVED,
	AKL_K_DIRFD,
	AKL_K_ARGS_READ,
	AKL_K_ARGC,
	AKL_K_ARGV_LEN,
	AKL_K_ARGV_TRUNC,
	AKL_K_ARGV,
	AKL_K_ARGV_FAULT,
	AKL_K_PROTO,
	AKL_K_FAMILY,
	AKL_K_LADDR,
	AKL_K_LPORT,
	AKL_K_RADDR,
	AKL_K_RPORT,
	AKL_K_NETNS,
	AKL_K_STATE,
	AKL_K_BYTES_SENT,
	AKL_K_BYTES_RECEIVED,
	AKL_K_DESTS_UNLOGGED,
	AKL_K_EXIT_CODE,
	AKL_K_SIGNAL,
	AKL_K_CORE,
	AKL_K_DURATION_MS,
	AKL_K_TRUNC,
	AKL_NR_KEYS,
};

/* The names, for the one file of each program that defines AKL_FORMAT_NAMES. */
#ifdef AKL_FORMAT_NAMES
static const char *const akl_type_names[AKL_NR_TYPES] = {
	[AKL_T_CONFIG] = "config",
	[AKL_T_EXEC] = "exec",
	[AKL_T_NET] = "net",
	[AKL_T_LOST] = "lost",
	[AKL_T_OVERRUN] = "overrun",
	[AKL_T_EXIT] = "exit",
	[AKL_T_PROCESS] = "process",
};

static const char *const akl_key_names[AKL_NR_KEYS] = {
	[AKL_K_NAMED] = "",
	[AKL_K_EVENT] = "event",
	[AKL_K_RESULT] = "result",
	[AKL_K_ERRNO] = "errno",
	[AKL_K_PARAM] = "param",
	[AKL_K_VALUE] = "value",
	[AKL_K_REASON] = "reason",
	[AKL_K_VERSION] = "version",
	[AKL_K_KERNEL] = "kernel",
	[AKL_K_LOST] = "lost",
	[AKL_K_MISSED] = "missed",
	[AKL_K_FIRST_MISSED] = "first_missed",
	[AKL_K_PID] = "pid",
	[AKL_K_PPID] = "ppid",
	[AKL_K_SID] = "sid",
	[AKL_K_UID] = "uid",
	[AKL_K_GID] = "gid",
	[AKL_K_EUID] = "euid",
	[AKL_K_EGID] = "egid",
	[AKL_K_AUID] = "auid",
	[AKL_K_SES] = "ses",
	[AKL_K_TTY] = "tty",
	[AKL_K_COMM] = "comm",
	[AKL_K_PIDNS] = "pidns",
	[AKL_K_MNTNS] = "mntns",
	[AKL_K_CGROUP] = "cgroup",
	[AKL_K_EXEC_ID] = "exec_id",
	[AKL_K_PARENT_EXEC_ID] = "parent_exec_id",
	[AKL_K_OWNER_PID] = "owner_pid",
	[AKL_K_OWNER_EXEC_ID] = "owner_exec_id",
	[AKL_K_EXE] = "exe",
	[AKL_K_SUID] = "suid",
	[AKL_K_SGID] = "sgid",
	[AKL_K_FSUID] = "fsuid",
	[AKL_K_FSGID] = "fsgid",
	[AKL_K_PATH] = "path",
	[AKL_K_PATH_TRUNC] = "path_trunc",
	[AKL_K_EXE_DEV] = "exe_dev",
	[AKL_K_EXE_INO] = "exe_ino",
	[AKL_K_EXE_MODE] = "exe_mode",
	[AKL_K_EXE_UID] = "exe_uid",
	[AKL_K_EXE_GID] = "exe_gid",
	[AKL_K_EXE_CAP_P] = "exe_cap_p",
	[AKL_K_EXE_CAP_I] = "exe_cap_i",
	[AKL_K_EXE_CAP_E] = "exe_cap_e",
	[AKL_K_EXE_CAP_ROOTID] = "exe_cap_rootid",
	[AKL_K_INTERP] = "interp",
	[AKL_K_SCRIPT] = "script",
	[AKL_K_CWD] = "cwd",
	[AKL_K_UNRESOLVED] = "unresolved",
	[AKL_K_DIRFD] = "dirfd",
	[AKL_K_ARGS_READ] = "args_read",
	[AKL_K_ARGC] = "argc",
	[AKL_K_ARGV_LEN] = "argv_len",
	[AKL_K_ARGV_TRUNC] = "argv_trunc",
	[AKL_K_ARGV] = "argv",
	[AKL_K_ARGV_FAULT] = "argv_fault",
	[AKL_K_PROTO] = "proto",
	[AKL_K_FAMILY] = "family",
	[AKL_K_LADDR] = "laddr",
	[AKL_K_LPORT] = "lport",
	[AKL_K_RADDR] = "raddr",
	[AKL_K_RPORT] = "rport",
	[AKL_K_NETNS] = "netns",
	[AKL_K_STATE] = "state",
	[AKL_K_BYTES_SENT] = "bytes_sent",
	[AKL_K_BYTES_RECEIVED] = "bytes_received",
	[AKL_K_DESTS_UNLOGGED] = "dests_unlogged",
	[AKL_K_EXIT_CODE] = "exit_code",
	[AKL_K_SIGNAL] = "signal",
	[AKL_K_CORE] = "core",
	[AKL_K_DURATION_MS] = "duration_ms",
	[AKL_K_TRUNC] = "trunc",
};
#endif /* AKL_FORMAT_NAMES */

#endif /* _AKL_FORMAT_H */
