/*
 * timer.c - the clock and the timers.
 *
 * lc_now() is the only source of time in the kit. With the virtual clock it
 * returns K.vnow, which only the scheduler moves: when no process can run,
 * lc_run() sets it to the earliest timer's deadline and fires that timer. A
 * test that waits five simulated seconds therefore takes no real time at all
 * and always sees the same times.
 *
 * Timers sit in a binary min-heap ordered by (deadline, seq). 'seq' is an
 * insertion counter: two timers due at the same millisecond fire in the
 * order they were set, which keeps runs deterministic. Each timer stores its
 * own heap position (+1, so 0 means "not armed"), so cancelling one is
 * O(log n) instead of a search. A receive with a timeout arms the timer
 * embedded in the process's PCB: no allocation. lc_send_after() allocates a
 * timer that carries a ready-made message.
 */
#include "kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

/* --- The clock ---------------------------------------------------------- */

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    K.last_now = (ns - K.real_base_ns) / 1000000;
    return K.last_now;
}

int64_t lc__now_cheap(void)
{
    return K.clock == LC_CLOCK_REAL ? K.last_now : K.vnow;
}

int64_t lc_now(void)
{
    return K.clock == LC_CLOCK_REAL ? real_ms() : K.vnow;
}

void lc__clock_set(int64_t ms)
{
    if (ms > K.vnow) {
        K.vnow = ms;
    }
}

void lc__clock_wait_until(int64_t ms)
{
    int64_t ns = K.real_base_ns + ms * 1000000;
    struct timespec ts = { .tv_sec = ns / 1000000000,
                           .tv_nsec = ns % 1000000000 };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
           EINTR) {
    }
}

/* --- The heap ----------------------------------------------------------- */

static bool before(const struct lc_timer *a, const struct lc_timer *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(struct lc_timer *t, uint32_t i)
{
    K.heap[i] = t;
    t->slot = i + 1;
}

static void sift_up(uint32_t i)
{
    struct lc_timer *t = K.heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!before(t, K.heap[parent])) {
            break;
        }
        place(K.heap[parent], i);
        i = parent;
    }
    place(t, i);
}

static void sift_down(uint32_t i)
{
    struct lc_timer *t = K.heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= K.heap_len) {
            break;
        }
        if (child + 1 < K.heap_len &&
            before(K.heap[child + 1], K.heap[child])) {
            child++;
        }
        if (!before(K.heap[child], t)) {
            break;
        }
        place(K.heap[child], i);
        i = child;
    }
    place(t, i);
}

static int heap_grow(void)
{
    uint32_t cap = K.heap_cap ? K.heap_cap * 2 : 64;
    struct lc_timer **heap = realloc(K.heap, cap * sizeof *heap);
    if (heap == NULL) {
        return LC_ENOMEM;
    }
    K.heap = heap;
    K.heap_cap = cap;
    return 0;
}

/* Take 't' out of the heap if it is in it. */
static void disarm(struct lc_timer *t)
{
    if (t->slot != 0) {
        lc__timer_remove(t);
    }
}

void lc__timer_arm(struct lc_timer *t, int64_t deadline)
{
    disarm(t);
    if (K.heap_len == K.heap_cap && heap_grow() < 0) {
        lc_panic("out of memory for timers");
    }
    t->deadline = deadline;
    t->seq = ++K.timer_seq;
    place(t, K.heap_len++);
    sift_up(K.heap_len - 1);
    if (t->proc != NULL) {
        t->proc->flags |= PF_TIMER;
    }
}

void lc__timer_remove(struct lc_timer *t)
{
    uint32_t i = t->slot - 1;
    t->slot = 0;
    if (t->proc != NULL) {
        t->proc->flags &= (uint16_t)~PF_TIMER;
    }
    struct lc_timer *last = K.heap[--K.heap_len];
    if (last != t) {
        place(last, i);
        sift_up(i);
        sift_down(last->slot - 1);
    }
}

int64_t lc__timer_next(void)
{
    return K.heap_len ? K.heap[0]->deadline : -1;
}

/* A timer fired: wake the waiting process, or deliver the message. */
static void fire(struct lc_timer *t)
{
    if (t->proc != NULL) {
        struct lc_proc *p = t->proc;
        p->flags |= PF_TIMEDOUT;
        if (p->state == LC_STATE_WAITING) {
            lc__sched_ready(p);
        }
        return;
    }
    struct lc_proc *p = lc__proc_lookup(t->to);
    if (p != NULL && p->state != LC_STATE_EXITING) {
        lc__msg_deliver(p, t->msg);
        lc__trace(LC_EV_SEND, t->msg->from, t->to, t->msg->tag, NULL);
    } else {
        lc__msg_drop(t->msg);
    }
    free(t);
}

void lc__timer_fire_due(void)
{
    if (K.heap_len == 0) {
        return; /* do not even read the clock */
    }
    int64_t now = lc_now();
    while (K.heap_len > 0 && K.heap[0]->deadline <= now) {
        struct lc_timer *t = K.heap[0];
        disarm(t);
        fire(t);
    }
}

void lc__timer_fini(void)
{
    while (K.heap_len > 0) {
        struct lc_timer *t = K.heap[K.heap_len - 1];
        disarm(t);
        if (t->proc == NULL) {
            lc__msg_drop(t->msg);
            free(t);
        }
    }
    free(K.heap);
    K.heap = NULL;
    K.heap_cap = 0;
}

/* --- The public calls --------------------------------------------------- */

void lc_sleep(int64_t ms)
{
    struct lc_proc *p = lc__self_or_panic("lc_sleep");
    if (ms <= 0) {
        lc_yield();
        return;
    }
    p->wait = WAIT_NONE;
    p->flags &= (uint16_t)~PF_TIMEDOUT;
    lc__timer_arm(&p->timer, lc_now() + ms);
    while (!(p->flags & PF_TIMEDOUT)) {
        p->state = LC_STATE_WAITING;
        lc__sched_block();
    }
    p->flags &= (uint16_t)~PF_TIMEDOUT;
}

uint64_t lc_send_after(int64_t ms, lc_pid to, int tag, const void *data,
                       size_t size)
{
    if (size > (16u << 20) || (size > 0 && data == NULL)) {
        return 0;
    }
    struct lc_timer *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return 0;
    }
    t->msg = lc__msg_new(lc_self(), tag, 0, data, size);
    if (t->msg == NULL) {
        free(t);
        return 0;
    }
    t->to = to;
    t->ref = ++K.next_ref;
    lc__timer_arm(t, lc_now() + (ms > 0 ? ms : 0));
    return t->ref;
}

int lc_timer_cancel(uint64_t tref)
{
    for (uint32_t i = 0; i < K.heap_len; i++) {
        struct lc_timer *t = K.heap[i];
        if (t->proc == NULL && t->ref == tref) {
            disarm(t);
            lc__msg_drop(t->msg);
            free(t);
            return 0;
        }
    }
    return LC_ENOENT;
}
