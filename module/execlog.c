// SPDX-License-Identifier: GPL-2.0-only
/*
 * execlog.c - every program executed, with its command line and who ran it
 *
 * DOC: hook points
 *
 * A successful exec is seen by the sched_process_exec tracepoint. It
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
 * task with its old mm, and log every failed attempt whatever its error
 * (ENOENT only with exec_log_enoent=1: PATH lookups), reading the
 * arguments from the caller's memory. Successful execs return
 * 0 there and are left to the tracepoint: one record per exec. All of
 * them stay attached from load to unload; execlog=0 only makes them
 * return early.
 *
 * DOC: where records are made
 *
 * Both hooks run with preemption disabled, where the executable's path
 * and the working directory cannot be resolved (d_path() sleeps on
 * PREEMPT_RT when it meets a rename or a mount) and user memory can only
 * be read if it happens to be mapped. So they only take what will be gone
 * afterwards (a reference to the file executed, copies of the names the
 * caller gave, the system call's arguments) into a work item from a
 * preallocated pool, and queue it with task_work_add(): the record is made
 * when the task returns to user space, before the new program runs its
 * first instruction (or at its exit, if it is killed first), in its own
 * context where sleeping and faulting are allowed. There the path is
 * resolved, kept in the process table for the process's net records
 * (proctab.c), and the command line is copied with bounded user copies.
 *
 * A work item in flight holds a reference to this module, so the module
 * cannot go while one is queued (rmmod fails with EAGAIN). When no item
 * is free, or the module is going, the record is made at once, in the
 * hook, without what needs sleeping: `exe=unknown cwd=unknown
 * unresolved=1` (and no argv for a failed exec); exec_unresolved counts
 * them.
 */
#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pid_namespace.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>
#include <linux/xattr.h>
#include <asm/syscall.h>

#include "actor.h"
#include "compat.h"
#include "config.h"
#include "exec_args.h"
#include "execlog.h"
#include "hooks.h"
#include "initpath.h"
#include "proctab.h"
#include "secure_log.h"
#include "whitelist.h"

static unsigned int execlog = 1;
static unsigned int exec_argv_max = 32768;
static unsigned int exec_whitelist_root;
static unsigned int exec_log_enoent;

/* Hooks stay attached whatever it says: a change patches no kernel text. */
AKL_PARAM_UINT(execlog, execlog, 0, 1, NULL);
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

/* Whether execs are logged. */
bool akl_execlog_on(void)
{
	return READ_ONCE(execlog);
}

/* Bytes of command line a record holds. */
unsigned int akl_exec_argv_max(void)
{
	return READ_ONCE(exec_argv_max);
}

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
	unsigned long len;		/* bytes of the command line in buf */
	char buf[PREFIX_MAX + 1];	/* a prefix, and the byte after it */
};

/*
 * An entry's "arg0 arg1 ..." matches a command line that starts with
 * these arguments, each one whole: a space in the entry stands for the
 * NUL between two arguments (never for a space inside one), and the
 * entry's last argument must end where the command line's does.
 * "sh -c true" matches sh -c true x, not sh -c "true; evil".
 * Context: under rcu_read_lock() (akl_wl_match()): reads only @ctx.
 */
static bool exec_wl_accept(const struct akl_wl_entry *e, void *ctx)
{
	const struct exec_wl_entry *x = container_of(e, struct exec_wl_entry, e);
	const struct exec_args *a = ctx;
	u32 i;

	if (!x->prefix)
		return true;
	if (x->prefix_len >= a->len)
		return false;
	for (i = 0; i < x->prefix_len; i++)
		if (a->buf[i] != (x->prefix[i] == ' ' ? '\0' : x->prefix[i]))
			return false;
	return a->buf[i] == '\0';
}

/*
 * Context: the exec's task_work: the start of the command line is read
 * (with faults) before the lookup, which holds rcu_read_lock(); the file
 * is then looked up again from the initial root.
 */
static bool whitelisted(const char *exe, u32 len, const struct cred *cred,
			unsigned long arg_start, unsigned long arg_end,
			struct file *file)
{
	struct exec_args args;

