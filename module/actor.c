// SPDX-License-Identifier: GPL-2.0-only
/*
 * actor.c - the fields that name who did something
 *
 * Every record carries the identity of the current task: process ids,
 * credentials, the audit login uid and session (what traces sudo back to
 * a person), the controlling tty, the command name, and the namespace and
 * cgroup ids that tell containers apart. Probe handlers call this in
 * atomic context, so it takes no lock that may sleep (on PREEMPT_RT the
 * task and sighand locks do) and reads the tty's name with a nofault copy.
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
#include "secure_log.h"

static void rec_tty(struct akl_rec *r)
{
	struct tty_struct *tty = READ_ONCE(current->signal->tty);
	char name[sizeof(tty->name)];

	/* The tty may be hung up and released under us: copy, don't read. */
	if (!tty || copy_from_kernel_nofault(name, tty->name, sizeof(name))) {
		akl_rec_printf(r, " tty=none");
		return;
	}
	akl_rec_word(r, "tty", name, sizeof(name));
}

/**
 * akl_rec_actor() - append the current task's identity to a record
 * @r: the record
 *
 * Fields: pid ppid sid uid gid euid egid auid ses tty comm pidns mntns
 * cgroup. Ids are as seen from the initial namespaces.
 *
 * Context: any task context, atomic included; never sleeps.
 */
void akl_rec_actor(struct akl_rec *r)
{
	const struct cred *cred = current_cred();
	char comm[TASK_COMM_LEN];
	pid_t ppid, sid;
	u64 cgroup = 0;
	unsigned int pidns;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	sid = pid_nr(task_session(current));
	pidns = task_active_pid_ns(current) ?
		task_active_pid_ns(current)->ns.inum : 0;
#ifdef CONFIG_CGROUPS
	cgroup = cgroup_id(task_dfl_cgroup(current));
#endif
	rcu_read_unlock();

	akl_rec_printf(r, "%spid=%d ppid=%d sid=%d uid=%u gid=%u euid=%u egid=%u auid=%u ses=%u",
		       r->len ? " " : "", task_tgid_nr(current), ppid, sid,
		       from_kuid(&init_user_ns, cred->uid),
		       from_kgid(&init_user_ns, cred->gid),
		       from_kuid(&init_user_ns, cred->euid),
		       from_kgid(&init_user_ns, cred->egid),
		       from_kuid(&init_user_ns, audit_get_loginuid(current)),
		       audit_get_sessionid(current));
	rec_tty(r);
	/* comm can change under us; a torn copy is still bounded. */
	memcpy(comm, current->comm, sizeof(comm));
	akl_rec_str(r, "comm", comm, sizeof(comm));
	akl_rec_printf(r, " pidns=%u mntns=%u cgroup=%llu", pidns,
		       akl_mnt_ns_inum(current), cgroup);
}

/**
 * akl_rec_dpath() - append a path that d_path() resolved into @aux
 * @r: the record
 * @key: the field's name
 * @p: what d_path() returned (or NULL)
 * @aux: the AKL_AUX_SIZE buffer it wrote into
 *
 * A path that could not be resolved (too long, no path) is written as the
 * bare word "unknown"; a real path is always quoted.
 */
void akl_rec_dpath(struct akl_rec *r, const char *key, const char *p,
		   const char *aux)
{
	if (IS_ERR_OR_NULL(p))
		akl_rec_printf(r, " %s=unknown", key);
	else
		akl_rec_str(r, key, p, aux + AKL_AUX_SIZE - p);
}

/**
 * akl_rec_path() - append a path, resolved from its dentry and mount
 * @r: the record
 * @key: the field's name
 * @path: the path; the caller keeps it alive, or holds rcu_read_lock()
 * @aux: AKL_AUX_SIZE bytes of scratch (akl_log_aux())
 *
 * Context: any task context, atomic included.
 */
void akl_rec_path(struct akl_rec *r, const char *key, const struct path *path,
		  char *aux)
{
	akl_rec_dpath(r, key, d_path(path, aux, AKL_AUX_SIZE), aux);
}

/**
 * akl_current_exe() - resolve the current process's executable
 * @aux: AKL_AUX_SIZE bytes of scratch, where the path is written
 *
 * get_mm_exe_file() is not exported: the path is resolved under RCU,
 * which keeps the file's memory (and its dentry and mount) alive.
 *
 * Context: any task context, atomic included.
 * Return: the path, NUL-terminated inside @aux, or NULL if unknown.
 */
char *akl_current_exe(char *aux)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	char *p = NULL;

	rcu_read_lock();
	exe = mm ? rcu_dereference(mm->exe_file) : NULL;
	if (exe)
		p = d_path(&exe->f_path, aux, AKL_AUX_SIZE);
	rcu_read_unlock();
	return IS_ERR(p) ? NULL : p;
}

/**
 * akl_rec_cwd() - append the current working directory
 * @r: the record
 * @aux: AKL_AUX_SIZE bytes of scratch
 *
 * fs->lock may sleep on PREEMPT_RT: the path is read under RCU instead,
 * which a concurrent chdir() by a task sharing our fs_struct may tear
 * into a wrong, but safely resolved, path.
 *
 * Context: any task context, atomic included.
 */
void akl_rec_cwd(struct akl_rec *r, char *aux)
{
	struct fs_struct *fs = current->fs;
	struct path pwd;

	if (!fs) {
		akl_rec_printf(r, " cwd=unknown");
		return;
	}
	rcu_read_lock();
	pwd.mnt = READ_ONCE(fs->pwd.mnt);
	pwd.dentry = READ_ONCE(fs->pwd.dentry);
	akl_rec_path(r, "cwd", &pwd, aux);
	rcu_read_unlock();
}
