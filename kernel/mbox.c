/*
 * mbox.c - sending, the mailbox, and selective receive.
 *
 * The mailbox is the BEAM's: a singly linked FIFO of messages with a tail
 * pointer for O(1) appends. 'mq_tail' points at the last message's 'next'
 * field (or at 'mq_head' when the mailbox is empty), so appending never
 * needs a special case.
 *
 * A receive scans from the oldest message and takes the first one that
 * matches. If none does, the process waits -- and when a new message wakes
 * it, the scan continues where it stopped: the messages it already looked at
 * cannot have started to match. The scan position is a pointer to a 'next'
 * field, which stays valid while the process waits because only the owner
 * ever removes messages from its own mailbox.
 *
 * The receive marker. A call sends a request carrying a fresh reference and
 * waits for the reply carrying the same reference. The reply cannot be older
 * than the reference, so lc_ref_make() remembers where the mailbox ended and
 * lc_receive_ref() starts there: a call stays O(1) even behind thousands of
 * unrelated messages (the BEAM does the same).
 *
 * A received message belongs to the receiver, on its 'held' list, until
 * lc_msg_free() or the receiver's exit. Small message blocks are kept on a
 * free list and reused (not under AddressSanitizer, which must see every
 * free to find use-after-free bugs).
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

#define MSG_MAX (16u << 20)

/*
 * Message blocks. Most messages are small, so blocks of MSG_SMALL bytes are
 * kept on a free list and reused: a send then costs no malloc() at all.
 * Bigger messages get a block of their own size. The fast paths are inline;
 * the rare cases (malloc, free) are out of line, so the common path saves
 * no registers it does not need.
 */
#define MSG_SMALL 128u  /* bytes of a small block, header included */
#define MSG_KEEP  4096u /* small blocks kept for reuse */

static __attribute__((noinline)) struct lc_msg *msg_alloc_slow(size_t total)
{
    return malloc(total < MSG_SMALL ? MSG_SMALL : total);
}

static inline struct lc_msg *msg_alloc(size_t size)
{
    size_t total = sizeof(struct lc_msg) + size;
#ifndef LC_ASAN
    struct lc_msg *m = K.msg_free;
    if (total <= MSG_SMALL && m != NULL) {
        K.msg_free = m->next;
        K.msg_nfree--;
        return m;
    }
#endif
    return msg_alloc_slow(total);
}

struct lc_msg *lc__msg_new(lc_pid from, int tag, uint64_t ref, const void *data,
                           size_t size)
{
    struct lc_msg *m = msg_alloc(size);
    if (m == NULL) {
        return NULL;
    }
    m->next = NULL;
    m->pprev = NULL;
    m->from = from;
    m->ref = ref;
    m->tag = tag;
    m->size = (uint32_t)size;
    if (size > 0) {
        memcpy(m->data, data, size);
    }
    return m;
}

void lc__msg_drop(struct lc_msg *m)
{
#ifndef LC_ASAN
    if (sizeof *m + m->size <= MSG_SMALL && K.msg_nfree < MSG_KEEP) {
        m->next = K.msg_free;
        K.msg_free = m;
        K.msg_nfree++;
        return;
    }
#endif
    free(m);
}

void lc__msg_cache_free(void)
{
    while (K.msg_free != NULL) {
        struct lc_msg *m = K.msg_free;
        K.msg_free = m->next;
        free(m);
    }
    K.msg_nfree = 0;
}

/* Void the receive timeout of 'p', which a message has just woken -- unless
   it waits with a predicate, which may still say no: then the timer stays,
   so that messages it does not want cannot restart the timeout. */
static inline void cancel_timeout(struct lc_proc *p)
{
    if ((p->flags & PF_TIMER) && p->wait != WAIT_FN) {
        lc__timer_remove(&p->timer);
    }
}

/* Speed, not meaning: 'p' will run soon, so start fetching the registers
   it will pop off its stack; among thousands of processes that cache miss
   then overlaps with the sender's own work. */
