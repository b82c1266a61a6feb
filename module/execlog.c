// SPDX-License-Identifier: GPL-2.0-only
/*
 * execlog.c - every program executed, with its command line and who ran it
 *
 * DOC: hook points
 *
 * A successful exec is logged from the sched_process_exec tracepoint. It
 * fires once per exec, after the new program is in place and before it
 * runs, for execve, execveat, fexecve, 32-bit compat execs and the
 * kernel's own (usermode helpers) alike, in the context of the task that
 * executed: its credentials are the new ones (a setuid binary shows its
 * euid), its command line is in the new mm, and the tracepoint hands us
 * the linux_binprm with the name the caller asked for, the #! interpreter
 * and the file actually executed.
 *
 * A failed exec never reaches the tracepoint. Kretprobes on the execve
 * and execveat system calls see the error on return, still in the calling
 * task with its old mm, and log the attempts refused for permission or
 * format (EACCES, EPERM, ENOEXEC; ENOENT too with exec_log_enoent=1),
 * reading the arguments from the caller's memory. Successful execs return
 * 0 there and are left to the tracepoint: one record per exec.
 */
#include <linux/binfmts.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>

#include "actor.h"
#include "compat.h"
#include "config.h"
#include "execlog.h"
#include "hooks.h"
#include "secure_log.h"
#include "whitelist.h"

static unsigned int execlog = 1;
static unsigned int exec_argv_max = 32768;
static unsigned int exec_whitelist_root;
static unsigned int exec_log_enoent;

static int execlog_apply(unsigned int old);

AKL_PARAM_UINT(execlog, execlog, 0, 1, execlog_apply);
MODULE_PARM_DESC(execlog, "Log program executions (1, default) or not (0)");
AKL_PARAM_UINT(exec_argv_max, exec_argv_max, 256, 60000, NULL);
MODULE_PARM_DESC(exec_argv_max,
		 "Bytes of command line logged per exec, 256 to 60000 (default 32768)");
AKL_PARAM_UINT(exec_whitelist_root, exec_whitelist_root, 0, 1, NULL);
MODULE_PARM_DESC(exec_whitelist_root,
		 "Let exec_whitelist hide execs by uid or euid 0 too (default 0: root is always logged)");
AKL_PARAM_UINT(exec_log_enoent, exec_log_enoent, 0, 1, NULL);
MODULE_PARM_DESC(exec_log_enoent,
		 "Also log execs that failed with ENOENT (default 0)");

/* Whitelist entries: "/path/of/exe" or "/path/of/exe|argv prefix". */
#define PREFIX_MAX 256

struct exec_wl_entry {
	struct akl_wl_entry e;
	const char *prefix;
	u32 prefix_len;
};

static int exec_wl_parse(char *rest, struct akl_wl_entry *e)
{
	struct exec_wl_entry *x = container_of(e, struct exec_wl_entry, e);

	if (!rest)
		return 0;
	x->prefix_len = strlen(rest);
	x->prefix = rest;
	return x->prefix_len && x->prefix_len <= PREFIX_MAX ? 0 : -EINVAL;
}

static const struct akl_wl_kind exec_wl_kind = {
	.entry_size = sizeof(struct exec_wl_entry),
	.max_entries = 4096,
	.parse_rest = exec_wl_parse,
};

AKL_PARAM_WHITELIST(exec_whitelist, exec_wl_kind);
MODULE_PARM_DESC(exec_whitelist,
		 "Execs not logged: /path/of/exe[|argv prefix], comma or newline separated (default empty)");

/* What a whitelist entry's argv prefix is matched against. */
struct exec_args {
	unsigned long start, end;	/* the command line in user memory */
	unsigned long len;		/* bytes read into buf, once read */
	bool read;
	char buf[PREFIX_MAX];
};

/* The command line as "arg0 arg1 ...", what whitelist prefixes match. */
static bool exec_wl_accept(const struct akl_wl_entry *e, void *ctx)
{
	const struct exec_wl_entry *x = container_of(e, struct exec_wl_entry, e);
	struct exec_args *a = ctx;
	u32 i;

	if (!x->prefix)
		return true;
	if (!a->read) {
		a->len = min(a->end - a->start, sizeof(a->buf));
		if (copy_from_user_nofault(a->buf, (void __user *)a->start, a->len))
			a->len = 0;
		a->read = true;
	}
	if (x->prefix_len > a->len)
		return false;
	for (i = 0; i < x->prefix_len; i++)
		if ((a->buf[i] ?: ' ') != x->prefix[i])
			return false;
	return true;
}

static bool whitelisted(const char *exe, u32 len, const struct cred *cred,
			unsigned long arg_start, unsigned long arg_end)
{
	struct exec_args args = { .start = arg_start, .end = arg_end };

	if (!READ_ONCE(exec_whitelist_root) &&
	    (uid_eq(cred->uid, GLOBAL_ROOT_UID) ||
	     uid_eq(cred->euid, GLOBAL_ROOT_UID)))
		return false;
	return akl_wl_match(&akl_wl_exec_whitelist, exe, len, exec_wl_accept, &args);
}

