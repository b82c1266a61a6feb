// SPDX-License-Identifier: GPL-2.0-only
/*
 * secure_log.c - the record ring and /dev/secure_log
 *
 * DOC: design
 *
 * Writers (probe handlers, parameter changes) build a record's fields, in
 * binary (record.c), in a per-CPU scratch buffer, outside any lock, then
 * akl_log_commit() copies it into one ring under a raw spinlock with
 * interrupts off. The lock is held
 * for a bounded memcpy (at most AKL_PAYLOAD_MAX bytes) and never sleeps, on
 * PREEMPT_RT too, so writers may run in any context but NMI. When the ring
 * is full the oldest records are overwritten.
 *
 * The per-CPU scratch buffers are indexed by a nesting level, so that a
 * writer interrupted by another writer on the same CPU (a softirq, a
 * hardirq) gets a buffer of its own. A writer that finds no buffer, or
 * runs in NMI, is counted in lost_pending; the next commit first stores a
 * "lost" record that says how many were lost: nothing is dropped silently.
 *
 * The ring holds, for each record, a small binary header (size, type, seq,
 * time) followed by the record's binary fields. A reader copies them out
 * under the lock and writes the text line after dropping it, in its own
 * context: writers never format, and the lock is held for copies only.
 * A record never wraps around the end of the ring: a padding entry fills
 * the space left at the end instead. Offsets
 * (head, tail, a reader's pos) are logical: they only grow, and the ring
 * size is a power of two, so offset & mask is the place in the buffer.
 *
 * Each open file has its own cursor (the next sequence number and its
 * offset). A reader whose next record has been overwritten gets a
 * synthesised "overrun" record that counts what it missed, then continues
 * with the oldest record held. A cursor is stored while the lock is not
 * held, so it is checked against tail before use (it may point at an
 * evicted padding entry), and no header is trusted beyond the ring's
 * invariants (entry_at()).
 *
 * Readers are woken through irq_work, since a writer may hold locks or run
 * with interrupts off where wake_up() is not allowed (on PREEMPT_RT the
 * wait queue lock sleeps). They are woken in batches, not per record: a
 * sleeping reader is woken WAKE_DELAY_MS after the first record it has
 * not seen (a delayed work armed once per sleep), or at once when
 * ring.wake_bytes have been stored since the last wake-up, well before
 * the ring or a user's budget fills. A reader that wakes per record costs
 * every writer an interrupt and a context switch; batched, a busy reader
 * reads many records per read() and per wake-up.
 *
 * DOC: per-user budget
 *
 * While a reader is open, no user but root may hold more than a quarter
 * of the ring in records that no reader has read yet: one user's flood
 * then cannot push another user's unread records out before the reader
 * (the journald forwarder) gets them. A record is charged to the real uid
 * of the task that stores it (a setuid program or a user namespace's root
 * counts as the user who ran it; uids are told apart by a hash, in
 * USER_BUCKETS - 1 buckets); records stored outside a task (softirq) are not
 * charged. A record over its user's budget is not stored: it is counted,
 * and before the next record that is stored, a "lost" record says how
 * many of that uid's records were dropped (reason=user_budget uid=N).
 *
 * "Read" means passed by the lead: the furthest offset that a reader has
 * reached by reading record after record (ring.lead). A reader that seeks
 * ahead does not move it; eviction does (an unread record that is evicted
 * is no longer held). When the first reader opens, the lead starts at
 * head: what was stored before is history, charged to no one. With no
 * reader open, nothing is charged and nothing is dropped.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "config.h"
#include "secure_log.h"

#define RING_MIN	SZ_128K
#define RING_MAX	SZ_1G

/* A sleeping reader is woken this long after a record, or after this many bytes. */
#define WAKE_DELAY_MS	10
#define WAKE_BYTES_MAX	SZ_64K

static unsigned long ring_size = SZ_4M;

static int ring_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long size;
	char *end;

	size = memparse(val, &end);
	if (*end == '\n')
		end++;
	if (end == val || *end || size < RING_MIN || size > RING_MAX) {
		pr_err("ring_size: '%s' is not a size from %dK to %dM (suffixes K, M, G)\n",
		       val, RING_MIN >> 10, RING_MAX >> 20);
		return -EINVAL;
	}
	ring_size = roundup_pow_of_two(size);
	return 0;
}

static const struct kernel_param_ops ring_size_ops = {
	.set = ring_size_set,
	.get = param_get_ulong,
};
module_param_cb(ring_size, &ring_size_ops, &ring_size, 0444);
MODULE_PARM_DESC(ring_size,
		 "Bytes of records kept (128K to 1G, rounded up to a power of two; default 4M)");

/* The ring's size in bytes. */
unsigned long akl_log_ring_size(void)
{
	return ring_size;
}

enum { KLOG_OFF, KLOG_ALSO, KLOG_ONLY };
static unsigned int klog;
AKL_PARAM_UINT(klog, klog, KLOG_OFF, KLOG_ONLY, NULL);
MODULE_PARM_DESC(klog,
		 "Also (1) or only (2) send records to the kernel log, rate-limited (config records stay in the ring too); 0 = never (default 0)");

