// SPDX-License-Identifier: GPL-2.0-only
/*
 * actor.c - the fields that name who did something
 *
 * Every record carries the identity of the current task: process ids,
 * credentials, the audit login uid and session (what traces sudo back to
 * a person), the controlling tty, the command name, the namespace and
 * cgroup ids that tell containers apart, and the exec id of the program it
 * runs, which joins the record to that program's exec record. Probe handlers call this in
 * atomic context, so it takes no lock that may sleep (on PREEMPT_RT the
 * task and sighand locks do) and reads the tty's name with a nofault copy.
 * Paths are the exception: they are resolved only where sleeping is
 * allowed (akl_cwd_path(), execlog.c's task_work), and probe handlers take the
 * executable's from the process table (akl_current_exe()).
 */
#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/tty.h>
#include <linux/uaccess.h>

#include "actor.h"
#include "compat.h"
#include "proctab.h"
#include "secure_log.h"

static void rec_tty(struct akl_rec *r, const struct task_struct *t)
{
	struct tty_struct *tty = READ_ONCE(t->signal->tty);
	char name[sizeof(tty->name)];

	/* The tty may be hung up and released under us: copy, don't read. */
	if (!tty || copy_from_kernel_nofault(name, tty->name, sizeof(name))) {
		akl_rec_name(r, AKL_K_TTY, "none");
		return;
	}
	akl_rec_word(r, AKL_K_TTY, name, sizeof(name));
}

/**
 * akl_rec_task() - append a task's identity to a record
 * @r: the record
 * @t: the task: current, or one the caller holds a reference to
 * @pi: @t's entry in the process table if the caller looked it up, or NULL
 *
 * Fields: pid ppid sid uid gid euid egid auid ses tty comm pidns mntns
 * cgroup exec_id. Ids are as seen from the initial namespaces; exec_id is
 * the program its process runs (proctab.c). An exec id is this load's id
 * and a number, "LOAD-N": unique across loads and reboots.
 *
 * Context: any task context, atomic included; never sleeps.
 */
void akl_rec_task(struct akl_rec *r, struct task_struct *t,
		  const struct akl_proc_info *pi)
{
	const struct cred *cred;
	struct pid_namespace *ns;
	struct akl_proc_info own;
	char comm[TASK_COMM_LEN];
	kuid_t uid, euid;
	kgid_t gid, egid;
	pid_t ppid, sid;
	u64 cgroup = 0;
	unsigned int pidns;

	rcu_read_lock();
	cred = __task_cred(t);
	uid = cred->uid;
	gid = cred->gid;
	euid = cred->euid;
	egid = cred->egid;
	ppid = task_tgid_nr(rcu_dereference(t->real_parent));
	sid = pid_nr(task_session(t));
	ns = task_active_pid_ns(t);
	pidns = ns ? ns->ns.inum : 0;
#ifdef CONFIG_CGROUPS
	cgroup = cgroup_id(task_dfl_cgroup(t));
#endif
	rcu_read_unlock();

	akl_rec_u64(r, AKL_K_PID, task_tgid_nr(t));
	akl_rec_u64(r, AKL_K_PPID, ppid);
	akl_rec_u64(r, AKL_K_SID, sid);
	/*
	 * A kuid_t is the id as the initial user namespace sees it (its map
	 * is the identity): from_kuid(&init_user_ns, ...) would walk that map
	 * for the same value, five times a record.
	 */
	akl_rec_u64(r, AKL_K_UID, __kuid_val(uid));
	akl_rec_u64(r, AKL_K_GID, __kgid_val(gid));
	akl_rec_u64(r, AKL_K_EUID, __kuid_val(euid));
	akl_rec_u64(r, AKL_K_EGID, __kgid_val(egid));
	akl_rec_u64(r, AKL_K_AUID, __kuid_val(audit_get_loginuid(t)));
	akl_rec_u64(r, AKL_K_SES, audit_get_sessionid(t));
	rec_tty(r, t);
	/* comm can change under us; a torn copy is still bounded. */
	memcpy(comm, t->comm, sizeof(comm));
	akl_rec_str(r, AKL_K_COMM, comm, sizeof(comm));
	akl_rec_u64(r, AKL_K_PIDNS, pidns);
	akl_rec_u64(r, AKL_K_MNTNS, akl_mnt_ns_inum(t));
	akl_rec_u64(r, AKL_K_CGROUP, cgroup);
	if (!pi) {
		akl_proc_get(t, &own, NULL, 0);
		pi = &own;
	}
	akl_rec_exec_id(r, AKL_K_EXEC_ID, pi->exec_id);
}

