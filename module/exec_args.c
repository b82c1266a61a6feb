// SPDX-License-Identifier: GPL-2.0-only
/*
 * exec_args.c - a failed exec's command line, from the caller's argv array
 *
 * A failed exec leaves its arguments where its caller put them: an array
 * of user pointers, each to a string. The caller chooses both, so the
 * walk is bounded by what it reads (exec_argv_max arguments and bytes,
 * whatever the array holds) and costs a copy per page of user memory, not
 * one per argument:
 *
 * - the array is read in chunks of up to PTRS_CHUNK pointers, each within
 *   one page, so no page is touched that the pointer being read is not on;
 * - the strings are read through a window of one page of user memory
 *   (@win, AKL_AUX_SIZE bytes), so that arguments next to each other, as
 *   an argv usually is, or one pointer repeated 60,000 times, are served
 *   from the copy already made. An argv whose pointers jump between
 *   pages would refill it for each argument: once WIN_BUDGET times
 *   exec_argv_max bytes have been copied, windows are WIN_SMALL bytes,
 *   so the bytes copied stay in proportion to what is logged.
 *
 * One pass: the arguments are gathered into a buffer, joined by their
 * NULs, and counted; then the fields are written from it. They read the
 * same as a successful exec's (akl_rec_argv_area()).
 *
 * Context: process (the task whose exec failed); may sleep and fault.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "exec_args.h"
#include "execlog.h"
#include "secure_log.h"

#define PTRS_CHUNK	64
#define WIN_BUDGET	4
#define WIN_SMALL	64
/* Arguments between two chances to reschedule. */
#define ARGS_RESCHED	1024

struct akl_args {
	unsigned long limit;		/* exec_argv_max when allocated */
	const void __user *argv;
	bool compat;
	unsigned int first, nptrs;	/* ptrs[] is argv[first .. first + nptrs) */
	unsigned long ptrs[PTRS_CHUNK];
	u32 ptrs32[PTRS_CHUNK];
	unsigned long win_at;		/* the user address of win[0] */
	size_t win_len;			/* bytes of win that hold a copy */
	size_t win_copied;		/* bytes copied into win so far */
	char *win;
	char buf[];			/* limit + 1 bytes */
};

/**
 * akl_args_alloc() - the state of one walk, for exec_argv_max as it is now
 *
 * Context: process, may sleep.
 * Return: the state, or NULL without memory.
 */
struct akl_args *akl_args_alloc(void)
{
	unsigned long limit = akl_exec_argv_max();
	struct akl_args *a;

	a = kvmalloc(struct_size(a, buf, limit + 1), GFP_KERNEL);
	if (a)
		a->limit = limit;
	return a;
}

void akl_args_free(struct akl_args *a)
{
	kvfree(a);
}

/* Reads the chunk of the array that starts with pointer @i: see arg_ptr(). */
static bool arg_ptrs_fill(struct akl_args *a, unsigned int i, unsigned long *p)
{
	size_t size = a->compat ? sizeof(u32) : sizeof(unsigned long);
	unsigned long at = (unsigned long)a->argv + i * size;
	unsigned int n, k;

	/* To the end of its page; one pointer if it straddles two. */
	n = clamp_t(unsigned long, (PAGE_SIZE - offset_in_page(at)) / size,
		    1, PTRS_CHUNK);
	a->nptrs = 0;
	if (a->compat) {
		if (copy_from_user(a->ptrs32, (const void __user *)at, n * size))
			return false;
		for (k = 0; k < n; k++)
			a->ptrs[k] = (unsigned long)akl_compat_ptr(a->ptrs32[k]);
	} else if (copy_from_user(a->ptrs, (const void __user *)at, n * size)) {
		return false;
	}
	a->first = i;
	a->nptrs = n;
	*p = a->ptrs[0];
	return true;
}

/* Pointer @i of the array into *@p; false where it cannot be read. */
static inline bool arg_ptr(struct akl_args *a, unsigned int i,
			   unsigned long *p)
{
	if (i - a->first < a->nptrs) {
		*p = a->ptrs[i - a->first];
		return true;
	}
	return arg_ptrs_fill(a, i, p);
}

