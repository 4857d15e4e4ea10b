/*
 * stackshare.c - stacks shared by many processes, for when there are very
 * many of them.
 *
 * stack.c gives every process a slot of its own: an idle process then costs
 * the page its stack starts in (about 4 KiB), and each new slot costs a page
 * fault and a guard page when it is first used. Beyond a cap on the number
 * of slots in use (stack.c decides when), a new process instead gets a
 * place on one of NSLOTS shared slots, taken in turn, each already mapped,
 * guarded and in RAM, and a control block apart (struct sharer below). No
 * page fault and no system call: a spawn there costs a few dozen
 * instructions more than the reuse of a warm slot.
 *
 * C cannot move a stack: a frame holds pointers into itself (a buffer, a
 * jmp_buf, a list of locals). So a process never changes address: it runs
 * on the one shared slot it was given at spawn, always at the same place.
 * Only one process can be on a slot at a time -- its "occupant". When
 * another process of the same slot is to run, the occupant's live stack
 * (from its saved stack pointer to the top: a few hundred bytes for a
 * process waiting in a receive) is copied aside into a heap buffer that
 * fits it, and the newcomer's own copy goes back to exactly where it was.
 * This is the "shared stack" of libco and libaco.
 *
 * Nothing on the common path knows. A process whose stack is aside has as
 * saved stack pointer a frame, built once by lc__ctx_make() and only ever
 * read, that "returns" into lc__share_tramp below: the ordinary switch into
 * it lands there, moves to a stack of its own, evicts the occupant, brings
 * the stack back and finishes the switch with lc__ctx_restore(). A
 * process whose stack is in its slot is switched to the ordinary way, at
 * the ordinary cost; two processes that talk, on two different slots,
 * never copy anything. A stack is copied only when its process runs and
 * finds another in its slot: in a program with a million idle processes,
 * only the few that wake pay.
 *
 *   slot (shared):    [ guard | stack of the occupant ...... ]
 *   sharer (heap):    [ PCB | descriptor | image -> heap copy, or NULL ]
 *
 * A process on a shared slot overflows into the slot's guard page as any
 * other does; its exit frees its copy and hands the slot back to nobody.
 *
 * What it asks of programs: no process may read a sharer's stack. A
 * pointer into a waiting sharer's stack (a local passed as the 'arg' of a
 * spawn, or inside a message, read while it waits for the answer) reads,
 * once that stack is set aside, whatever the slot's occupant keeps there.
 * So sharing is off unless a program asks for it (lc_config.share_after):
 * processes with a slot of their own -- all of them by default, and the
 * first share_after when sharing is on -- may still be read that way, as
 * the course's small examples do; chapter 0 tells the rule.
 *
 * Limits: only the assembly switch of x86-64 (lc__share_enabled() says so);
 * elsewhere every process keeps a slot of its own.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LC_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* Shared slots, each one page or more in RAM. LC_STACK_SLOTS=N (1 to
   NSLOTS) in the environment uses fewer: with LC_STACK_PRIVATE=0 and
   LC_STACK_SLOTS=1, every switch between processes copies stacks, which
   tests the copies on any program. */
#define NSLOTS      1024
#define SLAB_BLOCKS 1024 /* sharers allocated at a time */
#define SWAP_STACK  (64 * 1024)

/* One shared slot. */
struct slot {
    struct lc_stack *st;      /* the slot (a private slot of stack.c's) */
    struct lc_proc *occupant; /* whose stack is in it, or NULL */
};

/* A process on a shared slot: its PCB (aligned on a cache line, as the
   hot fields of its first line expect), the descriptor p->stack points
   to, and its stack while it is out of the slot. 448 bytes today. */
struct sharer {
    _Alignas(64) struct lc_proc pcb;
    struct lc_stack desc; /* lo, hi: the slot's; 'next': the free list */
    struct slot *slot;
    unsigned char *image; /* the live stack while out, or NULL */
    uint32_t len;         /* its bytes: it goes back to [hi - len, hi) */
};

struct slab {
    struct slab *next;
    _Alignas(64) struct sharer blocks[SLAB_BLOCKS];
};

#if defined(__x86_64__) && !defined(LC_CTX_UCONTEXT)
#define SHARE_OK 1
#else
#define SHARE_OK 0
#endif