	if (!READ_ONCE(exec_whitelist_root) &&
	    (uid_eq(cred->uid, GLOBAL_ROOT_UID) ||
	     uid_eq(cred->euid, GLOBAL_ROOT_UID)))
		return false;
	args.len = arg_end > arg_start ?
		   min(arg_end - arg_start, sizeof(args.buf)) : 0;
	if (copy_from_user(args.buf, (void __user *)arg_start, args.len))
		args.len = 0;
	return akl_wl_match(&akl_wl_exec_whitelist, exe, len,
			    akl_wl_hash(exe, len), exec_wl_accept, &args) &&
	       akl_is_file_at_init(exe, file);
}

/* How akl_rec_argv_area() reads the command line. */
static int argv_read(char *dst, unsigned long src, unsigned long n,
		     struct task_struct *remote, bool may_fault)
{
	if (remote)
		return access_process_vm(remote, src, dst, n, 0) == n ? 0 : -EFAULT;
	if (may_fault)
		return copy_from_user(dst, (void __user *)src, n) ? -EFAULT : 0;
	return copy_from_user_nofault(dst, (void __user *)src, n);
}

/**
 * akl_rec_argv_area() - append a process's command line
 * @r: the record
 * @aux: AKL_AUX_SIZE bytes of scratch
 * @argc: the number of arguments, or -1 if not known (no argc field)
 * @start: where the arguments start in user memory
 * @end: where they end
 * @remote: the process whose memory it is, NULL for the current one
 * @may_fault: the current process's memory may be read with faults
 *
 * Fields argc, argv_len (bytes of the command line, arguments joined by
 * one separator), argv_trunc when it exceeds exec_argv_max, and argv:
 * the arguments separated by spaces, each one escaped with its own spaces
 * as \x20. The arguments are NUL-separated in [start, end), read with
 * faults (@may_fault or @remote, process context) or without (atomic).
 * At most exec_argv_max bytes are read.
 */
void akl_rec_argv_area(struct akl_rec *r, char *aux, int argc,
		       unsigned long start, unsigned long end,
		       struct task_struct *remote, bool may_fault)
{
	unsigned long total = end > start ? end - start : 0;
	unsigned long want = min_t(unsigned long, total, READ_ONCE(exec_argv_max));
	unsigned long off, n, esc;
	bool fault = false;

	if (argc >= 0)
		akl_rec_u64(r, AKL_K_ARGC, argc);
	akl_rec_u64(r, AKL_K_ARGV_LEN, total ? total - 1 : 0);
	if (want < total)
		akl_rec_u64(r, AKL_K_ARGV_TRUNC, 1);
	if (!akl_rec_open_str(r, AKL_K_ARGV, AKL_ESC_ARGV))
		return;
	for (off = 0; off < want; off += n) {
		n = min_t(unsigned long, want - off, AKL_AUX_SIZE);
		if (argv_read(aux, start + off, n, remote, may_fault)) {
			fault = true;
			break;
		}
		/* The last argument's NUL ends the list; it separates nothing. */
		esc = off + n == total ? n - 1 : n;
		if (akl_rec_append(r, aux, esc) < esc)
			break;
	}
	akl_rec_close_str(r);
	if (fault)
		akl_rec_u64(r, AKL_K_ARGV_FAULT, 1);
}

/* Work items: what a hook hands over to its task_work */

/* The names a successful exec was asked for: filename and interpreter. */
#define NAMES_MAX	(PATH_MAX + 256)
#define POOL_MAX	4096

static unsigned int exec_pool = 128;
module_param(exec_pool, uint, 0444);
MODULE_PARM_DESC(exec_pool,
		 "Execs that can be between their hook and their record at once, 0 to 4096; past them, records have no paths (default 128)");

/**
 * struct exec_work - an exec to log when its task returns to user space
 * @cb: the task_work
 * @file: successful exec: the file executed (a reference)
 * @argc: successful exec: the number of arguments
 * @path_len: successful exec: bytes of the filename in @names
 * @interp_len: successful exec: bytes of the interpreter after it, or 0
 * @names_trunc: successful exec: @names could not hold them whole
 * @start_ns: successful exec: when it happened (CLOCK_BOOTTIME)
 * @err: failed exec: the error
 * @at: failed exec: 1 for execveat (dirfd, filename, argv), 0 for execve
 * @compat: failed exec: a 32-bit system call (32-bit argv pointers)
 * @args: failed exec: the system call's first three arguments
 * @names: successful exec: the filename, then the interpreter
 */
struct exec_work {
	struct callback_head cb;
	struct file *file;
	int argc;
	u16 path_len;
	u16 interp_len;
	bool names_trunc;
	u64 start_ns;
	long err;
	int at;
	bool compat;
	unsigned long args[3];
	char names[NAMES_MAX];
};

