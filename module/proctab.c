// SPDX-License-Identifier: GPL-2.0-only
/*
 * proctab.c - what each process runs: its program's exec id and path
 *
 * DOC: process table
 *
 * Every record names the program run by the process that caused it: its
 * exec id, which joins the record to that program's exec record, and the
 * path of its executable. Resolving a path with d_path() reads rename_lock
 * and mount_lock, which sleep on PREEMPT_RT when a writer holds them, so
 * it never runs in probe context. Instead a program's path is resolved
 * once, where sleeping is allowed: in the task_work that an exec queues
 * (execlog.c), and at load for the processes already running
 * (akl_proctab_fill()). It is kept here, and probe handlers copy it under
 * RCU with akl_proc_get().
 *
 * A program run is a struct akl_exe: an immutable, refcounted record of
 * one exec (its exec id, the exec id the process had before it, when it
 * started, its path) that a process shares with the children it forks
 * until they exec, so a forked child carries its parent's exec id.
 *
 * The table is keyed by the process's struct signal_struct, which its
 * threads share and which an exec by a thread other than the leader keeps:
 * that exec still finds the program it replaces. Lookups take no lock.
 * Updates (fork, exec, task free, load) take a raw spinlock per group of
 * slots, so they may run in any context but NMI, PREEMPT_RT included. A
 * slot is freed by the sched_process_free tracepoint of its thread group
 * leader, the last of its tasks to be released, before its signal_struct
 * can be freed and reused. A process whose group of slots is full has
 * none: its records say exe=unknown exec_id=unknown, and the parameter
 * proc_untracked counts it, each time it goes without one (at load, at its
 * fork, at an exec: a process without a slot has no state to say that it
 * was counted before).
 *
 * No user holds more than PROC_USER_WAYS of a group's slots: a user who
 * starts thousands of processes leaves two slots of every group for other
 * users' processes, and has their own further processes untracked. (Half
 * a group each left a user's 1,000 processes one untracked now and then.)
 * A slot counts for the real uid that claimed it: a forked child's, an
 * exec's caller's (for a process that had no slot), at load the process's
 * own.
 *
 * Memory: proc_table_size slots of 24 bytes (768 KiB by default), and per
 * program run an akl_exe of 56 bytes plus its path, shared by its forked
 * children.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "compat.h"
#include "config.h"
#include "hooks.h"
#include "proctab.h"
#include "whitelist.h"

#define PROC_WAYS	8
#define PROC_USER_WAYS	(PROC_WAYS - 2)
#define PROC_LOCKS	256
#define PROC_SLOTS_MIN	64
#define PROC_SLOTS_MAX	BIT(20)

/**
 * struct akl_exe - one program run: what an exec started
 * @ref: one per table slot (and per user in flight) pointing to it
 * @rcu: frees it after the readers that may still copy it
 * @exec_id: its exec id's number in this load (akl_rec_exec_id())
 * @parent_exec_id: the process's exec id before this exec, 0 if unknown
 * @start_ns: when it started (CLOCK_BOOTTIME)
 * @ino: the inode number of the file executed (for net_whitelist)
 * @dev: the device of that file's file system
 * @hidden: its exec is whitelisted, and so is its exit
 * @hash: akl_wl_hash() of @path: the whitelists' key, hashed once
 * @len: bytes of @path, without its NUL; 0 if the path is not known
 * @path: the path, NUL-terminated
 */
struct akl_exe {
	refcount_t ref;
	struct rcu_head rcu;
	u64 exec_id;
	u64 parent_exec_id;
	u64 start_ns;
	u64 ino;
	dev_t dev;
	bool hidden;
	u32 hash;
	u32 len;
	char path[];
};

/**
 * struct proc_slot - one process
 * @key: its signal_struct, 0 when free
 * @exited: its exit is logged (akl_proc_exit_once())
 * @uid: the real uid whose share it counts in (under the group's lock)
 * @exe: what it runs, or NULL
 */
struct proc_slot {
	unsigned long key;
	u32 exited;
	u32 uid;
	struct akl_exe __rcu *exe;
};

static unsigned int proc_table_size = 32768;
static unsigned int proc_bits;
static struct proc_slot *slots;
static raw_spinlock_t locks[PROC_LOCKS];
static atomic_long_t untracked = ATOMIC_LONG_INIT(0);
static atomic64_t exec_seq = ATOMIC64_INIT(0);

module_param(proc_table_size, uint, 0444);
MODULE_PARM_DESC(proc_table_size,
		 "Processes the process table holds, a power of two from 64 to 1048576 (default 32768)");

AKL_PARAM_COUNTER(proc_untracked, untracked);
MODULE_PARM_DESC(proc_untracked,
		 "Read-only: times a process was left out of the table (its set full, or its user's share of it, or no memory), at load, at its fork or at an exec: its records say exe=unknown");