static inline void prefetch_stack(const struct lc_proc *p)
{
    __builtin_prefetch(p->ctx.sp);
    __builtin_prefetch((char *)p->ctx.sp + 64);
}

/* region: deliver */
/* Would 'm' end the wait of 'p'? Only the cheap matchers are asked here, in
   the sender; a predicate belongs to the receiver, so any message wakes a
   process that waits with one, and it runs its predicate itself. */
static inline bool wakes(const struct lc_proc *p, const struct lc_msg *m)
{
    unsigned w = p->wait;
    if (w == WAIT_ANY || w == WAIT_FN) {
        return true;
    }
    if (w == WAIT_REF) {
        return m->ref == p->wait_ref;
    }
    return w == WAIT_TAG && m->tag == p->wait_tag; /* WAIT_NONE: asleep */
}

/* Append 'm' to the mailbox of 'p'. If 'p' was waiting for such a message,
   it can run again: back on the run queue, its timeout void. */
static inline void deliver(struct lc_proc *p, struct lc_msg *m)
{
    m->next = NULL;
    *p->mq_tail = m;
    p->mq_tail = &m->next;
    p->mq_len++;
    if (p->state == LC_STATE_WAITING && wakes(p, m)) {
        lc__sched_ready(p);
        cancel_timeout(p);
        prefetch_stack(p); /* for speed only */
    }
}
/* endregion */

void lc__msg_deliver(struct lc_proc *p, struct lc_msg *m)
{
    deliver(p, m);
}

/* Out of line: the fast send below calls it only when it does not apply,
   and then saves no registers for it on its own path. */
static __attribute__((noinline)) int send_msg(lc_pid to, int tag, uint64_t ref,
                                              const void *data, size_t size);

/* region: send */
/* Send a message: check, find the receiver, copy the data into a new
   message, deliver it. A message to a process that has ended is dropped. */
static int send_msg(lc_pid to, int tag, uint64_t ref, const void *data,
                    size_t size)
{
    if (size > MSG_MAX || (size > 0 && data == NULL)) {
        return LC_EINVAL;
    }
    lc_pid from = K.cur ? K.cur->pid : LC_NOPID;
    struct lc_proc *p = lc__proc_lookup(to);
    if (p != NULL && p->state != LC_STATE_EXITING) {
        struct lc_msg *m = lc__msg_new(from, tag, ref, data, size);
        if (m == NULL) {
            return LC_ENOMEM;
        }
        deliver(p, m);
    }
    lc__trace(LC_EV_SEND, from, to, tag, NULL);
    lc__sched_spend();
    return 0;
}
/* endregion */

/*
 * --- The fast send ----------------------------------------------------------
 *
 * send_msg() above is how a send works; send_fast() below is how most sends
 * run, and does the same (tests/kernel/check_equiv.c sends the same
 * messages through both and compares what arrives). Its one case is the
 * common one: a process sends a small message to a live process, with no
 * tracer, and a block is waiting on the free list. It makes no call at all
 * (but to the receiver's timer, if any), so it saves no registers: a send
 * then costs a few dozen instructions. Everything else goes to send_msg().
 */

/* Copy a payload of 'n' bytes that fits a small block. A memcpy() of
   unknown size compiles to a loop or a library call; most payloads are a
   few words, and 16-byte copies that overlap at the end move them in a
   handful of instructions. */
