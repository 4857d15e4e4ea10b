/*
 * fault.c - hardware faults end only the process that made them.
 *
 * A null-pointer access, an integer division by zero or a stack overflow in
 * one process must not take the whole system down: on the BEAM, it would
 * only crash that process, and its supervisor would restart it. The kernel
 * catches SIGSEGV, SIGBUS, SIGFPE and SIGILL and turns each into the
 * faulting process's exit reason:
 *
 *   SIGSEGV in the null page (below 64 KiB)   {error, null_pointer}  catchable
 *   SIGFPE (integer division by zero)         {error, badarith}      catchable
 *   SIGSEGV in the stack's guard page         stack_overflow         ends it
 *   SIGSEGV elsewhere, SIGBUS, SIGILL         segv, sigbus, sigill   ends it
 *
 * "Catchable" faults are raised where they happened, as if the process had
 * called a function that raises an error: chapter 1's try/catch can catch
 * them. The others end the process at once -- its stack may be unusable
 * (overflow) or its memory suspect (a wild pointer).
 *
 * How the handler leaves. Returning from a SIGSEGV handler re-runs the
 * faulting instruction, and longjmp() out of a handler is fragile. Instead
 * the handler edits the saved registers in 'ucontext' so that, when it
 * returns, the kernel resumes somewhere else -- the way Go turns a fault into
 * a panic:
 *
 *   - catchable: the process resumes in lc__fault_raise(), on its own stack
 *     a little below where it faulted, as if it had called it;
 *   - fatal: the scheduler resumes (lc__ctx_restore() of its saved context)
 *     and finishes the process, whose stack is simply abandoned.
 *
 * The handler runs on an alternate signal stack (sigaltstack): after a stack
 * overflow the process's own stack has no room left. It calls nothing that
 * is not async-signal-safe.
 *
 * A fault outside any process -- in the scheduler, in an exit hook, in code
 * called from main() -- is a bug in the program or in the kernel: the
 * handler prints one line and lets the signal kill the program as usual.
 *
 * On AArch64 an integer division by zero does not trap at all: the
 * hardware returns 0, so there is no SIGFPE to catch (C calls it undefined
 * behaviour either way).
 *
 * Honest limits: processes share one address space. A wild write that does
 * not fault can corrupt another process's memory, which the BEAM rules out
 * by construction. The kernel only promises to contain the faults it sees.
 */
#include "kernel.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef LC_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define ALTSTACK_SIZE (64 * 1024)
#define NULL_PAGE_END ((uintptr_t)64 * 1024)
#define RAISE_ROOM    (8 * 1024) /* stack the raise path needs */

static const int signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
#define NSIGNALS (sizeof signals / sizeof signals[0])

static struct {
    void *altstack;
    stack_t old_ss;
    struct sigaction old[NSIGNALS];
    bool installed;
} F;

/* --- Async-signal-safe output ------------------------------------------- */

static void put(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void put_hex(uintptr_t v)
{
    char buf[2 + 2 * sizeof v + 1];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v != 0);
    *--p = 'x';
    *--p = '0';
    put(p);
}

static const char *signame(int sig)
{
    switch (sig) {
        case SIGSEGV:
            return "SIGSEGV";
        case SIGBUS:
            return "SIGBUS";
        case SIGFPE:
            return "SIGFPE";
        default:
            return "SIGILL";
    }
}

/* A fault the kernel cannot pin on a process: say so, then let the default
   action (terminate with the signal, maybe dump core) happen when the
   faulting instruction runs again. */
static void unowned_fault(int sig, const siginfo_t *si)
{
    put("lc: fatal: ");
    put(signame(sig));
    put(" at address ");
    put_hex((uintptr_t)si->si_addr);
    put(K.in_hook ? " in an exit hook" : " outside any process");
    put(" (a bug in the program, not a process crash)\n");
    signal(sig, SIG_DFL);
}

/* --- Registers in the saved context ------------------------------------- */

#if defined(__x86_64__)
#define UC_SP(uc) ((uc)->uc_mcontext.gregs[REG_RSP])
#define UC_PC(uc) ((uc)->uc_mcontext.gregs[REG_RIP])
#define UC_A0(uc) ((uc)->uc_mcontext.gregs[REG_RDI])
#define UC_OK     1
#elif defined(__aarch64__)
#define UC_SP(uc) ((uc)->uc_mcontext.sp)
#define UC_PC(uc) ((uc)->uc_mcontext.pc)
#define UC_A0(uc) ((uc)->uc_mcontext.regs[0])
#define UC_OK     1
#else
#define UC_OK 0
#endif