static struct exec_work *pool;
static unsigned int *pool_free;	/* a stack of free items' indices */
static unsigned int pool_nfree;
static DEFINE_RAW_SPINLOCK(pool_lock);
static atomic_long_t unresolved = ATOMIC_LONG_INIT(0);

AKL_PARAM_COUNTER(exec_unresolved, unresolved);
MODULE_PARM_DESC(exec_unresolved,
		 "Read-only: exec records made without paths (no work item free): exe=unknown unresolved=1");

/* A free item, holding a module reference; NULL if none. Context: any. */
static struct exec_work *work_get(void)
{
	struct exec_work *w = NULL;
	unsigned long flags;

	if (!try_module_get(THIS_MODULE))
		return NULL;
	raw_spin_lock_irqsave(&pool_lock, flags);
	if (pool_nfree)
		w = &pool[pool_free[--pool_nfree]];
	raw_spin_unlock_irqrestore(&pool_lock, flags);
	if (!w) {
		module_put(THIS_MODULE);
		return NULL;
	}
	w->file = NULL;
	return w;
}

/* Gives an item back; the caller then drops the module reference. */
static void work_release(struct exec_work *w)
{
	unsigned long flags;

	if (w->file)
		fput(w->file);
	raw_spin_lock_irqsave(&pool_lock, flags);
	pool_free[pool_nfree++] = w - pool;
	raw_spin_unlock_irqrestore(&pool_lock, flags);
}

static void exec_work_run(struct callback_head *cb);

/* Context: a hook, in the task that execs. Return: false if not queued. */
static bool work_queue(struct exec_work *w)
{
	init_task_work(&w->cb, exec_work_run);
	if (!task_work_add(current, &w->cb, TWA_RESUME))
		return true;
	work_release(w);
	module_put(THIS_MODULE);
	return false;
}

/* Successful execs */

/* What the tracepoint keeps of the names, which go with the linux_binprm. */
static void save_names(struct exec_work *w, const struct linux_binprm *bprm)
{
	ssize_t n = strscpy(w->names, bprm->filename, NAMES_MAX);

	w->names_trunc = n < 0;
	w->path_len = n < 0 ? NAMES_MAX - 1 : n;
	w->interp_len = 0;
	/* A #! script or binfmt_misc: interp names what really ran. */
	if (bprm->interp == bprm->filename || w->names_trunc)
		return;
	n = strscpy(w->names + w->path_len, bprm->interp,
		    NAMES_MAX - w->path_len);
	w->names_trunc = n < 0;
	w->interp_len = n < 0 ? NAMES_MAX - 1 - w->path_len : n;
}

/*
 * The part of the record that the tracepoint and the work share: the
 * actor with the program's exec id (the table has it by now), the exec id
 * it replaced, the ids that the actor fields leave out, the path asked for.
 */
static void rec_exec_head(struct akl_rec *r, const char *path, size_t path_len)
{
	const struct cred *cred = current_cred();
	struct akl_proc_info pi;

	akl_rec_name(r, AKL_K_RESULT, "ok");
	akl_proc_get(current, &pi, NULL, 0);
	akl_rec_actor(r, &pi);
	akl_rec_exec_id(r, AKL_K_PARENT_EXEC_ID, pi.parent_exec_id);
	akl_rec_u64(r, AKL_K_SUID, __kuid_val(cred->suid));
	akl_rec_u64(r, AKL_K_SGID, __kgid_val(cred->sgid));
	akl_rec_u64(r, AKL_K_FSUID, __kuid_val(cred->fsuid));
	akl_rec_u64(r, AKL_K_FSGID, __kgid_val(cred->fsgid));
	akl_rec_mem(r, AKL_K_PATH, path, path_len, 0);
}

/*
 * What was executed, which its path alone does not say: its device and
 * inode, mode and owner, and its file capabilities if it has any (the
 * security.capability attribute: permitted, inheritable, effective bit,
 * and the root uid of a namespaced one).
 * Context: process, may sleep (the attribute is read).
 */
