/*
 * proc.c - the life of a process: spawn, exit, kill, and the exit path.
 *
 * Pids. The process table is an array of entries; a pid is the entry's
 * index in its low 32 bits and the entry's generation in its high 32 bits.
 * When a process ends its entry's generation goes up, so the old pid never
 * names the next process that gets the entry: a message to a dead pid is
 * dropped instead of reaching a stranger. Free entries are reused first in,
 * first out, so the same program hands out the same pids on every run.
 *
 * The exit path. However a process ends -- its function returns, it calls
 * lc_proc_exit(), it is killed, it faults -- it ends up in
 * lc__proc_finish(). It runs on the process's own stack when enough of it
 * is left -- then the CPU goes straight to the next process -- and otherwise
 * (a deep exit, a stack overflow) on the scheduler's stack. In order, it:
 *
 *   1. reports the exit to the tracer;
 *   2. runs the exit hooks, with lc_self() still naming the process: this is
 *      where the OTP layers send exit signals and DOWN messages;
 *   3. runs the destructors of the process's resources, frees its memory,
 *      its mailbox and the messages it still holds;
 *   4. forgets its edges, frees its table entry and returns its stack.
 *
 * Nothing of the process survives the exit path, except a "ghost" record
 * when a layer asked for an edge to outlive it (see info.c).
 */
#include "kernel.h"
#include "lc/kernel/testing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LC_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

struct lc_kernel K;

/* --- Hooks -------------------------------------------------------------- */

#define MAX_HOOKS 32

static struct {
    lc_exit_hook *exit[MAX_HOOKS];
    int nexit;
    lc_fini_hook *fini[MAX_HOOKS];
    int nfini;
    lc_fault_hook *fault;
} hooks;

int lc_exit_hook_add(lc_exit_hook *fn)
{
    for (int i = 0; i < hooks.nexit; i++) {
        if (hooks.exit[i] == fn) {
            return 0;
        }
    }
    if (hooks.nexit == MAX_HOOKS) {
        return LC_ENOMEM;
    }
    hooks.exit[hooks.nexit++] = fn;
    return 0;
}

int lc_fini_hook_add(lc_fini_hook *fn)
{
    for (int i = 0; i < hooks.nfini; i++) {
        if (hooks.fini[i] == fn) {
            return 0;
        }
    }
    if (hooks.nfini == MAX_HOOKS) {
        return LC_ENOMEM;
    }
    hooks.fini[hooks.nfini++] = fn;
    return 0;
}

void lc_fault_hook_set(lc_fault_hook *fn)
{
    hooks.fault = fn;
}

/* The hooks declared with LC_ON_EXIT, LC_ON_FINI and LC_ON_FAULT: the
   linker gathers them into sections and marks where each begins and ends
   (weak: a program without such a hook has no section). */
extern lc_exit_hook *const __start_lc_exit_hooks[] __attribute__((weak));
extern lc_exit_hook *const __stop_lc_exit_hooks[] __attribute__((weak));
extern lc_fini_hook *const __start_lc_fini_hooks[] __attribute__((weak));
extern lc_fini_hook *const __stop_lc_fini_hooks[] __attribute__((weak));
extern lc_fault_hook *const __start_lc_fault_hooks[] __attribute__((weak));
extern lc_fault_hook *const __stop_lc_fault_hooks[] __attribute__((weak));

static lc_fault_hook *fault_hook(void)
{
    if (hooks.fault != NULL) {
        return hooks.fault;
    }
    lc_fault_hook *const *first = __start_lc_fault_hooks;
    return first != NULL && first < __stop_lc_fault_hooks ? first[0] : NULL;
}

/* Where fault.c makes a faulting process resume, on its own stack. */
_Noreturn void lc__fault_raise(void)
{
    struct lc_proc *p = K.cur;
    struct lc_reason r = p->reason;
    p->reason = lc_reason(LC_A_NONE);
    p->flags &= (uint16_t)~PF_FAULTED;
    lc__trace(LC_EV_FAULT, p->pid, LC_NOPID, 0, &r);
    lc_fault_hook *fault = fault_hook();
    if (fault != NULL) {
        fault(r);
    }
    lc_proc_exit(r);
}

/* --- The process table -----------------------------------------------------
 */

static lc_pid make_pid(uint32_t idx)
{
    return ((lc_pid)K.tab[idx].gen << 32) | idx;
}

/* A free entry: the oldest freed one, or a new one at the end. Returns its
   index, or 0 when the table is full. */