/* Nesting levels per CPU: task, softirq, hardirq, and one spare. */
#define NEST_MAX	4
#define SMALL_SCRATCH	4096

struct slog_hdr {
	u32 size;	/* bytes from this header to the next one */
	u16 type;	/* enum akl_type, or PAD_TYPE */
	u8 align;	/* bytes after the fields, up to size */
	u8 user;	/* the budget it is charged to, 0 for none */
	u64 seq;
	u64 ts_ns;
};

/* Budget buckets: 0 is for records charged to no one. */
#define USER_BUCKET_BITS	8
#define USER_BUCKETS		BIT(USER_BUCKET_BITS)

#define PAD_TYPE	0xffff

struct slog_cpu {
	int nest;
	struct akl_rec rec[NEST_MAX];
	char *scratch[NEST_MAX];
	char *aux[NEST_MAX];
};

static DEFINE_PER_CPU(struct slog_cpu, slog_cpu);

static struct {
	raw_spinlock_t lock;
	char *data;
	u64 mask;
	u64 head, tail;		/* logical offsets: next write, oldest record */
	u64 first_seq;		/* seq of the record at tail */
	u64 next_seq;		/* seq the next record gets */
	u64 written[AKL_NR_TYPES];
	u64 overwritten;
	u64 lost;
	u64 stored_bytes;	/* of records, headers included */
	/* Per-user budget, see the DOC above */
	unsigned int nreaders;
	u64 lead;			/* offset the lead reader reached */
	u64 unread[USER_BUCKETS];	/* bytes past the lead, per bucket */
	u64 over[USER_BUCKETS];		/* records dropped, not yet reported */
	u32 over_uid[USER_BUCKETS];	/* the uid they belong to */
	unsigned int over_pending;	/* buckets with over != 0 */
	u64 over_total;			/* records dropped since load */
	atomic_long_t lost_pending;
	wait_queue_head_t wq;
	struct irq_work wake_work;
	struct delayed_work wake_later;
	unsigned long wake_armed;	/* bit 0: wake_later is queued or about to be */
	u64 woken_head;			/* head at the last wake-up */
	u64 wake_bytes;
	u64 load_id;
} ring;

static bool slog_ready;
static DEFINE_RATELIMIT_STATE(klog_rs, 5 * HZ, 200);

u64 akl_load_id(void)
{
	return ring.load_id;
}

static struct slog_hdr *hdr_at(u64 off)
{
	return (struct slog_hdr *)(ring.data + (off & ring.mask));
}

/*
 * The entry at logical offset @off, or NULL if it cannot be one: a header
 * read under the lock is trusted only as far as the ring's invariants. It
 * must lie between tail and head, on an 8-byte boundary; its size must end
 * it before head and before the ring's physical end; a record's type,
 * alignment and length must be ones store_locked() can write. A cursor
 * stored while the lock was dropped fails the first test once writers have
 * evicted what it points at.
 */
static struct slog_hdr *entry_at(u64 off)
{
	struct slog_hdr *h;
	u64 room;
	u32 body;

	lockdep_assert_held(&ring.lock);
	if (off < ring.tail || off >= ring.head || !IS_ALIGNED(off, 8))
		return NULL;
	h = hdr_at(off);
	room = min(ring.head - off, ring.mask + 1 - (off & ring.mask));
	/* A pad may be shorter than a header: only size and type are set. */
	if (h->size < 8 || h->size > room || !IS_ALIGNED(h->size, 8))
		return NULL;
	if (h->type == PAD_TYPE)
		return h;
	if (h->type >= AKL_NR_TYPES || h->size < sizeof(*h))
		return NULL;
	body = h->size - sizeof(*h);
	if (h->align > body || h->align >= 8 ||
	    body - h->align > AKL_PAYLOAD_MAX ||
	    h->seq < ring.first_seq || h->seq >= ring.next_seq)
		return NULL;
	return h;
}

/* Entry @h, at the lead, leaves the unread part: read, or evicted. */
static void lead_pass(const struct slog_hdr *h)
{
	if (h->type != PAD_TYPE && h->user) {
		WARN_ON_ONCE(ring.unread[h->user] < h->size);
		ring.unread[h->user] -= min_t(u64, ring.unread[h->user], h->size);
	}
	ring.lead += h->size;
}

static void evict_oldest(void)
{
	struct slog_hdr *h = hdr_at(ring.tail);

	if (ring.nreaders && ring.lead == ring.tail)
		lead_pass(h);
	if (h->type != PAD_TYPE) {
		ring.first_seq++;
		ring.overwritten++;
	}
	ring.tail += h->size;
}

/* Bytes of ring a record of @len bytes of fields takes. */
static u32 entry_size(u32 len)
{
	return ALIGN(sizeof(struct slog_hdr) + len, 8);
}