static struct {
    bool up;
    struct slot slots[NSLOTS];
    uint32_t nslots, next_slot; /* created so far; round robin */
    uint32_t maxslots;          /* NSLOTS, or LC_STACK_SLOTS */
    struct lc_stack *free;      /* free sharers (their 'desc') */
    struct slab *slabs;
    void (*entry)(void); /* where a new process starts */
    void *resume_sp;     /* the frame that resumes into the tramp */
    bool warned;         /* check_arg() has spoken */
    _Alignas(16) unsigned char resume_frame[256];
    char *swap_stack;
} S;

/* The stack lc__share_resume() runs on; read by the assembly below. */
__attribute__((used, visibility("hidden"))) char *lc__share_swap_top;

static struct sharer *sharer_of(const struct lc_stack *s)
{
    return (struct sharer *)((char *)s - offsetof(struct sharer, desc));
}

bool lc__share_enabled(void)
{
    return SHARE_OK;
}

/* --- Moving a stack out of its slot and back ---------------------------- */

#ifdef LC_ASAN
/* The shadow of a slot holds the redzones of the occupant's frames: copy
   them as plain bytes, and let the returning frames poison their own
   redzones again as they run. */
static void asan_clear(void *lo, size_t len)
{
    __asan_unpoison_memory_region(lo, len);
}
#else
static void asan_clear(void *lo, size_t len)
{
    (void)lo;
    (void)len;
}
#endif

/* Copy the occupant's live stack aside; it resumes through the tramp. */
static void evict(struct lc_proc *q)
{
    struct sharer *sh = sharer_of(q->stack);
    char *sp = q->ctx.sp, *hi = q->stack->hi;
    if (sp < q->stack->lo || sp > hi) {
        lc_panic("the saved stack pointer of a process left its stack");
    }
    size_t len = (size_t)(hi - sp);
    sh->image = malloc(len);
    if (sh->image == NULL) {
        lc_panic("out of memory setting a waiting process's stack aside");
    }
    asan_clear(sp, len);
    memcpy(sh->image, sp, len);
    sh->len = (uint32_t)len;
    q->ctx.sp = S.resume_sp;
}

/* Put the stack of 'p' back in its slot: its copy, or a first frame. */
static void restore(struct lc_proc *p)
{
    struct sharer *sh = sharer_of(p->stack);
    char *hi = p->stack->hi;
    asan_clear(p->stack->lo, (size_t)(hi - p->stack->lo));
    if (sh->image != NULL) {
        memcpy(hi - sh->len, sh->image, sh->len);
        p->ctx.sp = hi - sh->len;
        free(sh->image);
        sh->image = NULL;
        sh->len = 0;
    } else {
        lc__ctx_make(&p->ctx, p->stack->lo, hi, S.entry); /* never ran */
    }
    sh->slot->occupant = p;
}

/* Called only by the assembly below. Not instrumented by AddressSanitizer:
   it runs between the announcement of a switch and its end, on a stack
   it was not told about. */
_Noreturn __attribute__((used, visibility("hidden"), no_sanitize_address)) void
lc__share_resume(void);

/* region: resume */
/*
 * The switch into a process whose stack is out lands here, on the swap
 * stack, with K.cur already naming it: the process that was running is
 * fully saved. Make room in the slot, bring the stack back, and finish the
 * switch.
 */
void lc__share_resume(void)
{
    struct lc_proc *p = K.cur;
    struct slot *sl = sharer_of(p->stack)->slot;
    if (sl->occupant != NULL && sl->occupant != p) {
        evict(sl->occupant);
    }
    restore(p);
    lc__ctx_restore(&p->ctx);
}
/* endregion */

#if SHARE_OK
/* The return address of the resume frame: leave the frame (which every
   process that is out shares, and which must stay intact) for the swap
   stack before running any C. */
__asm__(".text\n"
        ".p2align 4\n"
        ".type lc__share_tramp, @function\n"
        "lc__share_tramp:\n"
        "  endbr64\n"
        "  movq lc__share_swap_top(%rip), %rsp\n"
        "  call lc__share_resume\n"
        "  ud2\n"
        ".size lc__share_tramp, .-lc__share_tramp\n");
void lc__share_tramp(void);
#endif

/* --- Sharers -------------------------------------------------------------- */