static uint32_t entry_alloc(void)
{
    if (K.free_head != 0) {
        uint32_t idx = K.free_head;
        K.free_head = K.tab[idx].next_free;
        if (K.free_head == 0) {
            K.free_tail = 0;
        }
        return idx;
    }
    if (K.tab_len > K.max_procs) {
        return 0;
    }
    if (K.tab_len == K.tab_cap) {
        uint32_t cap = K.tab_cap * 2;
        struct lc_pent *tab = realloc(K.tab, cap * sizeof *tab);
        if (tab == NULL) {
            return 0;
        }
        memset(tab + K.tab_cap, 0, (cap - K.tab_cap) * sizeof *tab);
        K.tab = tab;
        K.tab_cap = cap;
    }
    return K.tab_len++;
}

static void entry_free(uint32_t idx)
{
    struct lc_pent *e = &K.tab[idx];
    e->p = NULL;
    e->gen++;
    e->next_free = 0;
    if (K.free_tail != 0) {
        K.tab[K.free_tail].next_free = idx;
    } else {
        K.free_head = idx;
    }
    K.free_tail = idx;
}

void lc__proc_table_free(void)
{
    free(K.tab);
    K.tab = NULL;
    K.tab_len = K.tab_cap = 0;
}

/* --- Spawn -----------------------------------------------------------------
 */

/* The first code a new process runs, on its own stack. */
static _Noreturn void proc_entry(void)
{
#ifdef LC_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    struct lc_proc *p = K.cur;
    p->fn(p->arg);
    lc_proc_exit(lc_reason(LC_A_NORMAL));
}

static void pcb_init(struct lc_proc *p, struct lc_stack *s, lc_pid pid,
                     lc_proc_fn *fn, void *arg)
{
    /* Field by field rather than a memset of the whole PCB: the fields a
       receive or an exit writes before reading them (wait_*, most of the
       timer, the reason) are left alone. Spawning is that much cheaper. */
    p->wait = WAIT_ANY;
    p->flags = 0;
    p->pid = pid;
    p->mq_head = NULL;
    p->mq_tail = &p->mq_head;
    p->mq_len = 0;
    p->timer.slot = 0;
    p->timer.proc = p;
    p->fn = fn;
    p->arg = arg;
    p->reason = lc_reason(LC_A_NONE);
    p->held = NULL;
    p->mem = NULL;
    p->res = NULL;
    p->next_res = 1;
    memset(p->local, 0, sizeof p->local);
    p->name = NULL;
    p->detail = NULL;
    p->role = LC_ROLE_WORKER;
    p->restarts = 0;
    p->edges_from = p->edges_to = NULL;
    p->memory = 0;
    p->reds = 0;
    p->started = lc__now_cheap(); /* introspection only: ms precision */
    p->stack = s;
    p->magic = LC_MAGIC;
    if (s->shared) {
        lc__share_start(p, proc_entry); /* its first frame waits aside */
    } else {
        lc__ctx_make(&p->ctx, s->lo, s->hi, proc_entry);
    }
}

int lc_spawn_opt(lc_pid *pid, lc_proc_fn *fn, void *arg,
                 const struct lc_spawn_opts *opts)
{
    if (!K.up || fn == NULL || pid == NULL) {
        return LC_EINVAL;
    }
    if (K.stopping) {
        return LC_EPERM;
    }
    /* Charge the reduction first: if the turn is over, the caller yields
       now, before the child exists. Once created, the child cannot run
       until the caller's next switch -- which lets lc_spawn_link() link it
       before it can end. */
    lc__sched_spend();
    size_t size = opts && opts->stack_size ? opts->stack_size : K.stack_size;
    if (size > LC_STACK_MAX) {
        return LC_EINVAL;
    }
    uint32_t idx = entry_alloc();
    if (idx == 0) {
        return LC_ENFILE;
    }
    struct lc_stack *s = lc__stack_get(size);
    if (s == NULL) {
        entry_free(idx);
        return LC_ENOMEM;
    }
    struct lc_proc *p = lc__stack_pcb(s);
    pcb_init(p, s, make_pid(idx), fn, arg);
    lc_pid self = lc_self();
    p->parent = opts && opts->parent ? opts->parent : self;
    if (opts && opts->name && lc__proc_set_str(&p->name, opts->name) < 0) {
        lc__stack_put(s);
        entry_free(idx);
        return LC_ENOMEM;
    }
    K.tab[idx].p = p;
    K.nlive++;
    *pid = p->pid;
    lc__sched_ready(p);
    lc__trace(LC_EV_SPAWN, p->pid, self, 0, NULL);
    return 0;
}