static void rec_exe_identity(struct akl_rec *r, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct vfs_ns_cap_data caps;
	u32 magic, rev;
	u64 p, i;
	ssize_t n;

	akl_rec_dev(r, AKL_K_EXE_DEV, MAJOR(inode->i_sb->s_dev),
		    MINOR(inode->i_sb->s_dev));
	akl_rec_u64(r, AKL_K_EXE_INO, inode->i_ino);
	akl_rec_oct(r, AKL_K_EXE_MODE, inode->i_mode);
	akl_rec_u64(r, AKL_K_EXE_UID, __kuid_val(inode->i_uid));
	akl_rec_u64(r, AKL_K_EXE_GID, __kgid_val(inode->i_gid));
	n = akl_read_xattr(file->f_path.dentry, XATTR_NAME_CAPS, &caps,
			   sizeof(caps));
	if (n < (ssize_t)XATTR_CAPS_SZ_1)
		return;
	magic = le32_to_cpu(caps.magic_etc);
	rev = magic & VFS_CAP_REVISION_MASK;
	p = le32_to_cpu(caps.data[0].permitted);
	i = le32_to_cpu(caps.data[0].inheritable);
	if (rev == VFS_CAP_REVISION_2 || rev == VFS_CAP_REVISION_3) {
		if (n < (ssize_t)XATTR_CAPS_SZ_2)
			return;
		p |= (u64)le32_to_cpu(caps.data[1].permitted) << 32;
		i |= (u64)le32_to_cpu(caps.data[1].inheritable) << 32;
	} else if (rev != VFS_CAP_REVISION_1) {
		return;
	}
	akl_rec_hex(r, AKL_K_EXE_CAP_P, p);
	akl_rec_hex(r, AKL_K_EXE_CAP_I, i);
	akl_rec_u64(r, AKL_K_EXE_CAP_E, !!(magic & VFS_CAP_FLAGS_EFFECTIVE));
	if (rev == VFS_CAP_REVISION_3 && n >= (ssize_t)XATTR_CAPS_SZ_3)
		akl_rec_u64(r, AKL_K_EXE_CAP_ROOTID, le32_to_cpu(caps.rootid));
}

/*
 * A #! script (or a binfmt_misc file): the script's own path, resolved as
 * the exec resolved @name, relative to the working directory. @aux gets
 * the path.
 * Context: process, may sleep.
 */
static void rec_script(struct akl_rec *r, const char *name, size_t len,
		       char *aux)
{
	struct path path;
	char *p = NULL;

	if (len < AKL_AUX_SIZE) {
		memcpy(aux, name, len);
		aux[len] = '\0';
		if (!kern_path(aux, LOOKUP_FOLLOW, &path)) {
			p = d_path(&path, aux, AKL_AUX_SIZE);
			path_put(&path);
		}
	}
	akl_rec_dpath(r, AKL_K_SCRIPT, p, aux);
}

/* No work item: the record at once, in the tracepoint, without paths. */
static void exec_log_now(struct linux_binprm *bprm)
{
	struct mm_struct *mm = current->mm;
	struct akl_rec *r;

	r = akl_log_begin(AKL_T_EXEC);
	if (!r)
		return;
	rec_exec_head(r, bprm->filename, strnlen(bprm->filename, PATH_MAX));
	akl_rec_name(r, AKL_K_EXE, "unknown");
	if (bprm->interp != bprm->filename)
		akl_rec_str(r, AKL_K_INTERP, bprm->interp, PATH_MAX);
	akl_rec_name(r, AKL_K_CWD, "unknown");
	akl_rec_u64(r, AKL_K_UNRESOLVED, 1);
	akl_rec_argv_area(r, akl_log_aux(r), bprm->argc,
			  mm ? READ_ONCE(mm->arg_start) : 0,
			  mm ? READ_ONCE(mm->arg_end) : 0, NULL, false);
	akl_log_commit(r);
}

static void exec_tp(void *data, struct task_struct *p, pid_t old_pid,
		    struct linux_binprm *bprm)
{
	struct exec_work *w = work_get();

	if (w) {
		w->file = get_file(bprm->file);
		w->argc = bprm->argc;
		w->start_ns = ktime_get_boottime_ns();
		w->err = 0;
		save_names(w, bprm);
		if (work_queue(w))
			return;
	}
	/* What ran before must not stay in the table. */
	akl_proc_exec(NULL);
	atomic_long_inc(&unresolved);
	if (READ_ONCE(execlog))
		exec_log_now(bprm);
}

/*
 * Context: the task that exec'd, returning to user space (or exiting,
 * without mm and fs then); may sleep.
 */