static void store_locked(u16 type, u8 user, const void *rec, u32 len,
			 u64 ts_ns)
{
	u32 need = entry_size(len);
	u64 left = ring.mask + 1 - (ring.head & ring.mask);
	u32 pad = left < need ? left : 0;
	struct slog_hdr *h;

	lockdep_assert_held(&ring.lock);
	/* need <= AKL_LINE_MAX + header and the ring is >= 2 * AKL_LINE_MAX. */
	while (ring.head + pad + need - ring.tail > ring.mask + 1)
		evict_oldest();
	if (pad) {
		h = hdr_at(ring.head);
		h->size = pad;
		h->type = PAD_TYPE;
		ring.head += pad;
	}
	h = hdr_at(ring.head);
	h->size = need;
	h->type = type;
	h->align = need - sizeof(*h) - len;
	h->user = user;
	if (ring.nreaders && user)
		ring.unread[user] += need;
	h->seq = ring.next_seq;
	h->ts_ns = ts_ns;
	memcpy(h + 1, rec, len);
	ring.head += need;
	ring.written[type]++;
	ring.stored_bytes += need;
	/* Pairs with the lockless reads in slog_has_data(). */
	WRITE_ONCE(ring.next_seq, ring.next_seq + 1);
}

static u64 unwoken_bytes(void)
{
	return READ_ONCE(ring.head) - READ_ONCE(ring.woken_head);
}

static void wake_readers_now(void)
{
	WRITE_ONCE(ring.woken_head, READ_ONCE(ring.head));
	clear_bit(0, &ring.wake_armed);
	/*
	 * The bit is clear before the wake-up looks at the queue: a writer
	 * that still saw it set (and so queued nothing) has its record
	 * covered by this wake-up; one that sees it clear arms another.
	 */
	smp_mb__after_atomic();
	wake_up_interruptible_all(&ring.wq);
}

static void wake_readers_later(struct work_struct *work)
{
	wake_readers_now();
}

/* Context: irq_work (hard interrupt, or its thread on PREEMPT_RT). */
static void wake_readers(struct irq_work *work)
{
	if (unwoken_bytes() >= ring.wake_bytes)
		wake_readers_now();
	else
		schedule_delayed_work(&ring.wake_later,
				      msecs_to_jiffies(WAKE_DELAY_MS));
}

/*
 * printk keeps at most 1024 bytes of a message (and %.*s warns above
 * 32767): a record's text in the kernel log is cut to this, which leaves
 * room for the prefix, the header fields and the truncation marker.
 */
#define KLOG_TEXT_MAX	896

/*
 * The kernel log's copy of a record, cut to KLOG_TEXT_MAX at a field. The
 * text is written in a scratch buffer of this CPU's next nesting level,
 * as a writer's would be.
 */
static void klog_line(bool in_ring, u64 seq, const struct akl_rec *r)
{
	struct slog_cpu *c;
	int level;
	size_t n;

	if (!__ratelimit(&klog_rs))
		return;
	preempt_disable();
	level = this_cpu_inc_return(slog_cpu.nest) - 1;
	if (unlikely(level >= NEST_MAX)) {
		/* Without the ring's copy, that is a record lost. */
		if (!in_ring)
			akl_log_lost_add(1);
		goto out;
	}
	c = this_cpu_ptr(&slog_cpu);
	n = akl_format_fields(c->aux[level], KLOG_TEXT_MAX + sizeof(AKL_TRUNC_MARK) - 1,
			      r->buf, r->len, ring.load_id, AKL_FMT_WHOLE, NULL);
	/* Records that bypass the ring get no sequence number. */
	if (!in_ring)
		pr_info("type=%s %.*s\n", akl_type_name(r->type), (int)n,
			c->aux[level]);
	else
		pr_info("seq=%llu type=%s %.*s\n", seq,
			akl_type_name(r->type), (int)n, c->aux[level]);
out:
	this_cpu_dec(slog_cpu.nest);
	preempt_enable();
}

/**
 * akl_log_lost_add() - count records that could not be kept
 * @n: how many
 *
 * The next record stored, or akl_log_flush_lost(), first stores a "lost"
 * record with the count.
 *
 * Context: any.
 */
void akl_log_lost_add(unsigned long n)
{
	atomic_long_add(n, &ring.lost_pending);
}

static void store_lost_locked(u64 ts)
{
	long lost = atomic_long_xchg(&ring.lost_pending, 0);
	struct akl_rec r;
	u8 bin[16];

	lockdep_assert_held(&ring.lock);
	if (!lost)
		return;
	akl_rec_init(&r, bin, sizeof(bin), AKL_T_LOST);
	akl_rec_u64(&r, AKL_K_LOST, lost);
	store_locked(AKL_T_LOST, 0, r.buf, r.len, ts);
	ring.lost += lost;
}

/*
 * The budget bucket of the record the current task stores, and its uid:
 * 0 for root and outside a task.
 */
static u8 writer_bucket(u32 *uid)
{
	kuid_t k;

	if (!in_task())
		return 0;
	/* from_kuid_munged(&init_user_ns, k) without walking the identity map */
	k = current_uid();
	*uid = uid_valid(k) ? __kuid_val(k) : overflowuid;
	if (!*uid)
		return 0;
	return 1 + hash_32(*uid, USER_BUCKET_BITS) % (USER_BUCKETS - 1);
}

