/*
 * kernel.h - the kernel's private state, shared by the files in kernel/.
 *
 * This header is the map of the kernel. It defines the process control
 * block (struct lc_proc), the one struct that holds all kernel state
 * (struct lc_kernel, reached as K), and the functions the kernel's files call
 * in each other (named lc__<module>_<verb>). Nothing outside kernel/
 * includes it: programs see only include/lc/.
 *
 * Where things live:
 *
 *   ctx_*.S   switching stacks           stack.c  the stack arena
 *   proc.c    spawn, exit, kill, hooks   sched.c  run queue, lc_run(), init
 *   mbox.c    send, receive              timer.c  clock, timer heap
 *   mem.c     process memory             fault.c  hardware faults
 *   term.c    atoms, reasons             info.c   introspection, edges, trace
 *   dot.c     Graphviz export            err.c    error messages
 *   stackshare.c  stacks shared by processes beyond the first 100Ki
 */
#ifndef LC_KERNEL_H
#define LC_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

#if defined(__SANITIZE_ADDRESS__)
#define LC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LC_ASAN 1
#endif
#endif

#if !defined(LC_CTX_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define LC_CTX_UCONTEXT 1
#endif

#ifdef LC_CTX_UCONTEXT
#include <ucontext.h>
#endif

/* --- Contexts (ctx_*.S, and ctx.c) -------------------------------------- */

/*
 * A suspended flow of control: a process, or the scheduler itself. With the
 * assembly switch it is just the stack pointer: every other register the
 * switch must keep was pushed on that stack before the pointer was saved.
 */
struct lc_ctx {
    void *sp; /* saved stack pointer (must stay the first field) */
#ifdef LC_CTX_UCONTEXT
    ucontext_t uc;
#endif
};

/* Save the running context into 'from' and resume 'to'. Returns when some
 * other context switches back to 'from'. */
void lc__ctx_switch(struct lc_ctx *from, struct lc_ctx *to);

/* The same switch as chapter 0 shows it, without the faster way back of
 * ctx_x86_64.S; it saves and restores the same frame, so the two mix
 * (only the tests call it). */
void lc__ctx_switch_plain(struct lc_ctx *from, struct lc_ctx *to);

/* Resume 'to' and abandon the running context (its stack is unusable). */
_Noreturn void lc__ctx_restore(struct lc_ctx *to);

/* Prepare 'c' so that switching to it calls entry() on the stack [lo, top)
 * ('top' 16-byte aligned). entry() must never return. */
void lc__ctx_make(struct lc_ctx *c, void *lo, void *top, void (*entry)(void));

/* --- The process control block ------------------------------------------ */

/* Private flag bits of 'flags'. */
enum {
    PF_KILLED = 1u << 0,   /* lc_kill() pending: end at the next switch-in */
    PF_TIMEDOUT = 1u << 1, /* the receive timer fired */
    PF_ASLEEP = 1u << 2,   /* in lc_sleep(): only the timer wakes it */
    PF_MATCHFN = 1u << 3,  /* waiting with a predicate: any message wakes */
    PF_FAULTED = 1u << 4,  /* a hardware fault: report it at the exit */
    PF_TIMER = 1u << 5,    /* 'timer' is armed (a flag: it is in line 0) */
    PF_MARK = 1u << 6      /* 'mq_mark' is set */
};

/* What a blocked receive is waiting for. */
enum lc_wait {
    WAIT_ANY,
    WAIT_TAG,
    WAIT_REF,
    WAIT_FN,
    WAIT_NONE
};

/* A timer in the kernel's heap: a receive timeout (inside a PCB) or a
 * lc_send_after() message (allocated). */
struct lc_timer {
    int64_t deadline;     /* lc_now() at which it fires */
    uint64_t seq;         /* tie-break: earlier timers fire first */
    uint32_t slot;        /* 1 + index in the heap; 0 when not armed */
    struct lc_proc *proc; /* receive timeout: the waiting process */
    struct lc_msg *msg;   /* send_after: the message to deliver */
    lc_pid to;            /* send_after: its receiver */
    uint64_t ref;         /* send_after: the timer reference */
};

/* A memory block from lc_alloc(), on its owner's list. */
struct lc_block {
    struct lc_block *next;   /* next block of the same owner */
    struct lc_block **pprev; /* the field that points to this block */
    size_t size;
    _Alignas(16) unsigned char data[];
};