static void exec_done(struct exec_work *w)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = 0, end = 0;
	size_t exe_len = 0, cwd_len = 0;
	char *buf, *exe = NULL, *cwd;
	struct akl_exe *prog;
	struct akl_rec *r;
	bool hidden;

	buf = kmalloc(3 * AKL_AUX_SIZE, GFP_KERNEL);
	if (buf) {
		exe = d_path(&w->file->f_path, buf, AKL_AUX_SIZE);
		if (IS_ERR(exe))
			exe = NULL;
		else
			exe_len = buf + AKL_AUX_SIZE - 1 - exe;
	}
	if (mm) {
		start = READ_ONCE(mm->arg_start);
		end = READ_ONCE(mm->arg_end);
	}
	/* Its exit follows its exec: hidden too, if the exec is. */
	hidden = READ_ONCE(execlog) && exe &&
		 whitelisted(exe, exe_len, current_cred(), start, end, w->file);
	prog = akl_exe_new(exe, exe_len, w->start_ns, w->file);
	if (prog && hidden)
		akl_exe_hide(prog);
	akl_proc_exec(prog);
	if (!READ_ONCE(execlog) || hidden)
		goto out;
	if (!buf) {
		akl_log_lost_add(1);
		goto out;
	}
	cwd = akl_cwd_path(buf + AKL_AUX_SIZE);
	if (cwd)
		cwd_len = buf + 2 * AKL_AUX_SIZE - 1 - cwd;
	/* 1024 bytes for the other fields, and room for a script's path. */
	r = akl_log_alloc(AKL_T_EXEC, 1024 + w->path_len + w->interp_len +
			  exe_len + cwd_len + min_t(unsigned long, end - start,
						    READ_ONCE(exec_argv_max)) +
			  (w->interp_len ? AKL_AUX_SIZE : 0));
	if (!r) {
		akl_log_lost_add(1);
		goto out;
	}
	rec_exec_head(r, w->names, w->path_len);
	akl_rec_dpath(r, AKL_K_EXE, exe, buf);
	rec_exe_identity(r, w->file);
	if (w->interp_len) {
		akl_rec_mem(r, AKL_K_INTERP, w->names + w->path_len,
			    w->interp_len, 0);
		rec_script(r, w->names, w->path_len, buf + 2 * AKL_AUX_SIZE);
	}
	if (w->names_trunc)
		akl_rec_u64(r, AKL_K_PATH_TRUNC, 1);
	akl_rec_dpath(r, AKL_K_CWD, cwd, buf + AKL_AUX_SIZE);
	/* The paths are in the record: buf is scratch again. */
	akl_rec_argv_area(r, buf, w->argc, start, end, NULL, true);
	akl_log_store_free(r);
out:
	kfree(buf);
}

/* Failed execs */

/*
 * Every failure is worth a record, but a missing file: shells and execvp()
 * try each directory of PATH in turn.
 */
static bool exec_err_logged(long err)
{
	return err < 0 && READ_ONCE(execlog) &&
	       (err != -ENOENT || READ_ONCE(exec_log_enoent));
}

/* "result=E2BIG errno=7"; an error without a name: "result=error". */
static void rec_exec_err(struct akl_rec *r, long err)
{
	const char *name = akl_errno_name(err);

	akl_rec_name(r, AKL_K_RESULT, name ?: "error");
	akl_rec_s64(r, AKL_K_ERRNO, -err);
}

/* Context: the task whose exec failed, returning to user space; may sleep. */
static void exec_failed_done(struct exec_work *w)
{
	struct akl_args *args;
	struct akl_rec *r = NULL;
	char *aux;
	long n;

	aux = kmalloc(AKL_AUX_SIZE, GFP_KERNEL);
	args = akl_args_alloc();
	if (aux && args)
		r = akl_log_alloc(AKL_T_EXEC, AKL_PAYLOAD_MAX);
	if (!r) {
		akl_log_lost_add(1);
		goto out;
	}
	rec_exec_err(r, w->err);
	akl_rec_actor(r, NULL);
	n = strncpy_from_user(aux, (const char __user *)w->args[w->at],
			      AKL_AUX_SIZE);
	if (n >= 0)
		akl_rec_mem(r, AKL_K_PATH, aux, n, 0);
	else
		akl_rec_name(r, AKL_K_PATH, "unknown");
	if (w->at)
		akl_rec_s64(r, AKL_K_DIRFD, (int)w->args[0]);
	/* Read after the call: another thread may have changed them since. */
	akl_rec_name(r, AKL_K_ARGS_READ, "after");
	akl_rec_cwd(r, aux);
	akl_rec_argv_array(r, args, aux,
			   (const void __user *)w->args[w->at + 1], w->compat);
	akl_log_store_free(r);
out:
	akl_args_free(args);
	kfree(aux);
}

