/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proctab.h - what each process runs: its program's exec id and path
 */
#ifndef _AKL_PROCTAB_H
#define _AKL_PROCTAB_H

#include <linux/sched.h>
#include <linux/types.h>

struct akl_exe;

/**
 * struct akl_proc_info - a process's program, as the table knows it
 * @exec_id: its exec id's number (akl_rec_exec_id()), 0 if not known
 * @parent_exec_id: the exec id the process had before it, 0 if not known
 * @start_ns: when the program started (CLOCK_BOOTTIME)
 * @ino: the inode number of the file it runs
 * @dev: the device of that file's file system
 * @hidden: its exec was whitelisted (akl_exe_hide())
 * @path_len: the length of the path akl_proc_get() copied, 0 if none
 * @path_hash: akl_wl_hash() of the path
 */
struct akl_proc_info {
	u64 exec_id;
	u64 parent_exec_id;
	u64 start_ns;
	u64 ino;
	dev_t dev;
	bool hidden;
	u32 path_len;
	u32 path_hash;
};

/* When @t's process started (CLOCK_BOOTTIME). */
static inline u64 akl_task_start_ns(const struct task_struct *t)
{
	return READ_ONCE(t->group_leader)->start_boottime;
}

struct file;

struct akl_exe *akl_exe_new(const char *path, size_t len, u64 start_ns,
			    const struct file *file);
void akl_exe_hide(struct akl_exe *exe);
void akl_exe_put(struct akl_exe *exe);
void akl_proc_exec(struct akl_exe *exe);
char *akl_proc_get(const struct task_struct *t, struct akl_proc_info *pi,
		   char *buf, size_t size);
bool akl_proc_test(const struct task_struct *t,
		   bool (*test)(const char *path, u32 len, u32 hash, dev_t dev,
				u64 ino, void *ctx),
		   void *ctx);
bool akl_proc_exit_once(void);
int akl_proctab_init(void);
struct task_struct **akl_proctab_fill(unsigned int *n);
void akl_proctab_exit(void);

#endif /* _AKL_PROCTAB_H */