/*
 * Whether a record of @len bytes for @user goes over its budget. A user
 * with nothing unread may always store one: a record can be larger than a
 * quarter of the smallest ring.
 */
static bool over_budget(u8 user, u32 len)
{
	return user && ring.nreaders && ring.unread[user] &&
	       ring.unread[user] + entry_size(len) > (ring.mask + 1) / 4;
}

static void drop_over_budget(u8 user, u32 uid)
{
	if (!ring.over[user]++) {
		ring.over_uid[user] = uid;
		ring.over_pending++;
	}
	ring.over_total++;
}

/* The "lost" records of what budgets dropped, before any other record. */
static void store_over_locked(u64 ts)
{
	struct akl_rec r;
	u8 bin[48];
	int i;

	for (i = 1; ring.over_pending && i < USER_BUCKETS; i++) {
		if (!ring.over[i])
			continue;
		akl_rec_init(&r, bin, sizeof(bin), AKL_T_LOST);
		akl_rec_u64(&r, AKL_K_LOST, ring.over[i]);
		akl_rec_name(&r, AKL_K_REASON, "user_budget");
		akl_rec_u64(&r, AKL_K_UID, ring.over_uid[i]);
		store_locked(AKL_T_LOST, 0, r.buf, r.len, ts);
		ring.lost += ring.over[i];
		ring.over[i] = 0;
		ring.over_pending--;
	}
}

/* After a record is stored: see "woken in batches" in the DOC above. */
static void wake_up_readers(void)
{
	/* Full barrier inside wq_has_sleeper() pairs with the waiter's. */
	if (!wq_has_sleeper(&ring.wq))
		return;
	if (unwoken_bytes() >= ring.wake_bytes ||
	    !test_and_set_bit(0, &ring.wake_armed))
		irq_work_queue(&ring.wake_work);
}

/**
 * akl_log_flush_lost() - store the "lost" records now, if any are due
 *
 * Context: any but NMI.
 */
void akl_log_flush_lost(void)
{
	unsigned long flags;
	u64 ts;

	if (!READ_ONCE(slog_ready) || (!atomic_long_read(&ring.lost_pending) &&
				       !READ_ONCE(ring.over_pending)))
		return;
	raw_spin_lock_irqsave(&ring.lock, flags);
	ts = ktime_get_real_ns();
	store_lost_locked(ts);
	store_over_locked(ts);
	raw_spin_unlock_irqrestore(&ring.lock, flags);
	wake_up_readers();
}

/**
 * akl_log_store() - keep a finished record built in a caller's buffer
 * @r: the record, akl_rec_finish() done
 *
 * Context: any but NMI; never sleeps.
 */
void akl_log_store(struct akl_rec *r)
{
	unsigned int mode = READ_ONCE(klog);
	unsigned long flags;
	bool in_ring;
	u64 seq, ts;
	u32 uid = 0;
	u8 user;

	if (unlikely(!READ_ONCE(slog_ready))) {
		akl_log_lost_add(1);
		return;
	}
	/*
	 * Config records always reach the ring: the change to klog=2 itself,
	 * and any later one, must not vanish from the stream.
	 */
	in_ring = mode != KLOG_ONLY || r->type == AKL_T_CONFIG;
	user = in_ring ? writer_bucket(&uid) : 0;
	raw_spin_lock_irqsave(&ring.lock, flags);
	if (unlikely(in_ring && over_budget(user, r->len))) {
		drop_over_budget(user, uid);
		raw_spin_unlock_irqrestore(&ring.lock, flags);
		return;
	}
	ts = ktime_get_real_ns();
	store_lost_locked(ts);
	store_over_locked(ts);
	seq = ring.next_seq;
	if (in_ring)
		store_locked(r->type, user, r->buf, r->len, ts);
	else
		ring.written[r->type]++;
	raw_spin_unlock_irqrestore(&ring.lock, flags);

	if (mode != KLOG_OFF)
		klog_line(in_ring, seq, r);
	if (in_ring)
		wake_up_readers();
}

/**
 * akl_log_alloc() - a record builder of its own, for process context
 * @type: enum akl_type
 * @size: bytes for its fields (at most AKL_PAYLOAD_MAX are used)
 *
 * For records whose fields are gathered where sleeping is allowed (paths,
 * parameter values, user memory read with faults): unlike
 * akl_log_begin(), it keeps preemption enabled.
 *
 * Context: process, may sleep.
 * Return: the builder, or NULL without memory.
 */
struct akl_rec *akl_log_alloc(enum akl_type type, size_t size)
{
	struct akl_rec *r;

	size = clamp_t(size_t, size, 64, AKL_PAYLOAD_MAX);
	r = kvmalloc(sizeof(*r) + size, GFP_KERNEL);
	if (r)
		akl_rec_init(r, r + 1, size, type);
	return r;
}

/**
 * akl_log_store_free() - keep a record from akl_log_alloc() and free it
 * @r: the record
 *
 * Context: process.
 */
