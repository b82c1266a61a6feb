// SPDX-License-Identifier: GPL-2.0-only
/*
 * initpath.c - paths as the host's init sees them
 *
 * A whitelist entry names a file by its path on the host. A path names a
 * file only in the mount namespace it is resolved in: a user with user and
 * mount namespaces of their own can mount any program over any path in
 * them. So an entry's path is looked up from the root of init (pid 1 of
 * the initial pid namespace; on 7.x the kernel's own root is not that
 * one), and a program matches the entry only if it runs that very file.
 *
 * Context: process, may sleep (path lookup).
 */
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "initpath.h"

/* The root directory of the host's init (pid 1 of the initial namespace). */
static int init_root(struct path *root)
{
	struct task_struct *init;
	int ret = -ESRCH;

	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return ret;
	task_lock(init);
	if (init->fs) {
		get_fs_root(init->fs, root);
		ret = 0;
	}
	task_unlock(init);
	put_task_struct(init);
	return ret;
}

/*
 * Is @file the file that @path names from the host's root (that of init,
 * in the initial mount namespace)? A path names a file only in the mount
 * namespace it was resolved in: a user in a user and mount namespace of
 * their own can mount anything over a whitelisted path. The entry names
 * the host's file, so the file executed must be that one, as it is now.
 * A file on a mount that a user namespace owns (in a rootless container)
 * never is.
 * Context: process, may sleep.
 */
bool akl_is_file_at_init(const char *path, const struct file *file)
{
	struct path root, p;
	bool same = false;

	if (file->f_path.mnt->mnt_sb->s_user_ns != &init_user_ns ||
	    init_root(&root))
		return false;
	if (!vfs_path_lookup(root.dentry, root.mnt, path, LOOKUP_FOLLOW, &p)) {
		same = d_inode(p.dentry) == file_inode(file);
		path_put(&p);
	}
	path_put(&root);
	return same;
}

/**
 * akl_init_path_id() - the file a path names from init's root
 * @path: an absolute path
 * @dev: set to its file system's device, 0 if there is no such file
 * @ino: set to its inode number, 0 if there is no such file
 *
 * A file on a mount that a user namespace owns gets no identity.
 *
 * Context: process, may sleep.
 */
void akl_init_path_id(const char *path, dev_t *dev, u64 *ino)
{
	struct path root, p;

	*dev = 0;
	*ino = 0;
	if (init_root(&root))
		return;
	if (!vfs_path_lookup(root.dentry, root.mnt, path, LOOKUP_FOLLOW, &p)) {
		if (p.mnt->mnt_sb->s_user_ns == &init_user_ns) {
			*dev = p.mnt->mnt_sb->s_dev;
			*ino = d_inode(p.dentry)->i_ino;
		}
		path_put(&p);
	}
	path_put(&root);
}
