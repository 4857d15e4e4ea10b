/*
 * errors.h - runtime errors: error, exit and throw, with try / catch / after.
 * (Chapter 1. The student writes exceptions.c; this header is given.)
 *
 * Like the BEAM, the kit has three kinds ("classes") of exception, each
 * carrying a value:
 *
 *   lc_error(v)   something went wrong: a bug, a bad argument, 1/0.
 *   lc_exit(r)    this process wants to end, with reason r.
 *   lc_throw(v)   a non-local return: jump out of deep code with a value.
 *
 * An exception travels up to the innermost enclosing LC_TRY of the same
 * process. If none catches it, the process ends -- and only that process --
 * with the reason OTP would give it:
 *
 *   uncaught lc_error(v)  ->  {v, "file.c:42"}           (kind error)
 *   uncaught lc_exit(r)   ->  r
 *   uncaught lc_throw(v)  ->  {{nocatch, v}, "file.c:42"} (kind nocatch)
 *
 * The syntax, with every part but LC_TRY and LC_END_TRY optional:
 *
 *     LC_TRY {
 *         risky();
 *     } LC_CATCH_VALUE(LC_CLASS_THROW, lc_atom_term(done), e) {
 *         ...                       only `throw done`
 *     } LC_CATCH(LC_CLASS_ERROR, e) {
 *         ...                       any error; e->value says which
 *     } LC_CATCH_ANY(e) {
 *         ...                       anything else
 *     } LC_AFTER {
 *         ...                       always runs, last
 *     } LC_END_TRY;
 *
 * Clauses are tried in order; the first that matches handles the
 * exception. An exception no clause matches goes on to the enclosing
 * LC_TRY after the AFTER block has run. So does one raised inside a catch
 * clause. One raised inside AFTER replaces the one in flight.
 *
 * Rules that C imposes (the BEAM has none of these):
 *  - Never leave the body of an LC_TRY or of a clause with return, break or
 *    goto: the handler would stay on the process's handler stack. Let
 *    control reach the end of the block.
 *  - A local variable that the body changes and that a clause or the code
 *    after LC_END_TRY reads must be declared volatile: _longjmp() does not
 *    restore registers, and the compiler may keep the variable in one.
 *  - Memory from malloc() is not freed when an exception passes; memory from
 *    lc_alloc() is freed when the process ends.
 */
#ifndef LC_ERRORS_H
#define LC_ERRORS_H

#include <setjmp.h>
#include <stdbool.h>

#include "lc/lc.h"

/* region: exception */
enum lc_class {
    LC_CLASS_ERROR = 1, /* lc_error(): a runtime error */
    LC_CLASS_EXIT,      /* lc_exit(): a request to end the process */
    LC_CLASS_THROW      /* lc_throw(): a non-local return */
};

/* What a catch clause sees. */
struct lc_exception {
    enum lc_class class;     /* which kind */
    struct lc_term value;    /* error and throw: the value raised (exit:
                                none; look at its reason instead) */
    struct lc_reason reason; /* the reason the process ends with if no one
                                catches it (for exit: the reason given) */
    const char *where;       /* "file.c:42" of the raise */
};
/* endregion */

/* --- Raising ------------------------------------------------------------ */

#define LC__STR2(x) #x
#define LC__STR(x)  LC__STR2(x)
#define LC_WHERE    __FILE__ ":" LC__STR(__LINE__)

/* region: raising */
/* Raise an exception of each class. None of them returns. */
#define lc_error(value) lc__error((value), LC_WHERE)
#define lc_throw(value) lc__throw((value), LC_WHERE)
#define lc_exit(reason) lc__exit((reason), LC_WHERE)

_Noreturn void lc__error(struct lc_term value, const char *where);
_Noreturn void lc__throw(struct lc_term value, const char *where);
_Noreturn void lc__exit(struct lc_reason reason, const char *where);

/*
 * Raise 'e' again, unchanged (its 'where' stays that of the first raise):
 * the handler that is running does not want it after all. Raising goes to
 * the innermost LC_TRY that is still trying; with none, the process ends
 * with e->reason.
 */
_Noreturn void lc_rethrow(const struct lc_exception *e);
/* endregion */

/* --- Handlers: what the LC_TRY macros expand to ------------------------- */

