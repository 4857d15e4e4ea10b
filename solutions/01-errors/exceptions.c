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

/* BEGIN SOLUTION(ch01): - */
/* The handler stack of the running process. */
static struct lc_try **stack_top(void)
{
    void **slot = lc_local(lc_self(), LC_LOCAL_ERRORS);
    if (slot == NULL) {
        lc_panic("exceptions are raised and caught only inside processes");
    }
    return (struct lc_try **)slot;
}

/* The exit reason of an exception nobody catches (E2 in OTP's terms). */
static struct lc_reason uncaught_reason(enum lc_class cls, struct lc_term value,
                                        const char *where)
{
    struct lc_reason r = lc_reason_with(
            cls == LC_CLASS_ERROR ? LC_A_ERROR : LC_A_NOCATCH, value);
    r.where = where;
    return r;
}
/* END SOLUTION */

void lc__try_push(struct lc_try *t, const char *where)
{
    /* BEGIN SOLUTION(ch01): (void)t; (void)where; */
    struct lc_try **top = stack_top();
    t->prev = *top;
    t->state = LC__TRYING;
    t->where = where;
    *top = t;
    /* END SOLUTION */
}

void lc__try_done(struct lc_try *t)
{
    /* BEGIN SOLUTION(ch01): (void)t; */
    if (t->state == LC__TRYING || t->state == LC__HANDLING) {
        t->state = LC__DONE;
    }
    /* END SOLUTION */
}

bool lc__try_match(struct lc_try *t, enum lc_class cls)
{
    /* BEGIN SOLUTION(ch01): return false; */
    if (t->state != LC__CAUGHT || (cls != 0 && t->exc.class != cls)) {
        return false;
    }
    t->state = LC__HANDLING;
    return true;
    /* END SOLUTION */
}

bool lc__try_match_value(struct lc_try *t, enum lc_class cls,
                         struct lc_term value)
{
    /* BEGIN SOLUTION(ch01): return false; */
    if (t->state != LC__CAUGHT || !lc_term_eq(t->exc.value, value)) {
        return false;
    }
    return lc__try_match(t, cls);
    /* END SOLUTION */
}

void lc__try_pop(struct lc_try *t)
{
    /* BEGIN SOLUTION(ch01): (void)t; */
    struct lc_try **top = stack_top();
    if (*top != t) {
        lc_panic("handler of the LC_TRY at %s is not on top of the handler "
                 "stack: was a TRY block left with return, break or goto?",
                 t->where);
    }
    *top = t->prev;
    if (t->state == LC__TRYING || t->state == LC__HANDLING) {
        t->state = LC__DONE;
    }
    t->prev = (struct lc_try *)t; /* marks "popped" for lc__try_end() */
    /* END SOLUTION */
}

void lc__try_end(struct lc_try *t)
{
    /* BEGIN SOLUTION(ch01): (void)t; */
    if (t->prev != t) {
        lc__try_pop(t);
    }
    /* Nobody took it, or a clause raised a new one: send it further up. */
    if (t->state == LC__CAUGHT || t->state == LC__RERAISE) {
        lc_rethrow(&t->exc);
    }
    /* END SOLUTION */
}

_Noreturn void lc_rethrow(const struct lc_exception *e)
{
    /* BEGIN SOLUTION(ch01): lc_proc_exit(e->reason); */
    struct lc_try **top = stack_top();
    struct lc_try *t = *top;
    /* Handlers whose clause already finished cannot take it: skip them. */
    while (t != NULL && t->state != LC__TRYING && t->state != LC__HANDLING) {
        t = t->prev;
    }
    if (t == NULL) {
        lc_proc_exit(e->reason); /* uncaught: only this process ends */
    }
    struct lc_exception copy = *e; /* 'e' may live in 't' itself */
    int state = t->state;
    t->exc = copy;
    t->state = state == LC__TRYING ? LC__CAUGHT : LC__RERAISE;
    *top = t;
    _longjmp(t->env, 1);
    /* END SOLUTION */
}

_Noreturn void lc__error(struct lc_term value, const char *where)
{
    /* BEGIN SOLUTION(ch01): lc_proc_exit(lc_reason(LC_A_TODO)); */
    struct lc_exception e = { LC_CLASS_ERROR, value,
                              uncaught_reason(LC_CLASS_ERROR, value, where),
                              where };
    lc_rethrow(&e);
    /* END SOLUTION */
}

_Noreturn void lc__throw(struct lc_term value, const char *where)
{
    /* BEGIN SOLUTION(ch01): lc_proc_exit(lc_reason(LC_A_TODO)); */
    struct lc_exception e = { LC_CLASS_THROW, value,
                              uncaught_reason(LC_CLASS_THROW, value, where),
                              where };
    lc_rethrow(&e);
    /* END SOLUTION */
}

_Noreturn void lc__exit(struct lc_reason reason, const char *where)
{
    /* BEGIN SOLUTION(ch01): lc_proc_exit(lc_reason(LC_A_TODO)); */
    struct lc_exception e = { LC_CLASS_EXIT, lc_none(), reason, where };
    lc_rethrow(&e);
    /* END SOLUTION */
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
    /* BEGIN SOLUTION(ch01): (void)r; */
    lc__error(r.value, r.where);
    /* END SOLUTION */
}

LC_ON_FAULT(raise_fault)

int lc_parse_int(const char *s, int64_t *out)
{
    /* BEGIN SOLUTION(ch01): return LC_ENOSYS; */
    /* strtoll() would skip leading white space; the contract does not. */
    if (s == NULL || (*s != '+' && *s != '-' && !isdigit((unsigned char)*s))) {
        return LC_EINVAL;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || end == s) {
        return LC_EINVAL;
    }
    if (errno == ERANGE) {
        return LC_ERANGE;
    }
    *out = v;
    return 0;
    /* END SOLUTION */
}

int64_t lc_parse_int_or_crash(const char *s)
{
    /* BEGIN SOLUTION(ch01): return 0; */
    int64_t v;
    if (lc_parse_int(s, &v) < 0) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    return v;
    /* END SOLUTION */
}