/* A registered resource, on its owner's list (newest first). */
struct lc_resource {
    struct lc_resource *next;
    void (*dtor)(void *obj);
    void *obj;
    int handle;
};

/*
 * The process control block. It lives at the top of the process's own stack
 * slot, above the stack (see stack.c): the page that holds the PCB is the
 * page the stack starts in, so an idle process costs that one page.
 *
 *   slot:  [ guard page | stack, growing down ...... | PCB ]
 *          low                                           high
 *
 * (When very many processes are alive, the newest ones share slots and
 * their PCBs live apart: see stackshare.c.) Hot fields come first (see
 * below).
 */
struct lc_proc {
    /* The first cache line: all that a send to a waiting process, the
       receive that takes the message and the switches in between touch.
       Among a hundred thousand processes every line is a cache miss. */
    struct lc_ctx ctx;       /* saved registers while switched out */
    uint8_t state;           /* enum lc_state */
    uint8_t wait;            /* enum lc_wait, while LC_STATE_WAITING */
    uint16_t flags;          /* PF_* */
    uint32_t mq_len;         /* messages in the mailbox */
    struct lc_proc *rq_next; /* next in the run queue */
    lc_pid pid;              /* this process */
    /* The mailbox: a FIFO list, with a cursor for selective receive. */
    struct lc_msg *mq_head;  /* oldest message */
    struct lc_msg **mq_tail; /* &last->next (or &mq_head) */
    struct lc_msg *held;     /* received, not yet freed */
    uint64_t reds;           /* reductions over its life, to its last turn */
    /* The second line: rarer kinds of waiting. */
    struct lc_msg **mq_mark; /* where the mailbox ended at lc_ref_make() */
    uint64_t mark_ref;       /* ... for this reference (PF_MARK) */
    int wait_tag;            /* WAIT_TAG: the tag */
    uint64_t wait_ref;       /* WAIT_REF: the reference */
    lc_match_fn *wait_fn;    /* WAIT_FN: the predicate */
    const void *wait_ctx;    /* ... and its argument */
    struct lc_timer timer;   /* receive timeout or sleep (PF_TIMER) */
    /* Life. */
    lc_proc_fn *fn;          /* body */
    void *arg;               /* ... and its argument */
    struct lc_reason reason; /* why it ends (set by kill or exit) */
    struct lc_block *mem;    /* lc_alloc() blocks */
    struct lc_resource *res; /* registered resources, newest first */
    int next_res;            /* handle of the next resource */
    void *local[LC_NLOCAL];  /* the OTP layers' slots */
    /* Introspection. */
    lc_pid parent;                   /* who spawned it */
    char *name;                      /* label (malloc), or NULL */
    char *detail;                    /* detail line (malloc), or NULL */
    uint8_t role;                    /* enum lc_role */
    uint32_t restarts;               /* set by supervisors */
    struct lc_edge_node *edges_from; /* edges recorded from this process */
    struct lc_edge_node *edges_to;   /* ... and to it */
    size_t memory;                   /* bytes in lc_alloc() blocks */
    int64_t started;                 /* lc_now() at spawn */
    /* The stack (stack.c). */
    struct lc_stack *stack; /* the slot this PCB lives in */
    uint32_t magic;         /* LC_MAGIC while alive: catches overwrites */
};

#define LC_MAGIC 0x4c43504bu /* "LCPK" */

/* --- Stacks (stack.c) --------------------------------------------------- */

/* One slot of the arena: its bounds and the pool it returns to. */
struct lc_stack {
    struct lc_stack *next; /* on the free list of its class */
    char *lo;              /* lowest usable byte (just above the guard) */
    char *hi;              /* one past the stack top (where the PCB starts) */
    struct lc_proc *pcb;   /* the PCB of its process: at 'hi', or apart */
    uint8_t cls;           /* size class */
    uint8_t guarded;       /* a guard page is installed below 'lo' */
    uint8_t shared;        /* a place on a shared slot (stackshare.c) */
};

/* A slot of 'size' bytes of stack (rounded up to its class), with the PCB
 * space above it -- or, when very many processes are alive, a place on a
 * shared slot (stackshare.c). Returns NULL when the arena is exhausted. */
struct lc_stack *lc__stack_get(size_t size);

/* A slot of the default class that no process owns, for stackshare.c. */
struct lc_stack *lc__stack_slot(void);

/* Give a slot back to its class's warm pool. */
void lc__stack_put(struct lc_stack *s);