static struct slot *next_slot(void)
{
    if (S.nslots < S.maxslots) {
        struct lc_stack *st = lc__stack_slot();
        if (st != NULL) {
            S.slots[S.nslots] = (struct slot){ .st = st };
            return &S.slots[S.nslots++];
        }
        if (S.nslots == 0) {
            return NULL;
        }
    }
    return &S.slots[S.next_slot++ % S.nslots];
}

static struct sharer *sharer_alloc(void)
{
    if (S.free == NULL) {
        struct slab *sb = aligned_alloc(64, sizeof *sb);
        if (sb == NULL) {
            return NULL;
        }
        sb->next = S.slabs;
        S.slabs = sb;
        for (int i = SLAB_BLOCKS - 1; i >= 0; i--) {
            sb->blocks[i].desc.next = S.free;
            S.free = &sb->blocks[i].desc;
        }
    }
    struct sharer *sh = sharer_of(S.free);
    S.free = S.free->next;
    return sh;
}

struct lc_stack *lc__share_get(void)
{
    if (!S.up) {
        return NULL;
    }
    struct slot *sl = next_slot();
    struct sharer *sh = sl ? sharer_alloc() : NULL;
    if (sh == NULL) {
        return NULL;
    }
    sh->slot = sl;
    sh->image = NULL;
    sh->len = 0;
    sh->desc = (struct lc_stack){ .lo = sl->st->lo,
                                  .hi = sl->st->hi,
                                  .pcb = &sh->pcb,
                                  .cls = sl->st->cls,
                                  .guarded = sl->st->guarded,
                                  .shared = 1 };
    return &sh->desc;
}

/* Warn, once, when the running process, on a shared slot, hands a new
   process a pointer into its own stack: it may be set aside while it
   waits. (Checked when the new process shares too, which is when the
   spawner does: both come after the cap, at no cost to other spawns.) */
static void check_arg(const void *arg)
{
    const struct lc_proc *p = K.cur;
    const char *a = arg;
    if (p == NULL || !p->stack->shared || S.warned) {
        return;
    }
    if (a >= p->stack->lo && a < p->stack->hi) {
        S.warned = true;
        char who[32];
        lc_pid_format(who, sizeof who, p->pid);
        fprintf(stderr,
                "lc: warning: %s, on a shared stack, passed a pointer into "
                "its stack to a new process; its stack is set aside when "
                "another process of its slot runs, so pass a copy (chapter "
                "0, \"How a million processes fit\")\n",
                who);
    }
}

void lc__share_start(struct lc_proc *p, void (*entry)(void))
{
    S.entry = entry;
    p->ctx.sp = S.resume_sp; /* restore() makes its first frame */
    check_arg(p->arg);
}

void lc__share_put(struct lc_stack *s)
{
    struct sharer *sh = sharer_of(s);
    if (sh->slot->occupant == &sh->pcb) {
        sh->slot->occupant = NULL;
    }
    free(sh->image);
    sh->image = NULL;
    s->next = S.free;
    S.free = s;
}

size_t lc__share_touched(const struct lc_stack *s)
{
    const struct sharer *sh = sharer_of(s);
    return sh->slot->occupant == &sh->pcb ? lc__stack_touched(sh->slot->st)
                                          : sh->len;
}

/* --- Start and stop --------------------------------------------------------
 */

int lc__share_init(void)
{
    memset(&S, 0, sizeof S);
    const char *n = getenv("LC_STACK_SLOTS");
    long want = n != NULL ? strtol(n, NULL, 10) : NSLOTS;
    S.maxslots = want >= 1 && want <= NSLOTS ? (uint32_t)want : NSLOTS;
#if SHARE_OK
    S.swap_stack = malloc(SWAP_STACK);
    if (S.swap_stack == NULL) {
        return LC_ENOMEM;
    }
    lc__share_swap_top =
            (char *)((uintptr_t)(S.swap_stack + SWAP_STACK) & ~(uintptr_t)15);
    struct lc_ctx c;
    lc__ctx_make(&c, S.resume_frame, S.resume_frame + sizeof S.resume_frame,
                 lc__share_tramp);
    S.resume_sp = c.sp;
    S.up = true;
#endif
    return 0;
}

void lc__share_fini(void)
{
    while (S.slabs != NULL) {
        struct slab *sb = S.slabs;
        S.slabs = sb->next;
        free(sb);
    }
    free(S.swap_stack);
    memset(&S, 0, sizeof S);
    lc__share_swap_top = NULL;
}