/* region: handler */
/* One LC_TRY block, on the stack of the process that runs it. */
struct lc_try {
    struct lc_try *prev;     /* the enclosing handler of this process */
    jmp_buf env;             /* where a raise lands */
    int state;               /* LC__TRYING, LC__CAUGHT, ... (exceptions.c) */
    struct lc_exception exc; /* the exception caught, if any */
    const char *where;       /* "file.c:42" of the LC_TRY, for diagnostics */
};

enum {
    LC__TRYING = 1, /* the body runs */
    LC__CAUGHT,     /* an exception landed; no clause has taken it yet */
    LC__HANDLING,   /* a clause took it and runs */
    LC__RERAISE,    /* a clause raised: pass the new one on after AFTER */
    LC__DONE,       /* body or clause finished normally */
    LC__POPPED      /* off the handler stack: AFTER runs, or all is over */
};
/* endregion */

/* region: hooks */
/* Put 't' on top of the calling process's handler stack (state TRYING). */
void lc__try_push(struct lc_try *t, const char *where);

/* The body or a clause reached its end normally. */
void lc__try_done(struct lc_try *t);

/* True (and the state becomes HANDLING) if an exception is waiting in 't'
 * and its class is 'cls' (0: any class). */
bool lc__try_match(struct lc_try *t, enum lc_class cls);

/* As lc__try_match(), and the exception's value must equal 'value'. */
bool lc__try_match_value(struct lc_try *t, enum lc_class cls,
                         struct lc_term value);

/* Take 't' off the handler stack (before AFTER runs, or at the end). */
void lc__try_pop(struct lc_try *t);

/* The end of the block: pop 't' if still on the stack, then raise the
 * exception again if no clause took it or a clause raised. */
void lc__try_end(struct lc_try *t);
/* endregion */

/* The pragmas must stay one per line: */
/* clang-format off */
/* region: macros */
/* A nested LC_TRY declares its own lc__t, which hides the outer one on
   purpose: the pragmas keep -Wshadow quiet about it. */
#define LC_TRY                                                                 \
    {                                                                          \
        _Pragma("GCC diagnostic push")                                         \
        _Pragma("GCC diagnostic ignored \"-Wshadow\"")                         \
        struct lc_try lc__t;                                                   \
        _Pragma("GCC diagnostic pop")                                          \
        lc__try_push(&lc__t, LC_WHERE);                                        \
        if (_setjmp(lc__t.env) == 0) {

#define LC_CATCH(cls, e)                                                       \
    lc__try_done(&lc__t);                                                      \
    }                                                                          \
    else if (lc__try_match(&lc__t, (cls)))                                     \
    {                                                                          \
        const struct lc_exception *e = &lc__t.exc;                             \
        (void)e;

#define LC_CATCH_VALUE(cls, value, e)                                          \
    lc__try_done(&lc__t);                                                      \
    }                                                                          \
    else if (lc__try_match_value(&lc__t, (cls), (value)))                      \
    {                                                                          \
        const struct lc_exception *e = &lc__t.exc;                             \
        (void)e;

#define LC_CATCH_ANY(e) LC_CATCH(0, e)

#define LC_AFTER                                                               \
    lc__try_done(&lc__t);                                                      \
    }                                                                          \
    lc__try_pop(&lc__t);                                                       \
    {

#define LC_END_TRY                                                             \
    lc__try_done(&lc__t);                                                      \
    }                                                                          \
    lc__try_end(&lc__t);                                                       \
    }
/* endregion */
/* clang-format on */

/* --- The "_or_crash" convention ----------------------------------------- */

/*
 * Two ways to report that something went wrong, and a naming rule that says
 * which one a function uses (Elixir's File.open vs File.open!):
 *
 *   lc_parse_int("12x", &n)       returns LC_EINVAL: the caller expected that
 *                                 input can be bad and decides what to do;
 *   lc_parse_int_or_crash("12x")  raises lc_error(badarg): bad input here is
 *                                 a bug, and the process should crash.
 *
 * Both accept an optional sign and decimal digits, and nothing else (no
 * spaces); a value outside int64_t is LC_ERANGE / error badarg.
 */
/* region: or_crash */
int lc_parse_int(const char *s, int64_t *out);
int64_t lc_parse_int_or_crash(const char *s);
/* endregion */

#endif /* LC_ERRORS_H */
