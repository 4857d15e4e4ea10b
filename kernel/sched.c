/*
 * sched.c - the scheduler: the run queue, turns, and the loop of lc_run().
 *
 * One OS thread runs every process. The scheduler keeps a FIFO queue of
 * runnable processes and gives each a turn in order. A turn ends when the
 * process waits (receive, sleep), yields, exits, or has spent its budget of
 * LC_REDUCTIONS kernel calls -- then the next one runs. Nobody is ever
 * interrupted in the middle of C code: a process that loops without calling
 * the kernel keeps the CPU (the BEAM would preempt it; C cannot safely).
 *
 * Two shortcuts keep switches cheap without changing the order:
 *
 *  - Direct hand-off. When a process waits, it switches straight to the
 *    next runnable process instead of to the scheduler and from there to
 *    the next: one switch instead of two. The next process is the one the
 *    scheduler would have picked, so the order is the same.
 *  - The scheduler's own loop runs on the thread's original stack. It is
 *    where processes end (lc__proc_finish()), where timers fire and where
 *    the virtual clock moves.
 *
 * Chaos mode picks the next process at random, from a seed, instead of the
 * head of the queue. It explores other interleavings of the same program
 * (each sender's messages still arrive in order); the same seed gives the
 * same interleaving, so a failure found this way can be replayed.
 */
#include "kernel.h"
#include "lc/kernel/testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef LC_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* --- The run queue ------------------------------------------------------ */

