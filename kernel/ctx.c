/*
 * ctx.c - the first frame of a new process's stack.
 *
 * lc__ctx_switch() resumes a context by popping a saved frame and returning.
 * A new process has never been suspended, so lc__ctx_make() writes a frame
 * by hand that looks as if it had: registers zero, the floating-point control
 * words at their defaults, and as return address the entry function. The
 * first switch to it then "returns" into entry().
 *
 * Where assembly is not available (LC_CTX_UCONTEXT), the ucontext functions
 * do the same job, about twenty times slower: swapcontext() makes a system
 * call on every switch to save the signal mask.
 */
#include "kernel.h"

#include <string.h>

#if defined(LC_CTX_UCONTEXT)

void lc__ctx_make(struct lc_ctx *c, void *lo, void *top, void (*entry)(void))
{
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = lo;
    c->uc.uc_stack.ss_size = (size_t)((char *)top - (char *)lo);
    c->uc.uc_link = NULL;
    makecontext(&c->uc, entry, 0);
    c->sp = &c->uc;
}

void lc__ctx_switch(struct lc_ctx *from, struct lc_ctx *to)
{
    from->sp = &from->uc;
    swapcontext(&from->uc, &to->uc);
}

void lc__ctx_switch_plain(struct lc_ctx *from, struct lc_ctx *to)
{
    lc__ctx_switch(from, to);
}

void lc__ctx_restore(struct lc_ctx *to)
{
    setcontext(&to->uc);
    lc_panic("setcontext failed");
}

#elif defined(__x86_64__)

void lc__ctx_make(struct lc_ctx *c, void *lo, void *top, void (*entry)(void))
{
    (void)lo;
    /*
     * From 'top' down (see ctx_x86_64.S for the order of the pops):
     *   top-8   0       where entry() would return to: nowhere
     *   top-16  entry   popped by `ret`, leaving rsp = top-8, which is
     *                   8 mod 16 -- exactly what a function expects on entry
     *   top-24 .. top-64  rbp rbx r12 r13 r14 r15 = 0
     *   top-72  MXCSR 0x1f80 (the default: round to nearest, all
     *           floating-point exceptions masked)
     */
    uint64_t *sp = (uint64_t *)top;
    *--sp = 0;
    *--sp = (uint64_t)(uintptr_t)entry;
    for (int i = 0; i < 6; i++) {
        *--sp = 0;
    }
    *--sp = 0x1f80u;
    c->sp = sp;
}

#elif defined(__aarch64__)

void lc__ctx_make(struct lc_ctx *c, void *lo, void *top, void (*entry)(void))
{
    (void)lo;
    /* A 176-byte frame (see ctx_aarch64.S): all zero but x30, the link
       register, which the final `ret` jumps through. sp ends at 'top'. */
    uint64_t *sp = (uint64_t *)((char *)top - 176);
    memset(sp, 0, 176);
    sp[11] = (uint64_t)(uintptr_t)entry; /* x30 at sp+88 */
    c->sp = sp;
}

#endif
