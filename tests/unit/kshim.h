/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim.h - just enough of the kernel to compile module/record.c and
 * module/conntab.c in user space for the unit tests (single-threaded: the
 * atomics are plain, the locks only check that they are taken in pairs).
 * The <linux/...> headers those files include are empty files that the
 * Makefile makes in kinc/; what they would declare is here.
 */
#ifndef _AKL_KSHIM_H
#define _AKL_KSHIM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef uint64_t u64;
typedef int64_t s64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef noinline
#define noinline __attribute__((noinline))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* What module/conntab.c uses */
typedef uint16_t __be16;
typedef uint32_t __be32;

#define BIT(n) (1UL << (n))
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define __acquires(x)
#define __releases(x)
#define GFP_KERNEL 0
#define kvcalloc(n, size, gfp) calloc(n, size)
#define kvfree(p) free(p)

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_LONG_INIT(i) { (i) }
#define atomic_inc_return(v) (++(v)->counter)
#define atomic_dec(v) ((void)--(v)->counter)
#define atomic_long_inc(v) ((void)++(v)->counter)
#define atomic_long_read(v) ((v)->counter)

typedef struct { int held; } raw_spinlock_t;
#define raw_spin_lock_init(l) ((l)->held = 0)
#define raw_spin_lock_irqsave(l, f) \
	do { assert(!(l)->held); (l)->held = 1; (f) = 0; } while (0)
#define raw_spin_unlock_irqrestore(l, f) \
	do { assert((l)->held); (l)->held = 0; (void)(f); } while (0)

#define GOLDEN_RATIO_32 0x61C88647U
#define GOLDEN_RATIO_64 0x61C8864680B583EBULL
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_ptr(const void *p, unsigned int bits)
{
	return (u32)(((u64)(uintptr_t)p * GOLDEN_RATIO_64) >> (64 - bits));
}

enum { SS_FREE, SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED };
struct socket { int state; };
struct sock;

typedef struct { u32 val; } kuid_t;
#define __kuid_val(uid) ((uid).val)
struct task_struct {
	struct task_struct *group_leader;
	u64 start_boottime;
	pid_t tgid;
	u32 uid;
};
/* The task the code under test runs in: the test sets its uid and tgid. */
extern struct task_struct kshim_task;
#define current (&kshim_task)
#define current_uid() ((kuid_t){ current->uid })
#define task_tgid_nr(t) ((t)->tgid)
u64 ktime_get_boottime_ns(void);

#endif /* _AKL_KSHIM_H */