lc_pid lc_spawn(lc_proc_fn *fn, void *arg)
{
    lc_pid pid = LC_NOPID;
    return lc_spawn_opt(&pid, fn, arg, NULL) == 0 ? pid : LC_NOPID;
}

/* --- Who is running ----------------------------------------------------- */

lc_pid lc_self(void)
{
    return K.cur ? K.cur->pid : LC_NOPID;
}

bool lc_alive(lc_pid pid)
{
    struct lc_proc *p = lc__proc_lookup(pid);
    return p != NULL && p->state != LC_STATE_EXITING;
}

bool lc_doomed(lc_pid pid)
{
    /* Most of the time nobody is doomed: then no PCB is read (a registry
       asks at every lookup, and the holder's PCB is likely cold). */
    if (K.ndoomed == 0) {
        return false;
    }
    struct lc_proc *p = lc__proc_lookup(pid);
    return p != NULL && p->state != LC_STATE_EXITING && (p->flags & PF_KILLED);
}

void lc__proc_doom(struct lc_proc *p)
{
    if (!(p->flags & PF_KILLED)) {
        p->flags |= PF_KILLED;
        K.ndoomed++;
    }
}

/* 'p' starts ending: no longer doomed, but dying. Call it before the state
   becomes LC_STATE_EXITING (the exit path may pass here twice). */
static void undoom(struct lc_proc *p)
{
    if (p->state != LC_STATE_EXITING && (p->flags & PF_KILLED)) {
        K.ndoomed--;
    }
}

_Noreturn void lc__not_in_process(const char *who)
{
    if (K.in_hook) {
        lc_panic("%s() called in an exit hook, which must not wait", who);
    }
    lc_panic("%s() called outside any process", who);
}

void **lc_local(lc_pid pid, enum lc_local slot)
{
    struct lc_proc *p = lc__proc_lookup(pid);
    if (p == NULL || (unsigned)slot >= LC_NLOCAL) {
        return NULL;
    }
    return &p->local[slot];
}

/* --- Exit and kill ------------------------------------------------------ */

/* Stack the exit path may need: exit hooks are the layers' code. */
#define EXIT_ROOM (16 * 1024)

_Noreturn void lc__proc_die(struct lc_proc *p)
{
    undoom(p);
    p->state = LC_STATE_EXITING;
    char *sp = __builtin_frame_address(0);
    if (sp - p->stack->lo >= EXIT_ROOM) {
        /* Enough stack left: finish the exit right here and hand the CPU
           straight to the next process, saving a trip through the
           scheduler. The stack goes back to the pool inside
           lc__proc_finish(), but nothing can take it before we have
           switched away: only a spawn could, and none runs in between. */
        lc__proc_finish(p);
        lc__sched_leave(p);
    }
    K.dying = p; /* too deep: let the scheduler finish it on its stack */
    lc__sched_switch(p, NULL);
    lc_panic("a dead process was resumed");
}

_Noreturn void lc_proc_exit(struct lc_reason r)
{
    struct lc_proc *p = lc__self_or_panic("lc_proc_exit");
    p->reason = r;
    lc__proc_die(p);
}

int lc_kill(lc_pid pid, struct lc_reason r)
{
    struct lc_proc *p = lc__proc_lookup(pid);
    if (p == NULL || p->state == LC_STATE_EXITING) {
        return LC_ENOPROC;
    }
    lc__trace(LC_EV_KILL, lc_self(), pid, 0, &r);
    if (p == K.cur) {
        lc_proc_exit(r);
    }
    if (p->flags & PF_KILLED) {
        return 0; /* the first reason stands */
    }
    lc__proc_doom(p);
    p->reason = r;
    if (p->state == LC_STATE_WAITING) {
        lc__proc_timer_cancel(p);
        lc__sched_ready(p);
    }
    return 0;
}

/* Exit hooks and destructors run on behalf of the ending process (lc_self()
   names it) but may not wait or switch: they may send, never receive. */
struct hook_ctx {
    struct lc_proc *cur, *active;
};

static struct hook_ctx enter_hooks(struct lc_proc *p)
{
    struct hook_ctx was = { K.cur, K.active };
    K.cur = p;
    K.active = NULL;
    K.in_hook = true;
    return was;
}

static void leave_hooks(struct hook_ctx was)
{
    K.in_hook = false;
    K.cur = was.cur;
    K.active = was.active;
}