void akl_log_store_free(struct akl_rec *r)
{
	akl_rec_finish(r);
	akl_log_store(r);
	kvfree(r);
}

/**
 * akl_log_begin() - start a record
 * @type: enum akl_type
 *
 * Gives a record builder from this CPU's scratch buffers. Preemption stays
 * disabled until akl_log_commit() or akl_log_discard(), which must follow
 * on the same CPU without sleeping in between.
 *
 * Context: any but NMI; never sleeps.
 * Return: the builder, or NULL when the record cannot be kept (counted,
 * and reported in the stream by a "lost" record).
 */
struct akl_rec *akl_log_begin(enum akl_type type)
{
	struct slog_cpu *c;
	struct akl_rec *r;
	int level;

	if (unlikely(in_nmi() || !READ_ONCE(slog_ready))) {
		akl_log_lost_add(1);
		return NULL;
	}
	preempt_disable();
	level = this_cpu_inc_return(slog_cpu.nest) - 1;
	if (unlikely(level >= NEST_MAX)) {
		this_cpu_dec(slog_cpu.nest);
		preempt_enable();
		akl_log_lost_add(1);
		return NULL;
	}
	c = this_cpu_ptr(&slog_cpu);
	r = &c->rec[level];
	akl_rec_init(r, c->scratch[level],
		     level ? SMALL_SCRATCH : AKL_PAYLOAD_MAX, type);
	return r;
}

/**
 * akl_log_aux() - a scratch buffer of AKL_AUX_SIZE bytes for a record
 * @r: from akl_log_begin()
 *
 * For what is read before it is escaped into the record (a path, a piece
 * of user memory); valid until the record is committed or discarded.
 *
 * Context: as akl_log_begin(), on the same CPU.
 * Return: the buffer.
 */
char *akl_log_aux(struct akl_rec *r)
{
	struct slog_cpu *c = this_cpu_ptr(&slog_cpu);

	return c->aux[r - c->rec];
}

/**
 * akl_log_discard() - give back a record without keeping it
 * @r: from akl_log_begin()
 *
 * Context: as akl_log_begin(), on the same CPU.
 */
void akl_log_discard(struct akl_rec *r)
{
	this_cpu_dec(slog_cpu.nest);
	preempt_enable();
}

/**
 * akl_log_commit() - keep a record and wake readers
 * @r: from akl_log_begin()
 *
 * Context: as akl_log_begin(), on the same CPU.
 */
void akl_log_commit(struct akl_rec *r)
{
	akl_rec_finish(r);
	akl_log_store(r);
	akl_log_discard(r);
}

/* Readers */

struct slog_reader {
	struct mutex lock;	/* one read() at a time on this file */
	u64 seq;		/* next record to return */
	u64 pos;		/* its offset, valid while seq >= first_seq */
	char *line;
	u8 *rec;		/* a record's fields, copied out of the ring */
	struct akl_fmt_memo *memo;	/* the last one's, formatted */
};

static bool slog_has_data(struct slog_reader *rd)
{
	return READ_ONCE(ring.next_seq) != READ_ONCE(rd->seq);
}

static size_t overrun_line(struct slog_reader *rd, u64 seq, u64 missed)
{
	size_t n;

	n = akl_format_header(rd->line, AKL_HDR_MAX, seq - 1,
			      ktime_get_real_ns(), ring.load_id, AKL_T_OVERRUN);
	n += scnprintf(rd->line + n, AKL_LINE_MAX - n,
		       " missed=%llu first_missed=%llu\n", missed, rd->seq);
	return n;
}

/*
 * The offset of the reader's next record, rd->seq, from its cursor, which
 * was stored while the lock was dropped: NULL if the ring does not hold it.
 *
 * Offsets only grow. A cursor behind tail points at an evicted entry; if
 * the record it wants is still held (rd->seq >= first_seq), only a pad was
 * evicted between them and that record is the oldest one, at tail.
 */
static struct slog_hdr *reader_entry(struct slog_reader *rd, u64 *pos)
{
	struct slog_hdr *h;

	lockdep_assert_held(&ring.lock);
	*pos = max(rd->pos, ring.tail);
	h = entry_at(*pos);
	if (h && h->type == PAD_TYPE) {
		*pos += h->size;
		h = entry_at(*pos);
	}
	if (!h || h->type == PAD_TYPE || h->seq != rd->seq)
		return NULL;
	return h;
}

/*
 * Writes the reader's next line into rd->line, and where the reader goes
 * next into *seq and *pos. The record is copied out under the lock and
 * formatted after it is dropped.
 * Returns its length, or 0 if there is none yet.
 */