/*
 * Fields argc, argv_len (bytes of the command line, arguments joined by
 * one separator), argv_trunc when it exceeds exec_argv_max, and argv:
 * the arguments separated by spaces, each one escaped with its own spaces
 * as \x20. The arguments are NUL-separated in [start, end) of user memory.
 */
static void rec_argv_area(struct akl_rec *r, char *aux, int argc,
			  unsigned long start, unsigned long end)
{
	unsigned long total = end > start ? end - start : 0;
	unsigned long want = min_t(unsigned long, total, READ_ONCE(exec_argv_max));
	unsigned long off, n, esc;
	bool fault = false;

	akl_rec_printf(r, " argc=%d argv_len=%lu", argc, total ? total - 1 : 0);
	if (want < total)
		akl_rec_printf(r, " argv_trunc=1");
	if (!akl_rec_open_quote(r, "argv"))
		return;
	for (off = 0; off < want; off += n) {
		n = min_t(unsigned long, want - off, AKL_AUX_SIZE);
		if (copy_from_user_nofault(aux, (void __user *)(start + off), n)) {
			fault = true;
			break;
		}
		/* The last argument's NUL ends the list; it separates nothing. */
		esc = off + n == total ? n - 1 : n;
		if (akl_rec_escape(r, aux, esc, AKL_ESC_ARGV) < esc)
			break;
	}
	akl_rec_close_quote(r);
	if (fault)
		akl_rec_printf(r, " argv_fault=1");
}

static void exec_tp(void *data, struct task_struct *p, pid_t old_pid,
		    struct linux_binprm *bprm)
{
	struct mm_struct *mm = current->mm;
	unsigned long arg_start, arg_end;
	struct akl_rec *r;
	char *aux, *exe;

	if (unlikely(!mm))
		return;
	arg_start = READ_ONCE(mm->arg_start);
	arg_end = READ_ONCE(mm->arg_end);
	r = akl_log_begin(AKL_T_EXEC);
	if (!r)
		return;
	aux = akl_log_aux(r);
	exe = d_path(&bprm->file->f_path, aux, AKL_AUX_SIZE);
	if (!IS_ERR(exe) &&
	    whitelisted(exe, aux + AKL_AUX_SIZE - exe - 1, current_cred(),
			arg_start, arg_end)) {
		akl_log_discard(r);
		return;
	}
	akl_rec_printf(r, "result=ok");
	akl_rec_actor(r);
	akl_rec_str(r, "path", bprm->filename, PATH_MAX);
	akl_rec_dpath(r, "exe", exe, aux);
	/* A #! script or binfmt_misc: interp names what really ran. */
	if (bprm->interp != bprm->filename)
		akl_rec_str(r, "interp", bprm->interp, PATH_MAX);
	akl_rec_cwd(r, aux);
	rec_argv_area(r, aux, bprm->argc, arg_start, arg_end);
	akl_log_commit(r);
}

/* Failed execs */

/* The failures worth a record: refused for permission or format. */
static bool exec_err_logged(long err)
{
	return err == -EACCES || err == -EPERM || err == -ENOEXEC ||
	       (err == -ENOENT && READ_ONCE(exec_log_enoent));
}

/*
 * strncpy_from_user_nofault() is not exported to modules; this is it,
 * built on copy_from_user_nofault(), which is: page by page, so that a
 * string that ends just before an unmapped page is read whole.
 * Return: bytes copied to @dst, its NUL included when *@term; or -EFAULT.
 */
static long user_strncpy(char *dst, const char __user *src, long n, bool *term)
{
	long done = 0, chunk;
	char *nul;

	*term = false;
	while (done < n) {
		unsigned long a = (unsigned long)src + done;

		chunk = min_t(long, n - done, PAGE_SIZE - offset_in_page(a));
		if (copy_from_user_nofault(dst + done, (const void __user *)a,
					   chunk))
			return -EFAULT;
		nul = memchr(dst + done, '\0', chunk);
		if (nul) {
			*term = true;
			return nul - dst + 1;
		}
		done += chunk;
	}
	return done;
}

/* The length of a user string with its NUL, or more than @max; -EFAULT. */
static long user_strnlen(char *scratch, const char __user *src, long max)
{
	long len = 0, n;
	bool term;

	while (len <= max) {
		n = user_strncpy(scratch, src + len,
				 min_t(long, max + 1 - len, AKL_AUX_SIZE), &term);
		if (n < 0)
			return n;
		len += n;
		if (term)
			break;
	}
	return len;
}

