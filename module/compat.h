/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the one place where kernel differences are handled
 *
 * Core files use what is defined here and never test kernel versions.
 */
#ifndef _AKL_COMPAT_H
#define _AKL_COMPAT_H

#include <linux/compat.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/sched.h>

/*
 * struct mnt_namespace is private to fs/; on every kernel we support
 * (6.1 to 6.12) its first member is its struct ns_common.
 */
static inline unsigned int akl_mnt_ns_inum(struct task_struct *task)
{
	struct nsproxy *nsp = READ_ONCE(task->nsproxy);

	if (!nsp || !nsp->mnt_ns)
		return 0;
	return ((struct ns_common *)nsp->mnt_ns)->inum;
}

#ifdef CONFIG_COMPAT
#define akl_compat_ptr(p)	compat_ptr(p)
#else
#define akl_compat_ptr(p)	((void __user *)(unsigned long)(p))
#endif

#endif /* _AKL_COMPAT_H */