/**
 * akl_exe_new() - a new program run, with a new exec id
 * @path: its executable's path, or NULL if not known
 * @len: the path's length
 * @start_ns: when it started (CLOCK_BOOTTIME)
 * @file: the file executed: its device and inode tell it from another
 *	file with the same path in another mount namespace
 *
 * Context: process, may sleep.
 * Return: the program with one reference, or NULL without memory.
 */
struct akl_exe *akl_exe_new(const char *path, size_t len, u64 start_ns,
			    const struct file *file)
{
	const struct inode *inode = file_inode(file);

	struct akl_exe *exe;

	if (!path)
		len = 0;
	exe = kmalloc(struct_size(exe, path, len + 1), GFP_KERNEL);
	if (!exe)
		return NULL;
	refcount_set(&exe->ref, 1);
	exe->exec_id = atomic64_inc_return(&exec_seq);
	exe->parent_exec_id = 0;
	exe->start_ns = start_ns;
	exe->ino = inode->i_ino;
	exe->dev = inode->i_sb->s_dev;
	exe->hidden = false;
	exe->len = len;
	memcpy(exe->path, path, len);
	exe->path[len] = '\0';
	exe->hash = akl_wl_hash(exe->path, len);
	return exe;
}

/**
 * akl_exe_hide() - mark a program whose records are whitelisted
 * @exe: the program, not yet in the table
 */
void akl_exe_hide(struct akl_exe *exe)
{
	exe->hidden = true;
}

static void exe_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct akl_exe, rcu));
}

/**
 * akl_exe_put() - drop a reference to a path
 * @exe: the path, or NULL
 *
 * Context: any but NMI.
 */
void akl_exe_put(struct akl_exe *exe)
{
	if (exe && refcount_dec_and_test(&exe->ref))
		call_rcu(&exe->rcu, exe_free_rcu);
}

/* A process's key: what its threads share, and an exec keeps. */
static unsigned long key_of(const struct task_struct *t)
{
	return (unsigned long)READ_ONCE(t->signal);
}

static struct proc_slot *group_of(unsigned long key)
{
	return &slots[hash_long(key, proc_bits) & ~(PROC_WAYS - 1)];
}

static raw_spinlock_t *lock_of(const struct proc_slot *group)
{
	return &locks[(group - slots) / PROC_WAYS % PROC_LOCKS];
}

/* How proc_store() treats a process's slot. */
enum store_how {
	STORE_SET,	/* @exe replaces what it had */
	STORE_EXEC,	/* the same, and @exe's parent is what it replaces */
	STORE_NEW,	/* only if it had none */
};

/*
 * Gives @key's slot the reference @exe holds, as @how says. A process
 * without a slot claims a free one in its group if @uid holds fewer than
 * PROC_USER_WAYS of the group's slots.
 */
static void proc_store(unsigned long key, struct akl_exe *exe,
		       enum store_how how, kuid_t uid)
{
	struct proc_slot *s = group_of(key), *free = NULL;
	raw_spinlock_t *lock = lock_of(s);
	struct akl_exe *old = exe;
	u32 user = __kuid_val(uid);
	unsigned long flags;
	int i, held = 0;

	raw_spin_lock_irqsave(lock, flags);
	for (i = 0; i < PROC_WAYS; i++, s++) {
		if (s->key == key)
			break;
		if (!s->key) {
			if (!free)
				free = s;
		} else if (s->uid == user) {
			held++;
		}
	}
	if (i < PROC_WAYS) {
		if (how == STORE_EXEC) {
			old = rcu_dereference_protected(s->exe,
							lockdep_is_held(lock));
			/* Not yet published: no reader sees it change. */
			exe->parent_exec_id = old ? old->exec_id : 0;
		}
		if (how != STORE_NEW)
			old = rcu_replace_pointer(s->exe, exe,
						  lockdep_is_held(lock));
	} else if (free && held < PROC_USER_WAYS) {
		rcu_assign_pointer(free->exe, exe);
		free->exited = 0;
		free->uid = user;
		/* Pairs with smp_load_acquire() in slot_find(). */
		smp_store_release(&free->key, key);
		old = NULL;
	} else {
		atomic_long_inc(&untracked);
	}
	raw_spin_unlock_irqrestore(lock, flags);
	akl_exe_put(old);
}