/* region: classify */
/* Classify a fault of process 'p'. Returns true if it can be raised as an
   error in the process, false if it must end it at once. */
static bool classify(struct lc_proc *p, int sig, const siginfo_t *si,
                     uintptr_t sp, struct lc_reason *r)
{
    uintptr_t addr = (uintptr_t)si->si_addr;
    const struct lc_stack *s = p->stack;
    if (sig == SIGFPE) {
        *r = lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_BADARITH));
        r->where = "SIGFPE: integer division by zero (or overflow)";
        return sp - RAISE_ROOM > (uintptr_t)s->lo;
    }
    if (sig == SIGSEGV && lc__stack_in_guard(s, (void *)addr)) {
        *r = lc_reason(LC_A_STACK_OVERFLOW);
        r->where = "SIGSEGV in the stack's guard page";
        return false;
    }
    /* A wild pointer that is not even a valid address (0xdeadbeef...) makes
       a general-protection fault, which reports address 0 and SI_KERNEL:
       not a null pointer. */
    if (sig == SIGSEGV && addr < NULL_PAGE_END && si->si_code != SI_KERNEL) {
        *r = lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_NULL_POINTER));
        r->where = "SIGSEGV in the null page";
        return sp - RAISE_ROOM > (uintptr_t)s->lo;
    }
    *r = lc_reason(sig == SIGSEGV  ? LC_A_SEGV
                   : sig == SIGBUS ? LC_A_SIGBUS
                                   : LC_A_SIGILL);
    r->where = sig == SIGSEGV ? "SIGSEGV at a bad address" : signame(sig);
    return false;
}
/* endregion */

static void on_fault(int sig, siginfo_t *si, void *ucp)
{
    ucontext_t *uc = ucp;
    struct lc_proc *p = K.cur;
    if (!UC_OK || !K.up || p == NULL || K.in_hook) {
        unowned_fault(sig, si);
        return;
    }
#if UC_OK
    uintptr_t sp = (uintptr_t)UC_SP(uc);
    struct lc_reason r;
    bool catchable = classify(p, sig, si, sp, &r);
    p->reason = r;
    p->flags |= PF_FAULTED;
    if (catchable) {
        /* Resume in lc__fault_raise() as if it had been called: below the
           red zone (128 bytes the interrupted function may be using),
           16-byte aligned, with a zero return address on top. */
        sp = ((sp - 256) & ~(uintptr_t)15) - 8;
        *(uintptr_t *)sp = 0;
        UC_SP(uc) = sp;
        UC_PC(uc) = (uintptr_t)lc__fault_raise;
#if defined(__aarch64__)
        uc->uc_mcontext.regs[30] = 0;
#endif
        return;
    }
    /* End the process now: resume the scheduler, which will find it dying. */
    p->state = LC_STATE_EXITING;
    K.dying = p;
    K.cur = K.active = NULL;
#ifdef LC_ASAN
    __sanitizer_start_switch_fiber(NULL, K.sched_stack_lo, K.sched_stack_size);
#endif
    UC_PC(uc) = (uintptr_t)lc__ctx_restore;
    UC_A0(uc) = (uintptr_t)&K.sched;
    /* The process's stack may be the one that overflowed. The assembly
       lc__ctx_restore() never touches it, but the ucontext fallback
       (setcontext) does: give it the top of the signal stack, which is
       free again once this handler has returned. */
    UC_SP(uc) = (((uintptr_t)F.altstack + ALTSTACK_SIZE) & ~(uintptr_t)15) - 8;
#endif
}

int lc__fault_init(void)
{
    F.altstack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (F.altstack == MAP_FAILED) {
        F.altstack = NULL;
        return LC_ENOMEM;
    }
    stack_t ss = { .ss_sp = F.altstack, .ss_size = ALTSTACK_SIZE };
    sigaltstack(&ss, &F.old_ss);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGNALS; i++) {
        sigaction(signals[i], &sa, &F.old[i]);
    }
    F.installed = true;
    return 0;
}

void lc__fault_fini(void)
{
    if (!F.installed) {
        return;
    }
    for (size_t i = 0; i < NSIGNALS; i++) {
        sigaction(signals[i], &F.old[i], NULL);
    }
    sigaltstack(&F.old_ss, NULL);
    munmap(F.altstack, ALTSTACK_SIZE);
    memset(&F, 0, sizeof F);
}
