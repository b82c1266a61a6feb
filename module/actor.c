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
 * akl_current_exe() - the current process's executable
 * @aux: AKL_AUX_SIZE bytes of scratch, where the path is copied
 *
 * The path resolved at the process's exec (or at load), kept in the
 * process table: no path is resolved here.
 *
 * Context: any task context, atomic included.
 * Return: the path, NUL-terminated inside @aux, or NULL if unknown.
 */
char *akl_current_exe(char *aux)
{
	return akl_proc_exe(aux, AKL_AUX_SIZE);
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
	akl_rec_dpath(r, "cwd", akl_cwd_path(aux), aux);
}
