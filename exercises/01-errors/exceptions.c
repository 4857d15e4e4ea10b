/*
 * exceptions.c - error, exit and throw, and the handlers of LC_TRY (chapter 1).
 *
 * Each process has its own stack of handlers: a linked list of the
 * struct lc_try records of the LC_TRY blocks it is inside, innermost first.
 * The list's head lives in the process's LC_LOCAL_ERRORS slot, so two
 * processes never see each other's handlers -- an exception cannot jump from
 * one process's stack to another's.
 *
 * Raising an exception is a _longjmp() to the innermost record that can take
 * it. The jump lands in the _setjmp() of its LC_TRY, which then tries the
 * catch clauses in order. With no record left, the process ends with the
 * exception's reason: only this process, the others run on.
 */
#include "lc/otp/exceptions.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

void lc__try_push(struct lc_try *t, const char *where)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    (void)t;
    (void)where;
}

void lc__try_done(struct lc_try *t)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    (void)t;
}

bool lc__try_match(struct lc_try *t, enum lc_class cls)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    return false;
}

bool lc__try_match_value(struct lc_try *t, enum lc_class cls,
                         struct lc_term value)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    return false;
}

void lc__try_pop(struct lc_try *t)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    (void)t;
}

void lc__try_end(struct lc_try *t)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    (void)t;
}

_Noreturn void lc_rethrow(const struct lc_exception *e)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    lc_proc_exit(e->reason);
}

_Noreturn void lc__error(struct lc_term value, const char *where)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    lc_proc_exit(lc_reason(LC_A_TODO));
}

_Noreturn void lc__throw(struct lc_term value, const char *where)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    lc_proc_exit(lc_reason(LC_A_TODO));
}

_Noreturn void lc__exit(struct lc_reason reason, const char *where)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    lc_proc_exit(lc_reason(LC_A_TODO));
}

/*
 * The kernel calls this in a process that made a hardware fault OTP would
 * call an error (a null-pointer access, an integer division by zero), on
 * the process's own stack, where the fault happened (proc.h). Raise it as
 * an error, like lc_error() would, so that LC_TRY can catch it. If this
 * returns, the kernel ends the process with the fault's reason.
 */
static void raise_fault(struct lc_reason r)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    (void)r;
}

LC_ON_FAULT(raise_fault)

int lc_parse_int(const char *s, int64_t *out)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    return LC_ENOSYS;
}

int64_t lc_parse_int_or_crash(const char *s)
{
    /* TODO(ch01): write this (see its contract comment). */
    LC_TODO("ch01");
    return 0;
}
