// SPDX-License-Identifier: GPL-2.0-only
/*
 * proctab.c - what each process runs: its executable's path, resolved once
 *
 * DOC: process table
 *
 * Records name the executable of the process that caused them. Resolving
 * a path with d_path() reads rename_lock and mount_lock, which sleep on
 * PREEMPT_RT when a writer holds them, so it never runs in probe context.
 * Instead a program's path is resolved once, where sleeping is allowed: in
 * the task_work that an exec queues (execlog.c), and at load for the
 * processes already running (akl_proctab_fill()). It is kept here, and
 * probe handlers copy it under RCU with akl_proc_exe().
 *
 * The table is keyed by the thread group leader's task_struct. A slot
 * holds a reference to a struct akl_exe, an immutable, refcounted path
 * that a process shares with the children it forks until they exec.
 * Lookups take no lock. Updates (fork, exec, task free, load) take a raw
 * spinlock per group of slots, so they may run in any context but NMI,
 * PREEMPT_RT included. A slot is freed by the sched_process_free
 * tracepoint of its task, which runs before the task_struct can be reused.
 * A process whose group of slots is full has none: its records say
 * exe=unknown, and the parameter proc_untracked counts it.
 *
 * Memory: PROC_SLOTS slots of 16 bytes (512 KiB), and per program run an
 * akl_exe of 24 bytes plus its path, shared by its forked children.
 */
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

#define PROC_BITS	15
#define PROC_SLOTS	BIT(PROC_BITS)
#define PROC_WAYS	8
#define PROC_LOCKS	256

/**
 * struct akl_exe - the path of an executable, as resolved at its exec
 * @ref: one per table slot (and per user in flight) pointing to it
 * @rcu: frees it after the readers that may still copy it
 * @len: bytes of @path, without its NUL
 * @path: the path, NUL-terminated
 */
struct akl_exe {
	refcount_t ref;
	struct rcu_head rcu;
	u32 len;
	char path[];
};

/**
 * struct proc_slot - one process
 * @key: its thread group leader, 0 when free
 * @exe: what it runs, or NULL
 */
struct proc_slot {
	unsigned long key;
	struct akl_exe __rcu *exe;
};

static struct proc_slot *slots;
static raw_spinlock_t locks[PROC_LOCKS];
static atomic_long_t untracked = ATOMIC_LONG_INIT(0);

AKL_PARAM_COUNTER(proc_untracked, untracked);
MODULE_PARM_DESC(proc_untracked,
		 "Read-only: processes whose executable is not known (table full, or no memory): their records say exe=unknown");

/**
 * akl_exe_new() - a path, as kept in the table
 * @path: the path
 * @len: its length
 *
 * Context: process, may sleep.
 * Return: the path with one reference, or NULL without memory.
 */
struct akl_exe *akl_exe_new(const char *path, size_t len)
{
	struct akl_exe *exe = kmalloc(struct_size(exe, path, len + 1),
				      GFP_KERNEL);

	if (!exe)
		return NULL;
	refcount_set(&exe->ref, 1);
	exe->len = len;
	memcpy(exe->path, path, len);
	exe->path[len] = '\0';
	return exe;
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

static struct proc_slot *group_of(const struct task_struct *t)
{
	return &slots[hash_ptr(t, PROC_BITS) & ~(PROC_WAYS - 1)];
}

static raw_spinlock_t *lock_of(const struct proc_slot *group)
{
	return &locks[(group - slots) / PROC_WAYS % PROC_LOCKS];
}

/*
 * Gives @leader's slot (claimed if it has none) the reference @exe holds,
 * or, with @only_new, fills only a slot it did not have.
 */
static void proc_store(const struct task_struct *leader, struct akl_exe *exe,
		       bool only_new)
{
	struct proc_slot *s = group_of(leader), *free = NULL;
	raw_spinlock_t *lock = lock_of(s);
	struct akl_exe *old = exe;
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(lock, flags);
	for (i = 0; i < PROC_WAYS; i++, s++) {
		if (s->key == (unsigned long)leader)
			break;
		if (!s->key && !free)
			free = s;
	}
	if (i < PROC_WAYS) {
		if (!only_new)
			old = rcu_replace_pointer(s->exe, exe,
						  lockdep_is_held(lock));
	} else if (free) {
		rcu_assign_pointer(free->exe, exe);
		/* Pairs with smp_load_acquire() in slot_find(). */
		smp_store_release(&free->key, (unsigned long)leader);
		old = NULL;
	} else {
		atomic_long_inc(&untracked);
	}
	raw_spin_unlock_irqrestore(lock, flags);
	akl_exe_put(old);
}

static void proc_remove(const struct task_struct *t)
{
	struct proc_slot *s = group_of(t);
	raw_spinlock_t *lock = lock_of(s);
	struct akl_exe *old = NULL;
	unsigned long flags;
	int i;

	/* Every task free comes here: look before taking the lock. */
	for (i = 0; i < PROC_WAYS; i++)
		if (READ_ONCE(s[i].key) == (unsigned long)t)
			break;
	if (i == PROC_WAYS)
		return;
	raw_spin_lock_irqsave(lock, flags);
	if (s[i].key == (unsigned long)t) {
		old = rcu_replace_pointer(s[i].exe, NULL, lockdep_is_held(lock));
		WRITE_ONCE(s[i].key, 0);
	}
	raw_spin_unlock_irqrestore(lock, flags);
	akl_exe_put(old);
}

/* @leader's path; under rcu_read_lock(). */
static struct akl_exe *slot_find(const struct task_struct *leader)
{
	struct proc_slot *s = group_of(leader);
	struct akl_exe *exe;
	int i;

