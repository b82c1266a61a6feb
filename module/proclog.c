// SPDX-License-Identifier: GPL-2.0-only
/*
 * proclog.c - the start and end of processes: exits, and those found at load
 *
 * DOC: process records
 *
 * Together with exec records these make every process's life visible, so
 * that every other record joins, by its exec_id, to a program whose
 * command line and parent are known:
 *
 * - `type=exit`, when a process (a thread group) ends: how (exit code, or
 *   the signal that killed it), and how long its program ran. It is made
 *   by the sched_process_exit tracepoint of the process's last thread,
 *   in that thread, before its files are closed (so before the close
 *   records of the sockets its exit closes). Threads ending alone are not
 *   recorded. The exitlog parameter turns them off; the exit of a program
 *   whose exec was whitelisted is not recorded either.
 *
 * - `type=process event=existing`, once per process already running when
 *   the module is loaded, right after the load record: its exec id (new,
 *   since its exec was not seen), the actor fields, its parent's exec id,
 *   its executable and its command line, when execs or exits are logged
 *   (execlog or exitlog set at load). They take at most half of the ring;
 *   processes past that are counted as lost records.
 */
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "actor.h"
#include "compat.h"
#include "config.h"
#include "execlog.h"
#include "hooks.h"
#include "proclog.h"
#include "proctab.h"
#include "secure_log.h"

static unsigned int exitlog = 1;

AKL_PARAM_UINT(exitlog, exitlog, 0, 1, NULL);
MODULE_PARM_DESC(exitlog, "Log the end of processes (1, default) or not (0)");

/*
 * How it ended, from the wait status its parent will see: "exit_code=N",
 * or "signal=NAME core=0|1" (the signal's number if it has no name).
 */
static void rec_status(struct akl_rec *r, int status)
{
	int sig = status & 0x7f;
	const char *name = akl_signal_name(sig);

	if (!sig) {
		akl_rec_u64(r, AKL_K_EXIT_CODE, (status >> 8) & 0xff);
		return;
	}
	if (name)
		akl_rec_name(r, AKL_K_SIGNAL, name);
	else
		akl_rec_u64(r, AKL_K_SIGNAL, sig);
	akl_rec_u64(r, AKL_K_CORE, !!(status & 0x80));
}

static AKL_EXIT_TP_FUNC(exit_tp)
{
	struct akl_proc_info pi;
	struct akl_rec *r;
	char *exe;
	u64 now, start;

	/* Its group's live count dropped before the tracepoint. */
	if (atomic_read(&current->signal->live) || !READ_ONCE(exitlog))
		return;
	if (!akl_proc_exit_once())
		return;	/* another of its threads got here first */
	r = akl_log_begin(AKL_T_EXIT);
	if (!r)
		return;
	exe = akl_proc_get(current, &pi, akl_log_aux(r), AKL_AUX_SIZE);
	if (pi.hidden) {
		akl_log_discard(r);
		return;
	}
	akl_rec_actor(r, &pi);
	akl_rec_dpath(r, AKL_K_EXE, exe, akl_log_aux(r));
	/* The exit code of a group exit is every thread's. */
	rec_status(r, READ_ONCE(current->exit_code));
	/* A forked child's program started before it did. */
	now = ktime_get_boottime_ns();
	start = max(pi.start_ns, akl_task_start_ns(current));
	akl_rec_u64(r, AKL_K_DURATION_MS,
		    now > start ? div_u64(now - start, NSEC_PER_MSEC) : 0);
	akl_log_commit(r);
}

static struct akl_hook exit_hook = {
	.names = { "sched_process_exit" },
	.kind = AKL_TRACEPOINT,
	.tp_func = exit_tp,
};

/* The existing record of @p; its size, or 0 if it could not be kept. */
static size_t log_existing(struct task_struct *p, char *aux)
{
	struct akl_proc_info pi, ppi;
	unsigned long start = 0, end = 0;
	struct task_struct *parent;
	struct mm_struct *mm;
	struct akl_rec *r;
	size_t size;
	char *exe;

	mm = get_task_mm(p);
	if (mm) {
		start = READ_ONCE(mm->arg_start);
		end = READ_ONCE(mm->arg_end);
		mmput(mm);
	}
	/* 1024 bytes for the other fields. */
	r = akl_log_alloc(AKL_T_PROCESS, 1024 + AKL_AUX_SIZE +
			  min_t(unsigned long, end - start, akl_exec_argv_max()));
	if (!r)
		return 0;
	akl_rec_name(r, AKL_K_EVENT, "existing");
	exe = akl_proc_get(p, &pi, aux, AKL_AUX_SIZE);
	akl_rec_task(r, p, &pi);
	rcu_read_lock();
	parent = rcu_dereference(p->real_parent);
	akl_proc_get(parent, &ppi, NULL, 0);
	rcu_read_unlock();
	akl_rec_exec_id(r, AKL_K_PARENT_EXEC_ID, ppi.exec_id);
	akl_rec_dpath(r, AKL_K_EXE, exe, aux);
	akl_rec_argv_area(r, aux, -1, start, end, p, true);
	akl_rec_finish(r);
	size = r->len;
	akl_log_store(r);
	kvfree(r);
	return size;
}

/**
 * akl_proclog_existing() - learn the processes already running, and log them
 *
 * Context: module init, after the process table's hooks are attached.
 */
void akl_proclog_existing(void)
{
	unsigned long budget = akl_log_ring_size() / 2, used = 0;
	struct task_struct **tasks;
	unsigned int n, i, lost = 0;
	char *aux;
	bool log;

	tasks = akl_proctab_fill(&n);
	if (!tasks)
		return;
	/* Nothing else about processes logged: the table has them. */
	log = akl_execlog_on() || READ_ONCE(exitlog);
	aux = kmalloc(AKL_AUX_SIZE, GFP_KERNEL);
	for (i = 0; i < n; i++) {
		if (log) {
			size_t size = aux && used < budget ?
				      log_existing(tasks[i], aux) : 0;

			if (!size)
				lost++;
			used += size;
		}
		put_task_struct(tasks[i]);
		cond_resched();
	}
	if (lost) {
		pr_warn("%u running processes not logged (no room)\n", lost);
		akl_log_lost_add(lost);
		akl_log_flush_lost();
	}
	kfree(aux);
	kvfree(tasks);
}

int akl_proclog_init(void)
{
	return akl_hook_attach(&exit_hook);
}

void akl_proclog_exit(void)
{
	akl_hook_detach(&exit_hook);
}
