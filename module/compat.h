/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the one place where kernel differences are handled
 *
 * Core files use what is defined here and never test kernel versions.
 */
#ifndef _AKL_COMPAT_H
#define _AKL_COMPAT_H

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/sched.h>
#include <linux/xattr.h>

/*
 * struct mnt_namespace is private to fs/ (fs/mount.h) and no exported
 * function gives its inode number. Since 5.11 its first member is its
 * struct ns_common, which took over its reference count; before, its own
 * atomic_t count came first. Kbuild sets AKL_MNT_NS_OWN_COUNT when struct
 * ns_common has no refcount_t (5.10). The guest test t-15-compat checks the
 * value against /proc/self/ns/mnt on every kernel of the matrix.
 */
struct akl_mnt_ns_head {
#ifdef AKL_MNT_NS_OWN_COUNT
	atomic_t count;
#endif
	struct ns_common ns;
};

static inline unsigned int akl_mnt_ns_inum(struct task_struct *task)
{
	struct nsproxy *nsp = READ_ONCE(task->nsproxy);

	if (!nsp || !nsp->mnt_ns)
		return 0;
	return ((struct akl_mnt_ns_head *)nsp->mnt_ns)->ns.inum;
}

/*
 * A counted reference to a process's executable; get_mm_exe_file() is not
 * exported. Since 6.7 a struct file may be freed and reused within an RCU
 * grace period (SLAB_TYPESAFE_BY_RCU): get_file_rcu() then takes the slot
 * whose pointer it rechecks after taking the reference. Before, files were
 * freed after a grace period, and get_file_rcu() was a plain
 * increment-unless-zero of the counter (AKL_GET_FILE_RCU_PTR is set by
 * Kbuild from the kernel's headers).
 */
static inline struct file *akl_get_mm_exe_file(struct mm_struct *mm)
{
	struct file *file;

	rcu_read_lock();
#ifdef AKL_GET_FILE_RCU_PTR
	file = get_file_rcu(&mm->exe_file);
#else
	file = rcu_dereference(mm->exe_file);
	if (file && !get_file_rcu(file))
		file = NULL;
#endif
	rcu_read_unlock();
	return file;
}

/*
 * The sched_process_exit tracepoint's probe. Since 6.16 the tracepoint
 * also passes whether the thread group is dead (AKL_EXIT_TP_GROUP_DEAD is
 * set by Kbuild from the kernel's headers); the probe does not use it.
 */
#ifdef AKL_EXIT_TP_GROUP_DEAD
#define AKL_EXIT_TP_FUNC(name) \
	void name(void *data, struct task_struct *p, bool group_dead)
#else
#define AKL_EXIT_TP_FUNC(name) \
	void name(void *data, struct task_struct *p)
#endif

/*
 * vfs_path_lookup() is exported on every kernel we support but declared
 * in <linux/namei.h> only since 5.11 (AKL_NO_VFS_PATH_LOOKUP_DECL is set
 * by Kbuild from the kernel's headers).
 */
#ifdef AKL_NO_VFS_PATH_LOOKUP_DECL
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/* An extended attribute, read without permission checks (the kernel's). */
static inline ssize_t akl_read_xattr(struct dentry *dentry, const char *name,
				     void *buf, size_t size)
{
	return __vfs_getxattr(dentry, d_inode(dentry), name, buf, size);
}

#ifdef CONFIG_COMPAT
#define akl_compat_ptr(p)	compat_ptr(p)
#else
#define akl_compat_ptr(p)	((void __user *)(unsigned long)(p))
#endif

#endif /* _AKL_COMPAT_H */