static size_t next_line(struct slog_reader *rd, u64 *seq, u64 *pos)
{
	bool lost_place = false, got = false;
	struct slog_hdr hdr, *h;
	size_t n = 0, len = 0;

	raw_spin_lock_irq(&ring.lock);
	if (rd->seq < ring.first_seq) {
		n = overrun_line(rd, ring.first_seq, ring.first_seq - rd->seq);
		*seq = ring.first_seq;
		*pos = ring.tail;
	} else if (rd->seq != ring.next_seq) {
		u64 from = max(rd->pos, ring.tail);

		h = reader_entry(rd, pos);
		if (unlikely(!h)) {
			/*
			 * Cannot happen while the ring keeps its invariants.
			 * Skip to the newest record, and say what was skipped.
			 */
			lost_place = true;
			n = overrun_line(rd, ring.next_seq,
					 ring.next_seq - rd->seq);
			*seq = ring.next_seq;
			*pos = ring.head;
			goto unlock;
		}
		hdr = *h;
		len = h->size - sizeof(*h) - h->align;
		memcpy(rd->rec, h + 1, len);
		got = true;
		*seq = h->seq + 1;
		/* Read in order up to the lead: the lead moves on (a pad too). */
		if (from <= ring.lead && ring.lead < *pos + h->size) {
			if (ring.lead < *pos)
				lead_pass(hdr_at(ring.lead));
			lead_pass(h);
		}
		*pos += h->size;
	}
unlock:
	raw_spin_unlock_irq(&ring.lock);
	if (unlikely(lost_place))
		pr_err_ratelimited("reader lost its place at seq %llu; skipped to %llu\n",
				   rd->seq, *seq);
	if (got) {
		n = akl_format_header(rd->line, AKL_HDR_MAX, hdr.seq, hdr.ts_ns,
				      ring.load_id, hdr.type);
		rd->line[n++] = ' ';
		/* Room for the newline; entry_at() bounded len. */
		n += akl_format_fields(rd->line + n, AKL_LINE_MAX - 1 - n,
				       rd->rec, len, ring.load_id, 0, rd->memo);
		rd->line[n++] = '\n';
	}
	return n;
}

/*
 * A read() whose buffer is larger than the longest line gets as many whole
 * lines as fit in it: a reader such as cat(1) (128K reads) then pays for
 * one system call per buffer, not per record. Readers with the documented
 * 65536-byte buffer keep one record per read().
 */
static ssize_t slog_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct slog_reader *rd = file->private_data;
	size_t n, done = 0;
	u64 seq, pos;
	ssize_t ret;

	ret = mutex_lock_interruptible(&rd->lock);
	if (ret)
		return ret;
	while (!(n = next_line(rd, &seq, &pos))) {
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(ring.wq, slog_has_data(rd));
		if (ret)
			goto out;
	}
	/* A short buffer leaves the record unread: read again, larger. */
	if (n > count) {
		ret = -EINVAL;
		goto out;
	}
	do {
		if (copy_to_user(buf + done, rd->line, n)) {
			ret = done ? 0 : -EFAULT;
			break;
		}
		WRITE_ONCE(rd->seq, seq);
		rd->pos = pos;
		*ppos = seq;
		done += n;
		if (count <= AKL_LINE_MAX || fatal_signal_pending(current))
			break;
		cond_resched();
		/* A line that does not fit is formatted again by the next read. */
		n = next_line(rd, &seq, &pos);
	} while (n && n <= count - done);
	if (done)
		ret = done;
out:
	mutex_unlock(&rd->lock);
	return ret;
}

/* Entries looked at per hold of the lock when lseek() walks the ring. */
#define SEEK_CHUNK	256

/*
 * Finds the offset of record @seq, for first_seq <= @seq <= next_seq when
 * called. Records have no index: the walk goes from the oldest record, at
 * most SEEK_CHUNK entries per hold of the lock, which is dropped in between
 * (a 1G ring holds millions of records). Writers may evict what the walk
 * has passed meanwhile: then it goes on from the oldest record held, which
 * is further on, so every step makes progress.
 *
 * Return: the offset, or where the next read gives an overrun record if
 * @seq was evicted meanwhile; -EINTR on a fatal signal, -EIO if the ring
 * is inconsistent. Called with, and returns with, the lock held.
 */
static s64 seek_offset(u64 seq)
	__must_hold(&ring.lock)
{
	struct slog_hdr *h;
	u64 pos, s;
	int i;

	lockdep_assert_held(&ring.lock);
	if (seq == ring.next_seq)
		return ring.head;
	s = ring.first_seq;
	pos = ring.tail;
	for (;;) {
		if (seq <= ring.first_seq)
			return ring.tail;
		/* Overtaken: what the walk passed is gone. */
		if (pos < ring.tail) {
			s = ring.first_seq;
			pos = ring.tail;
		}
		for (i = 0; i < SEEK_CHUNK; i++) {
			if (s == seq)
				return pos;
			h = entry_at(pos);
			if (!h)
				return -EIO;
			if (h->type != PAD_TYPE)
				s++;
			pos += h->size;
		}
		raw_spin_unlock_irq(&ring.lock);
		cond_resched();
		raw_spin_lock_irq(&ring.lock);
		if (fatal_signal_pending(current))
			return -EINTR;
	}
}

/*
 * The file position is the sequence number of the next record: SEEK_SET
 * to N resumes at record N, SEEK_END goes past the newest record (with a
 * negative offset, back that many records but not before the oldest one
 * held), SEEK_CUR with 0 tells where the reader is, SEEK_DATA goes to the
 * oldest record held. A position older than the oldest record held gives
 * an overrun record for the difference on the next read.
 */