static void run_exit_hooks(struct lc_proc *p)
{
    struct hook_ctx was = enter_hooks(p);
    for (lc_exit_hook *const *h = __start_lc_exit_hooks;
         h != NULL && h < __stop_lc_exit_hooks; h++) {
        (*h)(p->pid, &p->reason);
    }
    for (int i = 0; i < hooks.nexit; i++) {
        hooks.exit[i](p->pid, &p->reason);
    }
    leave_hooks(was);
}

static void run_resources(struct lc_proc *p)
{
    struct hook_ctx was = enter_hooks(p);
    while (p->res != NULL) {
        struct lc_resource *r = p->res;
        p->res = r->next;
        r->dtor(r->obj);
        free(r);
    }
    leave_hooks(was);
}

/* What an exit frees. Most processes own none of these, so each helper
   tests before it calls: an exit with nothing to free makes no call. */
static inline void run_destructors(struct lc_proc *p)
{
    if (p->res != NULL) {
        run_resources(p);
    }
}

static inline void free_memory(struct lc_proc *p)
{
    if (p->mem != NULL) {
        lc__mem_free_all(p);
    }
}

static inline void free_mailbox(struct lc_proc *p)
{
    if (p->mq_head != NULL || p->held != NULL) {
        lc__mbox_free_all(p);
    }
}

static inline void forget_edges(struct lc_proc *p)
{
    if (p->edges_from != NULL || p->edges_to != NULL) {
        lc__edges_on_exit(p);
    }
}

static inline void free_labels(struct lc_proc *p)
{
    if (p->name != NULL || p->detail != NULL) {
        free(p->name);
        free(p->detail);
    }
}

/* region: finish */
void lc__proc_finish(struct lc_proc *p)
{
    if (K.dying == p) {
        K.dying = NULL;
    }
    if (p->magic != LC_MAGIC) {
        lc_panic("the PCB of a process was overwritten (stack overflow "
                 "without a guard page?)");
    }
    undoom(p);
    p->state = LC_STATE_EXITING;
    lc__proc_timer_cancel(p);
    if (p->flags & PF_FAULTED) {
        lc__trace(LC_EV_FAULT, p->pid, LC_NOPID, 0, &p->reason);
    }
    lc__trace(LC_EV_EXIT, p->pid, LC_NOPID, 0, &p->reason);
    run_exit_hooks(p);
    run_destructors(p);
    free_memory(p);
    free_mailbox(p);
    forget_edges(p);
    free_labels(p);
    p->magic = 0;
    entry_free((uint32_t)p->pid);
    K.nlive--;
    lc__stack_put(p->stack);
}
/* endregion */

/* End every process still alive, for lc_fini(). Each ends as if killed,
   so the layers' exit hooks free what they hold for it. */
void lc__proc_fini_all(void)
{
    while (K.nlive > 0) {
        for (uint32_t i = 1; i < K.tab_len; i++) {
            struct lc_proc *p = K.tab[i].p;
            if (p != NULL && p->state != LC_STATE_EXITING) {
                if (!(p->flags & PF_KILLED)) {
                    p->reason = lc_reason(LC_A_KILLED);
                }
                lc__proc_finish(p);
            }
        }
    }
    for (lc_fini_hook *const *h = __start_lc_fini_hooks;
         h != NULL && h < __stop_lc_fini_hooks; h++) {
        (*h)();
    }
    for (int i = 0; i < hooks.nfini; i++) {
        hooks.fini[i]();
    }
}

/* --- Diagnostics -------------------------------------------------------- */

_Noreturn void lc_panic(const char *fmt, ...)
{
    char who[32] = "the kernel";
    if (K.cur != NULL) {
        lc_pid_format(who, sizeof who, K.cur->pid);
    }
    fprintf(stderr, "lc: panic in %s: ", who);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

static lc_todo_hook *todo_hook;

void lc_test_todo_hook_set(lc_todo_hook *fn)
{
    todo_hook = fn;
}

void lc__todo(const char *chapter, const char *func)
{
    if (todo_hook != NULL) {
        todo_hook(chapter, func);
    }
    static const char *seen[64];
    static int nseen;
    for (int i = 0; i < nseen; i++) {
        if (seen[i] == func) {
            return;
        }
    }
    if (nseen < 64) {
        seen[nseen++] = func;
    }
    fprintf(stderr, "TODO(%s): %s() is not written yet\n", chapter, func);
}