/**
 * akl_rec_actor() - append the current task's identity to a record
 * @r: the record
 * @pi: its process table entry, if the caller looked it up, or NULL
 *
 * The fields of akl_rec_task().
 *
 * Context: any task context, atomic included; never sleeps.
 */
void akl_rec_actor(struct akl_rec *r, const struct akl_proc_info *pi)
{
	akl_rec_task(r, current, pi);
}

/**
 * akl_rec_path() - append a path of known length
 * @r: the record
 * @key: the field's name
 * @p: the path, or NULL if it is not known
 * @len: its length
 *
 * A path that could not be resolved (too long, no path) is written as the
 * bare word "unknown"; a real path is always quoted.
 */
void akl_rec_path(struct akl_rec *r, u8 key, const char *p, size_t len)
{
	if (p)
		akl_rec_mem(r, key, p, len, 0);
	else
		akl_rec_name(r, key, "unknown");
}

/**
 * akl_rec_dpath() - append a path that d_path() resolved into @aux
 * @r: the record
 * @key: the field's name
 * @p: what d_path() returned (or NULL)
 * @aux: the AKL_AUX_SIZE buffer it wrote into
 *
 * As akl_rec_path(); the path ends at its NUL, inside @aux.
 */
void akl_rec_dpath(struct akl_rec *r, u8 key, const char *p, const char *aux)
{
	if (IS_ERR_OR_NULL(p))
		akl_rec_path(r, key, NULL, 0);
	else
		akl_rec_path(r, key, p, strnlen(p, aux + AKL_AUX_SIZE - p));
}

/**
 * akl_current_exe() - the current process's executable
 * @aux: AKL_AUX_SIZE bytes of scratch, where the path is copied
 * @pi: set to its process table entry (for akl_rec_actor())
 *
 * The path resolved at the process's exec (or at load), kept in the
 * process table: no path is resolved here.
 *
 * Context: any task context, atomic included.
 * Return: the path, NUL-terminated inside @aux, or NULL if unknown.
 */
char *akl_current_exe(char *aux, struct akl_proc_info *pi)
{
	return akl_proc_get(current, pi, aux, AKL_AUX_SIZE);
}

/**
 * akl_cwd_path() - resolve the current working directory
 * @aux: AKL_AUX_SIZE bytes of scratch, where the path is written
 *
 * Context: process, may sleep (fs->lock and d_path()).
 * Return: the path, NUL-terminated inside @aux, or NULL if unknown.
 */
char *akl_cwd_path(char *aux)
{
	struct fs_struct *fs = current->fs;
	struct path pwd;
	char *p;

	might_sleep();
	if (!fs)
		return NULL;
	get_fs_pwd(fs, &pwd);
	p = d_path(&pwd, aux, AKL_AUX_SIZE);
	path_put(&pwd);
	return IS_ERR(p) ? NULL : p;
}

/**
 * akl_rec_cwd() - append the current working directory
 * @r: the record
 * @aux: AKL_AUX_SIZE bytes of scratch
 *
 * Context: process, may sleep.
 */
void akl_rec_cwd(struct akl_rec *r, char *aux)
{
	akl_rec_dpath(r, AKL_K_CWD, akl_cwd_path(aux), aux);
}