static void exec_work_run(struct callback_head *cb)
{
	struct exec_work *w = container_of(cb, struct exec_work, cb);

	if (w->err)
		exec_failed_done(w);
	else
		exec_done(w);
	work_release(w);
	/* The last use of this module's memory by this work. */
	module_put(THIS_MODULE);
}

/*
 * Logs a failed execve (at = 0: filename, argv are arguments 0, 1) or
 * execveat (at = 1: dirfd, filename, argv), in the work item's task_work.
 */
static void exec_failed(struct pt_regs *regs, int at)
{
	long err = regs_return_value(regs);
	unsigned long args[6];
	struct exec_work *w;
	struct akl_rec *r;

	if (!exec_err_logged(err))
		return;
	syscall_get_arguments(current, task_pt_regs(current), args);
	w = work_get();
	if (w) {
		w->err = err;
		w->at = at;
		w->compat = in_compat_syscall();
		memcpy(w->args, args, sizeof(w->args));
		if (work_queue(w))
			return;
	}
	atomic_long_inc(&unresolved);
	r = akl_log_begin(AKL_T_EXEC);
	if (!r)
		return;
	rec_exec_err(r, err);
	akl_rec_actor(r, NULL);
	akl_rec_name(r, AKL_K_PATH, "unknown");
	akl_rec_name(r, AKL_K_CWD, "unknown");
	akl_rec_u64(r, AKL_K_UNRESOLVED, 1);
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

NOKPROBE_SYMBOL(execve_ret);
NOKPROBE_SYMBOL(execveat_ret);

/*
 * The tracepoint is attached for as long as the module is loaded: it also
 * keeps the process table's paths (netlog needs them with execlog off).
 */
static struct akl_hook exec_tp_hook = {
	.names = { "sched_process_exec" },
	.kind = AKL_TRACEPOINT,
	.tp_func = exec_tp,
};

static struct akl_hook exec_hooks[] = {
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

/*
 * Waits for the work items in flight. Only module init's unwinding can
 * find any: each holds a module reference, which keeps the module (and so
 * its exit) from going.
 */
static void pool_drain(void)
{
	unsigned int n, waited = 0;

	for (;;) {
		raw_spin_lock_irq(&pool_lock);
		n = pool_nfree;
		raw_spin_unlock_irq(&pool_lock);
		if (n == exec_pool)
			return;
		if (++waited % 500 == 0)
			pr_warn("waiting for %u execs to return to user space\n",
				exec_pool - n);
		msleep(20);
	}
}

int akl_execlog_init(void)
{
	unsigned int i;
	int ret;

	if (exec_pool > POOL_MAX) {
		pr_err("exec_pool: %u is more than %u\n", exec_pool, POOL_MAX);
		return -EINVAL;
	}
	pool = kvcalloc(exec_pool, sizeof(*pool), GFP_KERNEL);
	pool_free = kvcalloc(exec_pool, sizeof(*pool_free), GFP_KERNEL);
	ret = -ENOMEM;
	if ((!pool || !pool_free) && exec_pool)
		goto err_free_pool;
	for (i = 0; i < exec_pool; i++)
		pool_free[i] = i;
	pool_nfree = exec_pool;
	ret = akl_hook_attach(&exec_tp_hook);
	if (ret)
		goto err_free_pool;
	ret = akl_hooks_attach(exec_hooks, ARRAY_SIZE(exec_hooks));
	if (ret)
		goto err_detach_tp;
	return 0;

err_detach_tp:
	akl_hook_detach(&exec_tp_hook);
	akl_hooks_sync();
	pool_drain();
err_free_pool:
	kvfree(pool_free);
	kvfree(pool);
	return ret;
}

void akl_execlog_exit(void)
{
	akl_hooks_detach(exec_hooks, ARRAY_SIZE(exec_hooks));
	akl_hook_detach(&exec_tp_hook);
	akl_hooks_sync();
	pool_drain();
	kvfree(pool_free);
	kvfree(pool);
	akl_wl_param_free(&akl_wl_exec_whitelist);
}