static const char __user *user_ptr_at(const void __user *array, int i,
				      bool compat, bool *fault)
{
	unsigned long p = 0;
	u32 p32;

	if (compat) {
		*fault = copy_from_user_nofault(&p32, array + 4 * i, 4);
		p = (unsigned long)akl_compat_ptr(p32);
	} else {
		*fault = copy_from_user_nofault(&p, array + 8 * i, 8);
	}
	return *fault ? NULL : (const char __user *)p;
}

/* The same fields as rec_argv_area(), from an argv array of user pointers. */
static void rec_argv_array(struct akl_rec *r, char *aux,
			   const void __user *argv, bool compat)
{
	unsigned long used = 0, limit = READ_ONCE(exec_argv_max);
	bool fault = false, trunc = false, term;
	const char __user *p;
	size_t len;
	int argc, i;
	long n;

	/* Count first: argc and argv_len come before the argv field. */
	for (argc = 0; argv && used <= limit && argc < limit; argc++) {
		p = user_ptr_at(argv, argc, compat, &fault);
		if (!p)
			break;
		n = user_strnlen(aux, p, limit);
		if (n <= 0) {
			fault = true;
			break;
		}
		used += n;
	}
	trunc = used > limit || fault;
	akl_rec_printf(r, " argc=%d argv_len=%lu", argc, used ? used - 1 : 0);
	if (trunc)
		akl_rec_printf(r, " argv_trunc=1");
	if (!akl_rec_open_quote(r, "argv"))
		return;
	for (i = 0, used = 0; i < argc && used < limit; i++) {
		p = user_ptr_at(argv, i, compat, &fault);
		if (!p)
			break;
		n = user_strncpy(aux, p, min_t(unsigned long, AKL_AUX_SIZE,
					       limit - used), &term);
		if (n <= 0)
			break;
		len = term ? n - 1 : n;
		/* A NUL between arguments is written as their separator. */
		if (i && akl_rec_escape(r, "", 1, AKL_ESC_ARGV) < 1)
			break;
		if (akl_rec_escape(r, aux, len, AKL_ESC_ARGV) < len)
			break;
		used += len + 1;
	}
	akl_rec_close_quote(r);
}

/*
 * Logs a failed execve (at = 0: filename, argv are arguments 0, 1) or
 * execveat (at = 1: dirfd, filename, argv).
 */
static void exec_failed(struct pt_regs *regs, int at)
{
	long err = regs_return_value(regs);
	unsigned long args[6];
	struct akl_rec *r;
	bool term;
	char *aux;
	long n;

	if (!exec_err_logged(err))
		return;
	syscall_get_arguments(current, task_pt_regs(current), args);
	r = akl_log_begin(AKL_T_EXEC);
	if (!r)
		return;
	aux = akl_log_aux(r);
	akl_rec_printf(r, "result=%s errno=%ld", akl_errno_name(err), -err);
	akl_rec_actor(r);
	n = user_strncpy(aux, (const char __user *)args[at], AKL_AUX_SIZE,
			 &term);
	if (n > 0)
		akl_rec_str(r, "path", aux, n);
	else
		akl_rec_printf(r, " path=unknown");
	if (at)
		akl_rec_printf(r, " dirfd=%d", (int)args[0]);
	akl_rec_cwd(r, aux);
	rec_argv_array(r, aux, (const void __user *)args[at + 1],
		       in_compat_syscall());
	akl_log_commit(r);
}

static int execve_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	exec_failed(regs, 0);
	return 0;
}

static int execveat_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	exec_failed(regs, 1);
	return 0;
}

static struct akl_hook exec_hooks[] = {
	{
		.names = { "sched_process_exec" },
		.kind = AKL_TRACEPOINT,
		.tp_func = exec_tp,
	},
	{
		.names = { "__x64_sys_execve", "__arm64_sys_execve", "sys_execve" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.ret = execve_ret,
	},
	{
		.names = { "__x64_sys_execveat", "__arm64_sys_execveat",
			   "sys_execveat" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.ret = execveat_ret,
	},
	{
		.names = { "__ia32_compat_sys_execve", "__ia32_sys_execve" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.ret = execve_ret,
	},
	{
		.names = { "__ia32_compat_sys_execveat", "__ia32_sys_execveat" },
		.kind = AKL_KRETPROBE,
		.optional = true,
		.ret = execveat_ret,
	},
};

/* Run-time switch; with the parameter lock held. */
static int execlog_apply(unsigned int old)
{
	if (execlog)
		return akl_hooks_attach(exec_hooks, ARRAY_SIZE(exec_hooks));
	akl_hooks_detach(exec_hooks, ARRAY_SIZE(exec_hooks));
	return 0;
}

int akl_execlog_init(void)
{
	if (!execlog)
		return 0;
	return akl_hooks_attach(exec_hooks, ARRAY_SIZE(exec_hooks));
}

void akl_execlog_exit(void)
{
	akl_hooks_detach(exec_hooks, ARRAY_SIZE(exec_hooks));
	akl_wl_param_free(&akl_wl_exec_whitelist);
}