/* The window starts at @at and ends at the end of its page, or sooner. */
static bool win_fill(struct akl_args *a, unsigned long at)
{
	size_t n = min_t(size_t, AKL_AUX_SIZE, PAGE_SIZE - offset_in_page(at));

	if (a->win_copied > WIN_BUDGET * a->limit)
		n = min_t(size_t, n, WIN_SMALL);
	a->win_copied += n;
	a->win_len = 0;
	if (copy_from_user(a->win, (const void __user *)at, n))
		return false;
	a->win_at = at;
	a->win_len = n;
	return true;
}

/* arg_str() of a string that does not lie whole in the window. */
static size_t arg_str_fill(struct akl_args *a, char *dst, unsigned long p,
			   size_t room)
{
	size_t done = 0, off, n, i;
	const char *s;

	while (done < room) {
		/* Below the window, this wraps to a large value too. */
		off = p + done - a->win_at;
		if (off >= a->win_len) {
			if (!win_fill(a, p + done))
				return 0;
			off = 0;
		}
		n = min(a->win_len - off, room - done);
		s = a->win + off;
		/* Most arguments are short: a byte loop, no calls. */
		for (i = 0; i < n; i++) {
			dst[done + i] = s[i];
			if (!s[i])
				return done + i + 1;
		}
		done += n;
	}
	return room + 1;
}

/*
 * Copies the string at @p, with its NUL, to @dst, at most @room (>= 1)
 * bytes. Return: as strnlen_user(): its length with the NUL, more than
 * @room if it has no NUL there, 0 at a fault. The common case, inline: it
 * starts and ends in the window, within @room.
 */
static inline size_t arg_str(struct akl_args *a, char *dst, unsigned long p,
			     size_t room)
{
	unsigned long off = p - a->win_at;
	const char *s;
	size_t i, n;

	if (off < a->win_len) {
		s = a->win + off;
		n = min(a->win_len - off, room);
		for (i = 0; i < n; i++) {
			dst[i] = s[i];
			if (!s[i])
				return i + 1;
		}
	}
	return arg_str_fill(a, dst, p, room);
}

/**
 * akl_rec_argv_array() - append a failed exec's command line
 * @r: the record
 * @a: from akl_args_alloc()
 * @win: AKL_AUX_SIZE bytes of scratch
 * @argv: the caller's array of argument pointers, NULL-terminated
 * @compat: a 32-bit caller (32-bit pointers)
 *
 * Fields argc, argv_len, argv_trunc and argv as akl_rec_argv_area()
 * writes them, and argv_fault if an argument or a pointer to one could
 * not be read (the arguments before it are kept). At most exec_argv_max arguments are
 * counted and exec_argv_max bytes of them read.
 *
 * Context: process, may sleep.
 */
void akl_rec_argv_array(struct akl_rec *r, struct akl_args *a, char *win,
			const void __user *argv, bool compat)
{
	unsigned long limit = a->limit, p;
	bool fault = false;
	size_t used = 0, n;
	unsigned int argc;

	a->argv = argv;
	a->compat = compat;
	a->nptrs = 0;
	a->win = win;
	a->win_len = 0;
	a->win_copied = 0;
	for (argc = 0; argv && used <= limit && argc < limit; argc++) {
		if (argc && !(argc % ARGS_RESCHED))
			cond_resched();
		if (!arg_ptr(a, argc, &p)) {
			fault = true;	/* an array that runs into a fault */
			break;
		}
		if (!p)
			break;
		n = arg_str(a, a->buf + used, p, limit + 1 - used);
		if (!n) {
			fault = true;
			break;
		}
		used += n;
	}
	akl_rec_u64(r, AKL_K_ARGC, argc);
	akl_rec_u64(r, AKL_K_ARGV_LEN, used ? used - 1 : 0);
	if (used > limit || argc == limit || fault)
		akl_rec_u64(r, AKL_K_ARGV_TRUNC, 1);
	/* The last argument's NUL ends the list; it separates nothing. */
	akl_rec_mem(r, AKL_K_ARGV, a->buf,
		    min_t(size_t, used ? used - 1 : 0, limit), AKL_ESC_ARGV);
	if (fault)
		akl_rec_u64(r, AKL_K_ARGV_FAULT, 1);
}