static loff_t slog_llseek(struct file *file, loff_t off, int whence)
{
	struct slog_reader *rd = file->private_data;
	u64 base, seq;
	loff_t ret;
	s64 pos;

	ret = mutex_lock_interruptible(&rd->lock);
	if (ret)
		return ret;
	raw_spin_lock_irq(&ring.lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = rd->seq;
		break;
	case SEEK_END:
		base = ring.next_seq;
		break;
	case SEEK_DATA:
		base = ring.first_seq;
		off = 0;
		break;
	default:
		ret = -EINVAL;
		goto unlock;
	}
	/* base <= next_seq, far below S64_MAX: no overflow. */
	if (off > (s64)(ring.next_seq - base)) {
		ret = -EINVAL;
		goto unlock;
	}
	if (whence == SEEK_END &&
	    off < -(s64)(ring.next_seq - ring.first_seq)) {
		/* "The last N records" when fewer are held: all of them. */
		seq = ring.first_seq;
	} else if (off < -(s64)base) {
		ret = -EINVAL;
		goto unlock;
	} else {
		seq = base + off;
	}
	pos = seek_offset(seq);
	if (pos < 0) {
		ret = pos;
		goto unlock;
	}
	WRITE_ONCE(rd->seq, seq);
	rd->pos = pos;
	file->f_pos = seq;
	ret = seq;
unlock:
	raw_spin_unlock_irq(&ring.lock);
	mutex_unlock(&rd->lock);
	return ret;
}

static __poll_t slog_poll(struct file *file, poll_table *wait)
{
	struct slog_reader *rd = file->private_data;

	poll_wait(file, &ring.wq, wait);
	/*
	 * Pairs with the full barrier in wq_has_sleeper(), called by
	 * wake_up_readers() after a writer advanced next_seq: either that
	 * writer sees this waiter on ring.wq and wakes it, or the check below
	 * sees the writer's record (as sock_poll_wait() does).
	 */
	smp_mb();
	return slog_has_data(rd) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int slog_open(struct inode *inode, struct file *file)
{
	struct slog_reader *rd;

	/* The node is 0400 root; a chmod or a user namespace is not enough. */
	if (!capable(CAP_SYSLOG))
		return -EPERM;
	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	rd->line = kvmalloc(AKL_LINE_MAX, GFP_KERNEL);
	rd->rec = kvmalloc(AKL_PAYLOAD_MAX, GFP_KERNEL);
	rd->memo = kzalloc(sizeof(*rd->memo), GFP_KERNEL);
	if (!rd->line || !rd->rec || !rd->memo) {
		kvfree(rd->line);
		kvfree(rd->rec);
		kfree(rd->memo);
		kfree(rd);
		return -ENOMEM;
	}
	mutex_init(&rd->lock);
	raw_spin_lock_irq(&ring.lock);
	rd->seq = ring.first_seq;
	rd->pos = ring.tail;
	/* The first reader: what is held is history, charged to no one. */
	if (!ring.nreaders++) {
		ring.lead = ring.head;
		memset(ring.unread, 0, sizeof(ring.unread));
	}
	raw_spin_unlock_irq(&ring.lock);
	file->f_pos = rd->seq;
	file->private_data = rd;
	return 0;
}

static int slog_release(struct inode *inode, struct file *file)
{
	struct slog_reader *rd = file->private_data;

	raw_spin_lock_irq(&ring.lock);
	ring.nreaders--;
	raw_spin_unlock_irq(&ring.lock);
	kvfree(rd->line);
	kvfree(rd->rec);
	kfree(rd->memo);
	kfree(rd);
	return 0;
}

static const struct file_operations slog_fops = {
	.owner = THIS_MODULE,
	.open = slog_open,
	.release = slog_release,
	.read = slog_read,
	.llseek = slog_llseek,
	.poll = slog_poll,
};

/* Counters: /sys/class/misc/secure_log/stats/, root only. */

struct stat_attr {
	struct device_attribute attr;
	int type;		/* enum akl_type, or one of the STAT_* below */
};

enum {
	STAT_WRITTEN = AKL_NR_TYPES, STAT_OVERWRITTEN, STAT_LOST,
	STAT_FIRST_SEQ, STAT_NEXT_SEQ, STAT_RING_SIZE, STAT_BYTES_USED,
	STAT_STORED_BYTES, STAT_OVER_BUDGET,
};

static ssize_t stat_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	int type = container_of(attr, struct stat_attr, attr)->type;
	u64 v = 0;
	int i;

	raw_spin_lock_irq(&ring.lock);
	switch (type) {
	case STAT_WRITTEN:
		for (i = 0; i < AKL_NR_TYPES; i++)
			v += ring.written[i];
		break;
	case STAT_OVERWRITTEN:
		v = ring.overwritten;
		break;
	case STAT_LOST:
		v = ring.lost + atomic_long_read(&ring.lost_pending);
		break;
	case STAT_FIRST_SEQ:
		v = ring.first_seq;
		break;
	case STAT_NEXT_SEQ:
		v = ring.next_seq;
		break;
	case STAT_RING_SIZE:
		v = ring.mask + 1;
		break;
	case STAT_BYTES_USED:
		v = ring.head - ring.tail;
		break;
	case STAT_STORED_BYTES:
		v = ring.stored_bytes;
		break;
	case STAT_OVER_BUDGET:
		v = ring.over_total;
		break;
	default:
		v = ring.written[type];
	}
	raw_spin_unlock_irq(&ring.lock);
	return sysfs_emit(buf, "%llu\n", v);
}