/* True if 'addr' is in the guard page of 's'. */
bool lc__stack_in_guard(const struct lc_stack *s, const void *addr);

/* Bytes of the stack in RAM (mincore). */
size_t lc__stack_touched(const struct lc_stack *s);

/* Set up and tear down the arena. */
int lc__stack_init(size_t default_size, size_t share_after);
void lc__stack_fini(void);

/* Shared slots (stackshare.c): a place on one (with its PCB); the first
 * frame of a process that starts there; giving the place back; the bytes
 * of its stack in RAM or set aside. */
bool lc__share_enabled(void);
struct lc_stack *lc__share_get(void);
void lc__share_start(struct lc_proc *p, void (*entry)(void));
void lc__share_put(struct lc_stack *s);
size_t lc__share_touched(const struct lc_stack *s);
int lc__share_init(void);
void lc__share_fini(void);

/* Where the PCB of the process on stack 's' lives: above the stack on a
 * slot of its own, beside the descriptor on a shared one. */
static inline struct lc_proc *lc__stack_pcb(struct lc_stack *s)
{
    return s->pcb;
}

/* --- Kernel state ------------------------------------------------------- */

/* One entry of the process table. Pids are (gen << 32 | index). */
struct lc_pent {
    struct lc_proc *p;  /* the live process, or NULL */
    uint32_t gen;       /* generation of the next pid in this entry */
    uint32_t next_free; /* FIFO chain of free entries */
};

struct lc_edge_node;
struct lc_ghost;

struct lc_kernel {
    bool up;                /* between lc_init() and lc_fini() */
    struct lc_proc *cur;    /* the running process, or NULL */
    struct lc_proc *active; /* 'cur' when it may call the kernel: not while
                               exit hooks or destructors run */
    struct lc_ctx sched;    /* the scheduler's own context */
    struct lc_proc *dying;  /* ended; the scheduler finishes it */
    bool in_hook;           /* exit hooks are running */
    bool stopping;          /* lc_fini() is ending every process */
    uint32_t handoffs;      /* direct hand-offs since the last loop */
    /* The run queue: a FIFO of runnable processes. */
    struct lc_proc *rq_head;
    struct lc_proc **rq_tail;
    size_t rq_len;
    /* The process table. */
    struct lc_pent *tab;
    uint32_t tab_len, tab_cap;     /* entries in use (index 0 unused), room */
    uint32_t free_head, free_tail; /* FIFO of free entries (0: none) */
    size_t nlive;
    size_t ndoomed; /* processes with PF_KILLED, not yet ending: while it
                       is 0, lc_doomed() reads no PCB */
    size_t max_procs;
    /* Time (timer.c). */
    enum lc_clock clock;
    int64_t vnow;           /* virtual time, ms */
    int64_t real_base_ns;   /* CLOCK_MONOTONIC at lc_init() */
    int64_t last_now;       /* real clock: the last time read, ms */
    struct lc_timer **heap; /* min-heap on (deadline, seq) */
    uint32_t heap_len, heap_cap;
    uint64_t timer_seq;
    /* Scheduling. */
    uint32_t reductions; /* the budget of a turn */
    uint32_t reds_left;  /* ... and what is left of the running one's */
    bool chaos;
    uint64_t seed, rng;
    uint64_t next_ref;
    size_t stack_size;
    size_t share_after; /* lc_config.share_after */
    /* Introspection (info.c). */
    lc_tracer *tracer;
    void *tracer_ctx;
    uint64_t ev_seq;
    uint32_t edge_count;
    struct lc_edge_node *edge_first; /* insertion order */
    struct lc_edge_node **edge_tail; /* &last->onext */
    struct lc_ghost *ghosts;
    /* Message blocks kept for reuse (mbox.c). */
    struct lc_msg *msg_free;
    uint32_t msg_nfree;
#ifdef LC_ASAN
    const void *sched_stack_lo; /* the scheduler's stack, for ASan */
    size_t sched_stack_size;
#endif
};

extern struct lc_kernel K;

/* --- Cross-file functions ----------------------------------------------- */

/* proc.c */
void lc__proc_finish(struct lc_proc *p);        /* the exit path */
_Noreturn void lc__proc_die(struct lc_proc *p); /* switch away to die */
void lc__proc_doom(struct lc_proc *p);          /* set PF_KILLED, counted */
void lc__proc_fini_all(void);
void lc__proc_table_free(void);