static inline void copy_small(unsigned char *d, const unsigned char *s,
                              size_t n)
{
    if (n >= 16) {
        for (size_t i = 0; i + 16 < n; i += 16) {
            memcpy(d + i, s + i, 16);
        }
        memcpy(d + n - 16, s + n - 16, 16);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n > 0) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

static inline int send_fast(lc_pid to, int tag, uint64_t ref, const void *data,
                            size_t size)
{
    struct lc_proc *p = lc__proc_lookup(to);
    struct lc_msg *m = K.msg_free;
    struct lc_proc *self = K.cur;
    if (m == NULL || p == NULL || self == NULL || K.tracer != NULL ||
        size > MSG_SMALL - sizeof *m || (size > 0 && data == NULL) ||
        p->state == LC_STATE_EXITING) {
        return send_msg(to, tag, ref, data, size);
    }
    /* Copy first: if 'data' is a bad pointer, the fault ends the sender
       with the block still on the free list. */
    copy_small(m->data, data, size);
    K.msg_free = m->next;
    K.msg_nfree--;
    m->pprev = NULL;
    m->from = self->pid;
    m->ref = ref;
    m->tag = tag;
    m->size = (uint32_t)size;
    deliver(p, m);
    lc__sched_spend();
    return 0;
}

int lc_send_ref(lc_pid to, int tag, uint64_t ref, const void *data, size_t size)
{
    return send_fast(to, tag, ref, data, size);
}

int lc_send(lc_pid to, int tag, const void *data, size_t size)
{
    return send_fast(to, tag, 0, data, size);
}

uint64_t lc_ref_make(void)
{
    uint64_t ref = ++K.next_ref;
    struct lc_proc *p = K.cur;
    if (p != NULL && !K.in_hook) {
        p->mq_mark = p->mq_tail;
        p->mark_ref = ref;
        p->flags |= PF_MARK;
    }
    return ref;
}

/* --- Receive ------------------------------------------------------------ */

/*
 * The receives are inline, for speed (and still exported: msg.h declares
 * them without it). Each lc_receive_*() gets its own copy of receive()
 * below, with its matcher built in as a constant. And a program built with
 * link-time optimisation -- bench/ is -- gets the whole receive loop inside
 * its own function, so a process that waits is suspended, and later
 * resumed, in its own code: the CPU then has no return to predict after a
 * switch, where it would guess wrong (its return-address stack holds the
 * other process's calls).
 */
#define RECEIVE_API __attribute__((always_inline)) inline
static inline __attribute__((always_inline)) struct lc_msg *
receive(struct lc_proc *p, enum lc_wait w, int64_t timeout);

/* Is 'm' what 'p' waits for? ('w' is p->wait.) */
static inline bool matches(const struct lc_proc *p, enum lc_wait w,
                           const struct lc_msg *m)
{
    switch (w) {
        case WAIT_ANY:
            return true;
        case WAIT_TAG:
            return m->tag == p->wait_tag;
        case WAIT_REF:
            return m->ref == p->wait_ref;
        case WAIT_FN:
            return p->wait_fn(m, p->wait_ctx);
        default:
            return false;
    }
}

/* Where the scan starts: at the oldest message -- or, when 'p' waits for
   the answer to its last lc_ref_make(), where the mailbox ended then (the
   answer cannot be older). Nothing can move the mark while 'p' waits. */
static inline bool starts_at_mark(const struct lc_proc *p, enum lc_wait w)
{
    return w == WAIT_REF && (p->flags & PF_MARK) && p->mark_ref == p->wait_ref;
}

/* Take the message *pp out of the mailbox and put it on the held list.
   The receive is over: its timer goes, and so does the mark if it served. */
static inline __attribute__((always_inline)) struct lc_msg *
take(struct lc_proc *p, struct lc_msg **pp, bool by_mark)
{
    lc__proc_timer_cancel(p);
    /* The timer may have fired and lost the race to this message: the next
       receive must not see its flag. */
    p->flags &= (uint16_t) ~(PF_TIMEDOUT | (by_mark ? PF_MARK : 0));
    struct lc_msg *m = *pp;
    *pp = m->next;
    if (p->mq_tail == &m->next) {
        p->mq_tail = pp;
    }
    if ((p->flags & PF_MARK) && p->mq_mark == &m->next) {
        p->mq_mark = pp; /* keep the marker on a live 'next' field */
    }
    p->mq_len--;
    m->next = p->held;
    m->pprev = &p->held;
    if (p->held != NULL) {
        p->held->pprev = &m->next;
    }
    p->held = m;
    lc__trace(LC_EV_RECEIVE, p->pid, m->from, m->tag, NULL);
    return m;
}

/* The receive timer of 'p' has fired: the flag has served. Out of line and
   cold, so that the compiler lays the receive out for a wait that does not
   time out. */
static __attribute__((cold, noinline)) void timeout_seen(struct lc_proc *p)
{
    p->flags &= (uint16_t)~PF_TIMEDOUT;
    lc__trace(LC_EV_TIMEOUT, p->pid, LC_NOPID, 0, NULL);
}

/* Has the receive timer of 'p' fired? */
static inline bool timed_out(struct lc_proc *p)
{
    if (p->flags & PF_TIMEDOUT) {
        timeout_seen(p);
        return true;
    }
    return false;
}

/* region: receive */
/* Scan the mailbox of 'p' for the first message it waits for ('w' and its
   argument are set); if there is none, wait, and go on where the scan
   stopped: the messages already seen cannot have started to match. */
static struct lc_msg *receive(struct lc_proc *p, enum lc_wait w,
                              int64_t timeout)
{
    lc__sched_spend();
    bool by_mark = starts_at_mark(p, w);
    struct lc_msg **pp = by_mark ? p->mq_mark : &p->mq_head;
    for (;;) {
        for (; *pp != NULL; pp = &(*pp)->next) {
            if (matches(p, w, *pp)) {
                return take(p, pp, by_mark);
            }
        }
        if (timeout == 0 || timed_out(p)) {
            return NULL;
        }
        if (timeout > 0 && !(p->flags & PF_TIMER)) {
            lc__timer_arm(&p->timer, lc_now() + timeout);
        }
        p->state = LC_STATE_WAITING;
        lc__sched_block();
    }
}
/* endregion */

RECEIVE_API struct lc_msg *lc_receive_match(lc_match_fn *match, const void *ctx,
                                            int64_t timeout_ms)
{
    struct lc_proc *p = lc__self_or_panic("lc_receive_match");
    p->wait = WAIT_FN;
    p->wait_fn = match;
    p->wait_ctx = ctx;
    return receive(p, WAIT_FN, timeout_ms);
}

RECEIVE_API struct lc_msg *lc_receive(int64_t timeout_ms)
{
    struct lc_proc *p = lc__self_or_panic("lc_receive");
    p->wait = WAIT_ANY;
    return receive(p, WAIT_ANY, timeout_ms);
}

RECEIVE_API struct lc_msg *lc_receive_tag(int tag, int64_t timeout_ms)
{
    struct lc_proc *p = lc__self_or_panic("lc_receive_tag");
    p->wait = WAIT_TAG;
    p->wait_tag = tag;
    return receive(p, WAIT_TAG, timeout_ms);
}

RECEIVE_API struct lc_msg *lc_receive_ref(uint64_t ref, int64_t timeout_ms)
{
    struct lc_proc *p = lc__self_or_panic("lc_receive_ref");
    p->wait = WAIT_REF;
    p->wait_ref = ref;
    return receive(p, WAIT_REF, timeout_ms);
}

void lc_msg_free(struct lc_msg *m)
{
    if (m == NULL) {
        return;
    }
    if (m->pprev != NULL) {
        *m->pprev = m->next;
        if (m->next != NULL) {
            m->next->pprev = m->pprev;
        }
    }
    lc__msg_drop(m);
}

size_t lc_mailbox_len(void)
{
    return K.cur ? K.cur->mq_len : 0;
}

void lc__mbox_free_all(struct lc_proc *p)
{
    while (p->mq_head != NULL) {
        struct lc_msg *m = p->mq_head;
        p->mq_head = m->next;
        lc__msg_drop(m);
    }
    p->mq_tail = &p->mq_head;
    p->mq_len = 0;
    while (p->held != NULL) {
        struct lc_msg *m = p->held;
        p->held = m->next;
        lc__msg_drop(m);
    }
}