	for (i = 0; i < PROC_WAYS; i++, s++) {
		/* Pairs with smp_store_release() in proc_store(). */
		if (smp_load_acquire(&s->key) != (unsigned long)leader)
			continue;
		exe = rcu_dereference(s->exe);
		/* Freed and reused meanwhile: not ours. */
		return READ_ONCE(s->key) == (unsigned long)leader ? exe : NULL;
	}
	return NULL;
}

/**
 * akl_proc_set_exe() - what a process runs from now on
 * @leader: the process's thread group leader
 * @exe: its path, whose reference the table takes over; NULL: unknown
 *
 * Context: any but NMI.
 */
void akl_proc_set_exe(struct task_struct *leader, struct akl_exe *exe)
{
	if (exe)
		proc_store(leader, exe, false);
	else
		proc_remove(leader);
}

/**
 * akl_proc_exe() - the current process's executable
 * @buf: where its path is copied, NUL-terminated
 * @size: room in @buf
 *
 * Context: any task context, atomic included; takes no lock.
 * Return: @buf, or NULL when the path is not known.
 */
char *akl_proc_exe(char *buf, size_t size)
{
	struct akl_exe *exe;
	char *p = NULL;

	rcu_read_lock();
	exe = slot_find(READ_ONCE(current->group_leader));
	if (exe && exe->len < size) {
		memcpy(buf, exe->path, exe->len + 1);
		p = buf;
	}
	rcu_read_unlock();
	return p;
}

/* A new process runs what its parent runs, until it execs. */
static void fork_tp(void *data, struct task_struct *parent,
		    struct task_struct *child)
{
	struct akl_exe *exe;

	if (!thread_group_leader(child))
		return;	/* a thread: its leader's slot serves it */
	rcu_read_lock();
	exe = slot_find(READ_ONCE(parent->group_leader));
	if (exe && !refcount_inc_not_zero(&exe->ref))
		exe = NULL;
	rcu_read_unlock();
	akl_proc_set_exe(child, exe);
}

static void free_tp(void *data, struct task_struct *t)
{
	proc_remove(t);
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
	if (!IS_ERR(path))
		exe = akl_exe_new(path, buf + PATH_MAX - 1 - path);
	fput(file);
	if (!exe) {
		atomic_long_inc(&untracked);
		return;
	}
	proc_store(p, exe, true);
	/*
	 * Its sched_process_free may have run before the store, which it
	 * follows release_task(): drop the slot of a task already released.
	 */
	smp_mb();
	if (!pid_alive(p))
		proc_remove(p);
}

/**
 * akl_proctab_fill() - learn what the processes already running run
 *
 * Called once the fork, exec and free hooks are attached, so that nothing
 * started after the snapshot is missed; what they stored is kept.
 *
 * Context: module init, may sleep.
 */
void akl_proctab_fill(void)
{
	struct task_struct **tasks, *p;
	unsigned int n = 0, i;
	char *buf;

	tasks = kvmalloc_array(PROC_SLOTS, sizeof(*tasks), GFP_KERNEL);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tasks || !buf) {
		pr_warn("no memory to learn what running processes execute\n");
		goto out;
	}
	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		if (n == PROC_SLOTS) {
			atomic_long_inc(&untracked);
			continue;
		}
		get_task_struct(p);
		tasks[n++] = p;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		fill_one(tasks[i], buf);
		put_task_struct(tasks[i]);
		cond_resched();
	}
out:
	kfree(buf);
	kvfree(tasks);
}

int akl_proctab_init(void)
{
	int i, ret;

	for (i = 0; i < PROC_LOCKS; i++)
		raw_spin_lock_init(&locks[i]);
	slots = kvcalloc(PROC_SLOTS, sizeof(*slots), GFP_KERNEL);
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
	for (i = 0; i < PROC_SLOTS; i++) {
		akl_exe_put(rcu_dereference_protected(slots[i].exe, true));
		RCU_INIT_POINTER(slots[i].exe, NULL);
		slots[i].key = 0;
	}
	/* exe_free_rcu() is this module's code. */
	rcu_barrier();
	kvfree(slots);
	slots = NULL;
}