/* splitmix64: a small, good generator; the state is the seed. */
static uint64_t rand64(void)
{
    uint64_t z = (K.rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Take 'head', the head of the queue, off it. */
static inline void rq_pop_head(struct lc_proc *head)
{
    K.rq_head = head->rq_next;
    if (K.rq_head == NULL) {
        K.rq_tail = &K.rq_head;
    }
    K.rq_len--;
}

/* Take the next process to run: the head, or in chaos mode any of them. */
static struct lc_proc *rq_pop(void)
{
    struct lc_proc **pp = &K.rq_head;
    if (*pp == NULL) {
        return NULL;
    }
    if (K.chaos && K.rq_len > 1) {
        for (uint64_t k = rand64() % K.rq_len; k > 0; k--) {
            pp = &(*pp)->rq_next;
        }
    }
    struct lc_proc *p = *pp;
    *pp = p->rq_next;
    if (K.rq_tail == &p->rq_next) {
        K.rq_tail = pp;
    }
    K.rq_len--;
    return p;
}

/* --- Switching ---------------------------------------------------------- */

/*
 * Switch from process 'from' to process 'to'; NULL stands for the
 * scheduler. This is the one switch of the kernel: the rest of it calls
 * this, and this calls lc__ctx_switch(), which swaps the registers. Under
 * AddressSanitizer each switch is announced, so that it knows which stack is
 * in use (otherwise it reports errors on perfectly good stack accesses).
 *
 * Declared in kernel.h without 'inline': the other files call it, and this
 * file gets it inline in the switches that every message pays for.
 */
__attribute__((always_inline)) inline void
lc__sched_switch(struct lc_proc *from, struct lc_proc *to)
{
    struct lc_ctx *fc = from ? &from->ctx : &K.sched;
    struct lc_ctx *tc = to ? &to->ctx : &K.sched;
    if (from != NULL) {
        /* Reductions are added up here, once a turn, not at every call. */
        from->reds += lc__turn_spent();
    }
    K.cur = K.active = to;
    K.reds_left = K.reductions;
    if (to != NULL) {
        to->state = LC_STATE_RUNNING;
    }
#ifdef LC_ASAN
    void *fake = NULL;
    bool dying = from && from->state == LC_STATE_EXITING;
    const void *lo = to ? to->stack->lo : K.sched_stack_lo;
    size_t size =
            to ? (size_t)(to->stack->hi - to->stack->lo) : K.sched_stack_size;
    __sanitizer_start_switch_fiber(dying ? NULL : &fake, lo, size);
#endif
    lc__ctx_switch(fc, tc);
#ifdef LC_ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

/*
 * The direct hand-off, the scheduler's shortcut: when a process waits or
 * ends, the CPU can go straight to the next runnable process instead of to
 * the scheduler and from there to that process -- one switch instead of
 * two. It is the process the scheduler would have picked, so the order of
 * turns is the same (tests/kernel/check_equiv.c runs the same program both
 * ways and compares). Not in chaos mode (the scheduler picks at random), not
 * to a process that was killed (the scheduler finishes it), and, when
 * timers are pending, not forever: every so often the scheduler gets the
 * CPU back, so that real-time timers are not starved by processes that only
 * hand off to each other.
 *
 * Returns the process, taken off the queue, or NULL: go to the scheduler.
 */
static inline struct lc_proc *handoff(void)
{
    struct lc_proc *next = K.rq_head;
    if (next == NULL || K.chaos || (next->flags & PF_KILLED) ||
        (K.heap_len != 0 && ++K.handoffs >= K.reductions)) {
        K.handoffs = 0;
        return NULL;
    }
    rq_pop_head(next);
    return next;
}

/* region: block */
/* The running process waits; its state says why. Switch to the next
   process: through the scheduler, or directly (handoff(), above). */
void lc__sched_block(void)
{
    struct lc_proc *next = handoff();
    if (next == NULL) {
        lc__sched_switch(K.cur, NULL); /* to the scheduler */
    } else {
        lc__sched_switch(K.cur, next); /* straight to the next process */
    }
}
/* endregion */

/* The running process has ended (lc__proc_finish() has run): switch away
   for good. */
_Noreturn void lc__sched_leave(struct lc_proc *dead)
{
    struct lc_proc *next = handoff();
    if (next == NULL) {
        lc__sched_switch(dead, NULL); /* to the scheduler */
    } else {
        lc__sched_switch(dead, next); /* straight to the next process */
    }
    lc_panic("a dead process was resumed");
}

void lc_yield(void)
{
    struct lc_proc *p = lc__self_or_panic("lc_yield");
    if (K.rq_head == NULL && K.clock == LC_CLOCK_VIRTUAL) {
        p->reds += lc__turn_spent(); /* nobody else wants the CPU: */
        K.reds_left = K.reductions;  /* a new turn */
        return;
    }
    lc__sched_ready(p);
    lc__sched_switch(p, NULL);
}

void lc__sched_turn_over(struct lc_proc *p)
{
    lc__sched_ready(p); /* to the back of the queue */
    lc__sched_switch(p, NULL);
}

/* --- The loop ----------------------------------------------------------- */

enum loop_mode {
    UNTIL_IDLE, /* stop when nothing can run now */
    UNTIL_TIME, /* also fire timers up to 'until' */
    FOREVER     /* also fire every timer: until nothing is left */
};

/* Give 'p' its turn. It comes back here when some process switches to the
   scheduler: because it ended, waits with nobody to hand off to, yields or
   used up its budget. */
static void run_one(struct lc_proc *p)
{
    if (p->flags & PF_KILLED) {
        lc__proc_finish(p); /* killed before its turn: it never resumes */
        return;
    }
    lc__sched_switch(NULL, p);
    if (K.dying != NULL) {
        lc__proc_finish(K.dying);
    }
}

/* region: loop */
static size_t loop(enum loop_mode mode, int64_t until)
{
    if (!K.up || K.cur != NULL) {
        lc_panic("lc_run() and lc_advance() must be called outside processes");
    }
    for (;;) {
        if (K.clock == LC_CLOCK_REAL) {
            lc__timer_fire_due();
        }
        struct lc_proc *p = rq_pop();
        if (p != NULL) {
            run_one(p);
            continue;
        }
        int64_t next = lc__timer_next();
        if (next < 0 || mode == UNTIL_IDLE ||
            (mode == UNTIL_TIME && next > until)) {
            break;
        }
        if (K.clock == LC_CLOCK_VIRTUAL) {
            lc__clock_set(next);
        } else {
            lc__clock_wait_until(next);
        }
        lc__timer_fire_due();
    }
    return K.nlive;
}
/* endregion */

size_t lc_run(void)
{
    return loop(FOREVER, 0);
}

size_t lc_run_until_idle(void)
{
    return loop(UNTIL_IDLE, 0);
}

void lc_advance(int64_t ms)
{
    int64_t until = lc_now() + (ms > 0 ? ms : 0);
    loop(UNTIL_TIME, until);
    if (K.clock == LC_CLOCK_VIRTUAL) {
        lc__clock_set(until);
    } else {
        lc__clock_wait_until(until);
    }
    lc__timer_fire_due();
    loop(UNTIL_IDLE, 0);
}

uint64_t lc_seed(void)
{
    return K.chaos ? K.seed : 0;
}

/* --- Start and stop ----------------------------------------------------- */

static int configure(const struct lc_config *cfg)
{
    struct lc_config c = cfg ? *cfg : (struct lc_config){ 0 };
    const char *env = getenv("LC_SEED");
    if (env != NULL && *env != '\0') {
        c.chaos = true;
        c.seed = strtoull(env, NULL, 0);
    }
    if (c.clock != LC_CLOCK_VIRTUAL && c.clock != LC_CLOCK_REAL) {
        return LC_EINVAL;
    }
    if (c.stack_size > LC_STACK_MAX) {
        return LC_EINVAL;
    }
    K.clock = c.clock;
    K.chaos = c.chaos;
    K.seed = c.chaos ? (c.seed ? c.seed : 1) : 0;
    K.rng = K.seed;
    K.reductions = c.reductions ? c.reductions : LC_REDUCTIONS;
    K.stack_size = c.stack_size ? c.stack_size : LC_STACK_SIZE;
    K.share_after = c.share_after;
    K.max_procs = c.max_procs ? c.max_procs : (4u << 20);
    return 0;
}

#ifdef LC_ASAN
static void asan_sched_stack(void)
{
    pthread_attr_t attr;
    void *lo = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &lo, &size);
        pthread_attr_destroy(&attr);
    }
    K.sched_stack_lo = lo;
    K.sched_stack_size = size;
}
#endif

int lc_init(const struct lc_config *cfg)
{
    if (K.up) {
        return LC_EBUSY;
    }
    memset(&K, 0, sizeof K);
    int err = configure(cfg);
    if (err < 0) {
        return err;
    }
    K.rq_tail = &K.rq_head;
    K.tab = calloc(1024, sizeof *K.tab);
    if (K.tab == NULL) {
        return LC_ENOMEM;
    }
    K.tab_cap = 1024;
    K.tab_len = 1; /* index 0 is never a pid: its entry stays empty */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    K.real_base_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    if ((err = lc__stack_init(K.stack_size, K.share_after)) < 0 ||
        (err = lc__fault_init()) < 0) {
        lc__stack_fini();
        lc__proc_table_free();
        return err;
    }
#ifdef LC_ASAN
    asan_sched_stack();
#endif
    K.up = true;
    return 0;
}

void lc_fini(void)
{
    if (!K.up) {
        return;
    }
    if (K.cur != NULL) {
        lc_panic("lc_fini() must be called outside processes");
    }
    K.stopping = true;
    lc__proc_fini_all();
    lc__timer_fini();
    lc__edges_fini();
    lc__msg_cache_free();
    lc__fault_fini();
    lc__stack_fini();
    lc__proc_table_free();
    memset(&K, 0, sizeof K);
}

void lc_test_recover(void)
{
    if (!K.up || K.cur == NULL) {
        return;
    }
    /* The process that was running has lost its stack frames: treat it as
       killed, and leave the hooks and the rest to lc_fini(). */
    lc__proc_doom(K.cur);
    K.cur->reason = lc_reason(LC_A_KILLED);
    K.cur->state = LC_STATE_RUNNABLE;
    K.cur = K.active = NULL;
#ifdef LC_ASAN
    /* Tell AddressSanitizer we are back on the thread's own stack. */
    __sanitizer_start_switch_fiber(NULL, K.sched_stack_lo, K.sched_stack_size);
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    K.in_hook = false;
    K.dying = NULL;
}