/* sched.c */
void lc__sched_block(void);                  /* current process waits */
void lc__sched_turn_over(struct lc_proc *p); /* budget spent: yield */
/* switch from 'from' to 'to' (NULL: the scheduler) */
void lc__sched_switch(struct lc_proc *from, struct lc_proc *to);
_Noreturn void lc__sched_leave(struct lc_proc *dead); /* after an exit */

/* mbox.c */
struct lc_msg *lc__msg_new(lc_pid from, int tag, uint64_t ref, const void *data,
                           size_t size);
void lc__msg_deliver(struct lc_proc *p, struct lc_msg *m);
void lc__msg_drop(struct lc_msg *m); /* free without an owner */
void lc__mbox_free_all(struct lc_proc *p);
void lc__msg_cache_free(void);

/* timer.c */
void lc__timer_arm(struct lc_timer *t, int64_t deadline);
void lc__timer_remove(struct lc_timer *t); /* take an armed timer out */
int64_t lc__timer_next(void);              /* earliest deadline or -1 */
int64_t lc__now_cheap(void);    /* lc_now(), or the last real time read */
void lc__timer_fire_due(void);  /* fire all with deadline<=now */
void lc__clock_set(int64_t ms); /* move the virtual clock */
void lc__clock_wait_until(int64_t ms); /* real clock: sleep */
void lc__timer_fini(void);

/* mem.c */
void lc__mem_free_all(struct lc_proc *p);

/* fault.c */
int lc__fault_init(void);
void lc__fault_fini(void);

/* info.c. Tracing costs one test when no tracer is set. */
void lc__trace_emit(enum lc_event_kind kind, lc_pid pid, lc_pid other, int tag,
                    const struct lc_reason *r, const char *text);
static inline void lc__trace(enum lc_event_kind kind, lc_pid pid, lc_pid other,
                             int tag, const struct lc_reason *r)
{
    if (K.tracer != NULL) {
        lc__trace_emit(kind, pid, other, tag, r, NULL);
    }
}
void lc__edges_on_exit(struct lc_proc *p);
void lc__edges_fini(void);
int lc__proc_set_str(char **field, const char *s);

/* dot.c has no private interface. */

/* fault.c's trampoline target, in proc.c: raise the pending fault. */
_Noreturn void lc__fault_raise(void);

/* --- The hot paths, inline: every send and receive goes through them ---- */

/* The process 'pid' names: NULL if it is not in the table any more. Still
 * found while its exit hooks run (state LC_STATE_EXITING). */
static inline struct lc_proc *lc__proc_lookup(lc_pid pid)
{
    uint32_t idx = (uint32_t)pid; /* entry 0 is never used: its 'p' is NULL */
    if (idx >= K.tab_len) {
        return NULL;
    }
    const struct lc_pent *e = &K.tab[idx];
    return e->gen == (uint32_t)(pid >> 32) ? e->p : NULL;
}

/* Append 'p' to the run queue. */
static inline void lc__sched_ready(struct lc_proc *p)
{
    p->state = LC_STATE_RUNNABLE;
    p->rq_next = NULL;
    *K.rq_tail = p;
    K.rq_tail = &p->rq_next;
    K.rq_len++;
}

/* Reductions the running process has spent in its current turn. */
static inline uint32_t lc__turn_spent(void)
{
    return K.reductions - K.reds_left;
}

/* Charge one reduction to the running process; when its budget is spent
 * it goes to the back of the run queue. Nothing outside processes. The
 * count of the turn lives in K, which is always in the cache; the
 * process's own total is brought up to date when its turn ends. */
static inline void lc__sched_spend(void)
{
    if (K.active != NULL && --K.reds_left == 0) {
        lc__sched_turn_over(K.active);
    }
}

/* Cancel the receive timeout of 'p' if it has one: a test of a flag in the
 * PCB's first line instead of a read of the timer in its second. */
static inline void lc__proc_timer_cancel(struct lc_proc *p)
{
    if (p->flags & PF_TIMER) {
        lc__timer_remove(&p->timer);
    }
}

/* The running process, or panic with 'who' if outside any process. */
_Noreturn void lc__not_in_process(const char *who);
static inline struct lc_proc *lc__self_or_panic(const char *who)
{
    if (K.active == NULL) {
        lc__not_in_process(who);
    }
    return K.active;
}

#endif /* LC_KERNEL_H */