#define STAT(_name, _type) \
	static struct stat_attr stat_##_name = { \
		.attr = __ATTR(_name, 0400, stat_show, NULL), .type = _type }

STAT(written, STAT_WRITTEN);
STAT(overwritten, STAT_OVERWRITTEN);
STAT(lost, STAT_LOST);
STAT(first_seq, STAT_FIRST_SEQ);
STAT(next_seq, STAT_NEXT_SEQ);
STAT(ring_size, STAT_RING_SIZE);
STAT(bytes_used, STAT_BYTES_USED);
STAT(stored_bytes, STAT_STORED_BYTES);
STAT(over_budget, STAT_OVER_BUDGET);
STAT(written_config, AKL_T_CONFIG);
STAT(written_exec, AKL_T_EXEC);
STAT(written_net, AKL_T_NET);
STAT(written_lost, AKL_T_LOST);
STAT(written_exit, AKL_T_EXIT);
STAT(written_process, AKL_T_PROCESS);

static struct attribute *stat_attrs[] = {
	&stat_written.attr.attr,
	&stat_overwritten.attr.attr,
	&stat_lost.attr.attr,
	&stat_first_seq.attr.attr,
	&stat_next_seq.attr.attr,
	&stat_ring_size.attr.attr,
	&stat_bytes_used.attr.attr,
	&stat_stored_bytes.attr.attr,
	&stat_over_budget.attr.attr,
	&stat_written_config.attr.attr,
	&stat_written_exec.attr.attr,
	&stat_written_net.attr.attr,
	&stat_written_lost.attr.attr,
	&stat_written_exit.attr.attr,
	&stat_written_process.attr.attr,
	NULL,
};

static const struct attribute_group stat_group = {
	.name = "stats",
	.attrs = stat_attrs,
};

static const struct attribute_group *slog_groups[] = {
	&stat_group,
	NULL,
};

static struct miscdevice slog_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "secure_log",
	.fops = &slog_fops,
	.groups = slog_groups,
	.mode = 0400,
};

static void free_scratch(void)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < NEST_MAX; i++) {
			struct slog_cpu *c = per_cpu_ptr(&slog_cpu, cpu);

			kvfree(c->scratch[i]);
			kfree(c->aux[i]);
			c->scratch[i] = NULL;
			c->aux[i] = NULL;
		}
}

static int alloc_scratch(void)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < NEST_MAX; i++) {
			struct slog_cpu *c = per_cpu_ptr(&slog_cpu, cpu);
			int node = cpu_to_node(cpu);

			c->scratch[i] = kvmalloc_node(i ? SMALL_SCRATCH :
						      AKL_PAYLOAD_MAX,
						      GFP_KERNEL, node);
			c->aux[i] = kmalloc_node(AKL_AUX_SIZE, GFP_KERNEL, node);
			if (!c->scratch[i] || !c->aux[i]) {
				free_scratch();
				return -ENOMEM;
			}
		}
	return 0;
}

int akl_slog_init(void)
{
	int ret;

	akl_format_init();
	raw_spin_lock_init(&ring.lock);
	init_waitqueue_head(&ring.wq);
	init_irq_work(&ring.wake_work, wake_readers);
	INIT_DELAYED_WORK(&ring.wake_later, wake_readers_later);
	ring.wake_bytes = min_t(u64, WAKE_BYTES_MAX, ring_size / 16);
	ring.load_id = get_random_u64();
	ring.data = vzalloc(ring_size);
	if (!ring.data)
		return -ENOMEM;
	ring.mask = ring_size - 1;
	ret = alloc_scratch();
	if (ret)
		goto err_free_ring;
	ret = misc_register(&slog_dev);
	if (ret)
		goto err_free_scratch;
	WRITE_ONCE(slog_ready, true);
	return 0;

err_free_scratch:
	free_scratch();
err_free_ring:
	vfree(ring.data);
	return ret;
}

/*
 * Called after every writer is gone: probes unregistered, and parameter
 * writes shut out by akl_config_exit(). No file can be open (each holds a
 * module reference), but readers are woken anyway.
 */
void akl_slog_exit(void)
{
	WRITE_ONCE(slog_ready, false);
	misc_deregister(&slog_dev);
	wake_up_interruptible_all(&ring.wq);
	/* No writer is left to queue either again. */
	irq_work_sync(&ring.wake_work);
	cancel_delayed_work_sync(&ring.wake_later);
	free_scratch();
	vfree(ring.data);
}