static void proc_remove(unsigned long key)
{
	struct proc_slot *s = group_of(key);
	raw_spinlock_t *lock = lock_of(s);
	struct akl_exe *old = NULL;
	unsigned long flags;
	int i;

	/* Every task free comes here: look before taking the lock. */
	for (i = 0; i < PROC_WAYS; i++)
		if (READ_ONCE(s[i].key) == key)
			break;
	if (i == PROC_WAYS)
		return;
	raw_spin_lock_irqsave(lock, flags);
	if (s[i].key == key) {
		old = rcu_replace_pointer(s[i].exe, NULL, lockdep_is_held(lock));
		WRITE_ONCE(s[i].key, 0);
	}
	raw_spin_unlock_irqrestore(lock, flags);
	akl_exe_put(old);
}

/*
 * @key's slot, or NULL; under rcu_read_lock(). The load record is made
 * before the table exists.
 */
static struct proc_slot *slot_find(unsigned long key)
{
	struct proc_slot *s;
	int i;

	if (!READ_ONCE(slots))
		return NULL;
	s = group_of(key);
	for (i = 0; i < PROC_WAYS; i++, s++)
		/* Pairs with smp_store_release() in proc_store(). */
		if (smp_load_acquire(&s->key) == key)
			return s;
	return NULL;
}

/* @key's program; under rcu_read_lock(). */
static struct akl_exe *exe_find(unsigned long key)
{
	struct proc_slot *s = slot_find(key);
	struct akl_exe *exe;

	if (!s)
		return NULL;
	exe = rcu_dereference(s->exe);
	/* Freed and reused meanwhile: not ours. */
	return READ_ONCE(s->key) == key ? exe : NULL;
}

/**
 * akl_proc_exec() - the current process runs a new program
 * @exe: the program, whose reference the table takes over; NULL: unknown
 *	(its path was not resolved, or no memory), counted in proc_untracked
 *
 * The program's parent exec id becomes the exec id the process had.
 *
 * Context: any but NMI.
 */
void akl_proc_exec(struct akl_exe *exe)
{
	if (exe) {
		proc_store(key_of(current), exe, STORE_EXEC, current_uid());
	} else {
		atomic_long_inc(&untracked);
		proc_remove(key_of(current));
	}
}

/**
 * akl_proc_get() - what a process runs
 * @t: a task of the process
 * @pi: its exec ids and start, filled in (exec_id 0: unknown)
 * @buf: where its path is copied, NUL-terminated, or NULL
 * @size: room in @buf
 *
 * Context: any task context, atomic included; takes no lock.
 * Return: @buf, or NULL when the path is not known.
 */
char *akl_proc_get(const struct task_struct *t, struct akl_proc_info *pi,
		   char *buf, size_t size)
{
	struct akl_exe *exe;
	char *p = NULL;

	rcu_read_lock();
	exe = exe_find(key_of(t));
	if (exe) {
		pi->exec_id = exe->exec_id;
		pi->parent_exec_id = exe->parent_exec_id;
		pi->start_ns = exe->start_ns;
		pi->ino = exe->ino;
		pi->dev = exe->dev;
		pi->hidden = exe->hidden;
		pi->path_len = 0;
		pi->path_hash = exe->hash;
		if (buf && exe->len && exe->len < size) {
			memcpy(buf, exe->path, exe->len + 1);
			pi->path_len = exe->len;
			p = buf;
		}
	} else {
		memset(pi, 0, sizeof(*pi));
	}
	rcu_read_unlock();
	return p;
}

/**
 * akl_proc_test() - ask a question of what a process runs
 * @t: a task of the process
 * @test: called with its program's path, the path's length and
 *	akl_wl_hash(), the device and inode number of the file, and @ctx;
 *	under rcu_read_lock(), where the path stays valid. Not called when
 *	the path is not known.
 * @ctx: passed to @test
 *
 * The path is not copied: for a question asked before a record is made,
 * or instead of one.
 *
 * Context: any task context, atomic included; takes no lock.
 * Return: what @test returned, or false when the path is not known.
 */
bool akl_proc_test(const struct task_struct *t,
		   bool (*test)(const char *path, u32 len, u32 hash, dev_t dev,
				u64 ino, void *ctx),
		   void *ctx)
{
	struct akl_exe *exe;
	bool ret = false;

	rcu_read_lock();
	exe = exe_find(key_of(t));
	if (exe && exe->len)
		ret = test(exe->path, exe->len, exe->hash, exe->dev, exe->ino,
			   ctx);
	rcu_read_unlock();
	return ret;
}

/**
 * akl_proc_exit_once() - whether the current process's exit is yet to log
 *
 * Context: any task context, atomic included.
 * Return: true once per process, for the first caller; also true, every
 * time, for a process the table does not hold.
 */
bool akl_proc_exit_once(void)
{
	unsigned long key = key_of(current);
	struct proc_slot *s;
	bool first = true;

	rcu_read_lock();
	s = slot_find(key);
	if (s)
		first = !xchg(&s->exited, 1) || READ_ONCE(s->key) != key;
	rcu_read_unlock();
	return first;
}

/* A new process runs what its parent runs, until it execs. */
static void fork_tp(void *data, struct task_struct *parent,
		    struct task_struct *child)
{
	struct akl_exe *exe;

	if (key_of(child) == key_of(parent))
		return;	/* a thread: its process's slot serves it */
	rcu_read_lock();
	exe = exe_find(key_of(parent));
	if (exe && !refcount_inc_not_zero(&exe->ref))
		exe = NULL;
	rcu_read_unlock();
	if (exe)
		proc_store(key_of(child), exe, STORE_SET, task_uid(child));
}

/* A process's leader is the last of its tasks to be released. */
static void free_tp(void *data, struct task_struct *t)
{
	if (thread_group_leader(t))
		proc_remove(key_of(t));
}

static struct akl_hook proc_hooks[] = {
	{
		.names = { "sched_process_fork" },
		.kind = AKL_TRACEPOINT,
		.tp_func = fork_tp,
	},
	{
		.names = { "sched_process_free" },
		.kind = AKL_TRACEPOINT,
		.tp_func = free_tp,
	},
};

/* A process that ran before the module was loaded. */
static void fill_one(struct task_struct *p, char *buf)
{
	struct mm_struct *mm = get_task_mm(p);
	struct akl_exe *exe = NULL;
	struct file *file;
	char *path;

	if (!mm)
		return;
	file = akl_get_mm_exe_file(mm);
	mmput(mm);
	if (!file)
		return;
	path = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(path))
		path = NULL;
	/* When it exec'd is not known: it has run since it started. */
	exe = akl_exe_new(path, path ? buf + PATH_MAX - 1 - path : 0,
			  akl_task_start_ns(p), file);
	fput(file);
	if (!exe) {
		atomic_long_inc(&untracked);
		return;
	}
	proc_store(key_of(p), exe, STORE_NEW, task_uid(p));
	/*
	 * Its sched_process_free may have run before the store, which it
	 * follows release_task(): drop the slot of a task already released.
	 */
	smp_mb();
	if (!pid_alive(p))
		proc_remove(key_of(p));
}

/**
 * akl_proctab_fill() - learn what the processes already running run
 * @n: set to the number of processes returned
 *
 * Called once the fork, exec and free hooks are attached, so that nothing
 * started after the snapshot is missed; what they stored is kept. Each
 * process gets an exec id of its own.
 *
 * Context: module init, may sleep.
 * Return: the processes (references the caller puts), to free with
 * kvfree(); NULL without memory.
 */
struct task_struct **akl_proctab_fill(unsigned int *n)
{
	struct task_struct **tasks, *p;
	unsigned int i;
	char *buf;

	*n = 0;
	tasks = kvmalloc_array(proc_table_size, sizeof(*tasks), GFP_KERNEL);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tasks || !buf) {
		pr_warn("no memory to learn what running processes execute\n");
		kvfree(tasks);
		tasks = NULL;
		goto out;
	}
	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		if (*n == proc_table_size) {
			atomic_long_inc(&untracked);
			continue;
		}
		get_task_struct(p);
		tasks[(*n)++] = p;
	}
	rcu_read_unlock();
	for (i = 0; i < *n; i++) {
		fill_one(tasks[i], buf);
		cond_resched();
	}
out:
	kfree(buf);
	return tasks;
}

int akl_proctab_init(void)
{
	int i, ret;

	if (proc_table_size < PROC_SLOTS_MIN ||
	    proc_table_size > PROC_SLOTS_MAX ||
	    !is_power_of_2(proc_table_size)) {
		pr_err("proc_table_size: %u is not a power of two from %d to %lu\n",
		       proc_table_size, PROC_SLOTS_MIN, PROC_SLOTS_MAX);
		return -EINVAL;
	}
	proc_bits = ilog2(proc_table_size);
	for (i = 0; i < PROC_LOCKS; i++)
		raw_spin_lock_init(&locks[i]);
	slots = kvcalloc(proc_table_size, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	ret = akl_hooks_attach(proc_hooks, ARRAY_SIZE(proc_hooks));
	if (ret) {
		kvfree(slots);
		slots = NULL;
	}
	return ret;
}

/* After every user of the table is gone: execlog and netlog stopped. */
void akl_proctab_exit(void)
{
	unsigned int i;

	akl_hooks_detach(proc_hooks, ARRAY_SIZE(proc_hooks));
	for (i = 0; i < proc_table_size; i++) {
		akl_exe_put(rcu_dereference_protected(slots[i].exe, true));
		RCU_INIT_POINTER(slots[i].exe, NULL);
		slots[i].key = 0;
	}
	/* exe_free_rcu() is this module's code. */
	rcu_barrier();
	kvfree(slots);
	slots = NULL;
}
