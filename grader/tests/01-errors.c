/*
 * 01-errors.c - graded tests of chapter 1: error, exit and throw, with
 * try / catch / after (lc/otp/exceptions.h).
 *
 * Each test runs one or a few processes on the virtual clock. The processes
 * write what they saw into 'seen' (a log of events as a string, the
 * exceptions their clauses caught) and an exit hook records how every
 * process ended; the test asserts after gr_run() has returned, never inside
 * a process. Every test raises at least one exception and expects it to be
 * caught or to end a process with a precise reason, so that the stubs of
 * the untouched exercise -- which end the process with `todo` at the first
 * raise and never catch anything -- fail them all.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/* Raise and remember where: both LC_WHERE expand on the caller's line, so
   the test knows the "file.c:42" the exception must carry. */
#define ERROR_AT(w, v) ((w) = LC_WHERE, lc_error(v))
#define THROW_AT(w, v) ((w) = LC_WHERE, lc_throw(v))
#define EXIT_AT(w, r)  ((w) = LC_WHERE, lc_exit(r))

static struct {
    char log[128]; /* events, in order */
    int caught;    /* clauses that ran */
    struct lc_exception exc[4];
    const char *where; /* where the test raised */
    int n;             /* a counter for loops and recursion */
    int ret[16];       /* return values */
    int64_t vals[8];
    bool reached; /* a line that must (or must not) run was reached */
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    gr_record_exits();
}

static void log_event(const char *what)
{
    size_t len = strlen(seen.log);
    snprintf(seen.log + len, sizeof seen.log - len, "%s%s", len ? " " : "",
             what);
}

static void keep(const struct lc_exception *e)
{
    if (seen.caught < 4) {
        seen.exc[seen.caught] = *e;
    }
    seen.caught++;
}

/* Assert that a process's reason is exactly {kind, value} raised at 'where'
   ('where' NULL: do not check it). */
static void assert_reason(const struct lc_reason *r, lc_atom kind,
                          struct lc_term value, const char *where,
                          const char *what)
{
    ck_assert_msg(r != NULL, "%s has not ended", what);
    struct lc_reason want = lc_reason_with(kind, value);
    want.where = where ? where : "...";
    char w[192];
    lc_reason_format(w, sizeof w, &want);
    ck_assert_msg(lc_reason_eq(r, &want), "%s ended with %s instead of %s",
                  what, gr_reason_str(r), w);
    if (where != NULL) {
        ck_assert_msg(r->where != NULL && strcmp(r->where, where) == 0,
                      "%s ended with %s: 'where' should be \"%s\", the line "
                      "of the raise",
                      what, gr_reason_str(r), where);
    }
}

static lc_atom atom(const char *name)
{
    return lc_atom_intern(name);
}

/* --- The three kinds, caught with their values -------------------------- */

static void catch_error(void *arg)
{
    (void)arg;
    LC_TRY
    {
        ERROR_AT(seen.where, lc_int(42));
        seen.reached = true; /* never: lc_error() does not return */
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        keep(e);
    }
    LC_END_TRY;
    log_event("went-on");
}

GR_TEST(error_caught_with_value)
{
    reset();
    struct lc_reason why = gr_run(catch_error, NULL);
    ck_assert_msg(seen.caught == 1,
                  "the LC_CATCH(LC_CLASS_ERROR) clause ran %d times, not once",
                  seen.caught);
    gr_expect_int(seen.exc[0].class, LC_CLASS_ERROR,
                  "the class of the exception caught (LC_CLASS_ERROR = 1, EXIT "
                  "= 2, THROW = 3)");
    ck_assert_msg(lc_term_eq(seen.exc[0].value, lc_int(42)),
                  "e->value is not the value given to lc_error()");
    ck_assert_msg(seen.exc[0].where != NULL &&
                          strcmp(seen.exc[0].where, seen.where) == 0,
                  "e->where is \"%s\", not \"%s\" (the line of the raise)",
                  seen.exc[0].where ? seen.exc[0].where : "(null)", seen.where);
    ck_assert_msg(!seen.reached, "the code after lc_error() ran");
    gr_expect_str(seen.log, "went-on", "what ran (a log of events)");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the process ended with %s: a caught error must not end it",
                  gr_reason_str(&why));
}

static void catch_exit(void *arg)
{
    (void)arg;
    struct lc_reason r = lc_reason_with(LC_A_SHUTDOWN, lc_int(7));
    LC_TRY
    {
        EXIT_AT(seen.where, r);
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        log_event("throw-clause");
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        log_event("error-clause");
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        log_event("exit-clause");
        keep(e);
    }
    LC_END_TRY;
    log_event("went-on");
}

GR_TEST(exit_caught_with_reason)
{
    reset();
    struct lc_reason why = gr_run(catch_exit, NULL);
    gr_expect_str(
            seen.log, "exit-clause went-on",
            "the clauses that ran for lc_exit({shutdown, 7}), then the rest");
    gr_expect_int(seen.exc[0].class, LC_CLASS_EXIT,
                  "the class of the exception caught (LC_CLASS_ERROR = 1, EXIT "
                  "= 2, THROW = 3)");
    struct lc_reason want = lc_reason_with(LC_A_SHUTDOWN, lc_int(7));
    ck_assert_msg(lc_reason_eq(&seen.exc[0].reason, &want),
                  "the clause saw e->reason = %s, not {shutdown, 7}",
                  gr_reason_str(&seen.exc[0].reason));
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the process ended with %s: a caught exit must not end it",
                  gr_reason_str(&why));
}

/* Search a "tree" of depth 'depth' and throw the answer from the bottom. */
static int64_t dig(int depth)
{
    if (depth < 0) {
        return 0;
    }
    if (depth == 0) {
        THROW_AT(seen.where, lc_int(1234));
    }
    int64_t r = dig(depth - 1);
    seen.n++; /* never: the throw skips every return on the way up */
    return r + 1;
}

static void deep_throw(void *arg)
{
    (void)arg;
    volatile int64_t result = -1;
    LC_TRY
    {
        result = dig(50);
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        keep(e);
        result = e->value.u.i;
    }
    LC_END_TRY;
    seen.vals[0] = result;
}

GR_TEST(throw_returns_from_deep_calls)
{
    reset();
    gr_run(deep_throw, NULL);
    ck_assert_msg(seen.caught == 1,
                  "the LC_CATCH(LC_CLASS_THROW) clause ran "
                  "%d times, not once",
                  seen.caught);
    gr_expect_int(seen.exc[0].class, LC_CLASS_THROW,
                  "the class of the exception caught (LC_CLASS_ERROR = 1, EXIT "
                  "= 2, THROW = 3)");
    ck_assert_msg(seen.vals[0] == 1234,
                  "the result is %lld, not the 1234 "
                  "thrown 50 calls down",
                  (long long)seen.vals[0]);
    ck_assert_msg(seen.n == 0,
                  "%d of the 50 calls returned normally after "
                  "the throw",
                  seen.n);
}

/* Raise one exception of each kind; LC_CATCH_ANY takes them all. */
static void raise_kind(int i)
{
    switch (i) {
        case 0:
            lc_error(lc_int(1));
        case 1:
            lc_exit(lc_reason(LC_A_SHUTDOWN));
        default:
            lc_throw(lc_int(3));
    }
}

static void catch_any(void *arg)
{
    (void)arg;
    for (volatile int i = 0; i < 3; i++) {
        LC_TRY
        {
            raise_kind(i);
        }
        LC_CATCH_ANY(e)
        {
            keep(e);
        }
        LC_END_TRY;
    }
}

GR_TEST(catch_any_takes_every_kind)
{
    reset();
    gr_run(catch_any, NULL);
    ck_assert_msg(seen.caught == 3,
                  "LC_CATCH_ANY caught %d of the 3 "
                  "exceptions",
                  seen.caught);
    gr_expect_int(seen.exc[0].class, LC_CLASS_ERROR,
                  "the class LC_CATCH_ANY saw for lc_error() (LC_CLASS_ERROR = "
                  "1, EXIT = 2, THROW = 3)");
    gr_expect_int(seen.exc[1].class, LC_CLASS_EXIT,
                  "the class LC_CATCH_ANY saw for lc_exit() (LC_CLASS_ERROR = "
                  "1, EXIT = 2, THROW = 3)");
    gr_expect_int(seen.exc[2].class, LC_CLASS_THROW,
                  "the class LC_CATCH_ANY saw for lc_throw() (LC_CLASS_ERROR = "
                  "1, EXIT = 2, THROW = 3)");
    ck_assert_msg(lc_term_eq(seen.exc[0].value, lc_int(1)) &&
                          lc_term_eq(seen.exc[2].value, lc_int(3)),
                  "the values of the error and the throw were not kept");
    ck_assert_msg(gr_reason_is(&seen.exc[1].reason, LC_A_SHUTDOWN),
                  "the exit's reason is %s, not shutdown",
                  gr_reason_str(&seen.exc[1].reason));
}

/* --- Clauses: order and patterns ---------------------------------------- */

static void clause_order(void *arg)
{
    (void)arg;
    LC_TRY
    {
        lc_throw(lc_int(5));
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        log_event("error");
    }
    LC_CATCH_VALUE(LC_CLASS_THROW, lc_int(6), e)
    {
        log_event("throw-6");
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        log_event("throw");
    }
    LC_CATCH_ANY(e)
    {
        log_event("any");
    }
    LC_END_TRY;
    log_event("end");
}

GR_TEST(first_matching_clause_wins)
{
    reset();
    gr_run(clause_order, NULL);
    gr_expect_str(
            seen.log, "throw end",
            "the clauses that ran for a throw (in order) and what ran after");
}

/* Three exceptions against one LC_CATCH_VALUE(LC_CLASS_THROW, done) clause:
   only `throw done` matches; the others go to the outer handler. */
static void value_patterns(void *arg)
{
    (void)arg;
    struct lc_term done = lc_atom_term(atom("done"));
    struct lc_term raised[3] = { done, lc_atom_term(atom("other")), done };
    for (volatile int i = 0; i < 3; i++) {
        LC_TRY
        {
            LC_TRY
            {
                if (i == 2) {
                    lc_error(raised[i]); /* right value, wrong kind */
                }
                lc_throw(raised[i]);
            }
            LC_CATCH_VALUE(LC_CLASS_THROW, done, e)
            {
                log_event("inner");
            }
            LC_END_TRY;
        }
        LC_CATCH_ANY(e)
        {
            log_event("outer");
        }
        LC_END_TRY;
    }
}

GR_TEST(catch_by_kind_and_value)
{
    reset();
    gr_run(value_patterns, NULL);
    ck_assert_msg(strcmp(seen.log, "inner outer outer") == 0,
                  "clauses that ran for throw done, throw other, error done: "
                  "\"%s\" instead of \"inner outer outer\"",
                  seen.log);
}

/* --- Nesting, after, rethrow -------------------------------------------- */

static void nested_inner_first(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            lc_throw(lc_int(1));
        }
        LC_CATCH(LC_CLASS_THROW, e)
        {
            log_event("inner-catch");
        }
        LC_END_TRY;
        log_event("outer-body-goes-on");
        lc_error(lc_int(2));
    }
    LC_CATCH_ANY(e)
    {
        log_event("outer-catch");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(innermost_handler_catches_first)
{
    reset();
    gr_run(nested_inner_first, NULL);
    gr_expect_str(seen.log, "inner-catch outer-body-goes-on outer-catch",
                  "what ran, in order, for an error caught by the inner "
                  "handler then another by the outer");
    gr_expect_int(seen.exc[0].class, LC_CLASS_ERROR,
                  "the class of the exception caught (LC_CLASS_ERROR = 1, EXIT "
                  "= 2, THROW = 3)");
}

static void unmatched_goes_out(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            THROW_AT(seen.where, lc_int(9));
        }
        LC_CATCH(LC_CLASS_ERROR, e)
        {
            log_event("inner-catch");
        }
        LC_AFTER
        {
            log_event("inner-after");
        }
        LC_END_TRY;
        log_event("outer-body-goes-on"); /* never */
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        log_event("outer-catch");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(unmatched_exception_goes_to_outer_handler)
{
    reset();
    gr_run(unmatched_goes_out, NULL);
    gr_expect_str(
            seen.log, "inner-after outer-catch",
            "what ran, in order, for a throw the inner clauses do not match");
    gr_expect_int(seen.exc[0].class, LC_CLASS_THROW,
                  "the class the outer handler caught (LC_CLASS_ERROR = 1, "
                  "EXIT = 2, THROW = 3)");
    ck_assert_msg(lc_term_eq(seen.exc[0].value, lc_int(9)) &&
                          seen.exc[0].where != NULL &&
                          strcmp(seen.exc[0].where, seen.where) == 0,
                  "the outer clause did not get the exception unchanged");
}

/* AFTER runs once in each of three cases: no exception, an exception a
   clause took, and one that goes on to the outer handler. */
static void after_cases(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            log_event("body1");
        }
        LC_CATCH_ANY(e)
        {
            log_event("catch1");
        }
        LC_AFTER
        {
            log_event("after1");
        }
        LC_END_TRY;
        LC_TRY
        {
            lc_throw(lc_int(2));
        }
        LC_CATCH_ANY(e)
        {
            log_event("catch2");
        }
        LC_AFTER
        {
            log_event("after2");
        }
        LC_END_TRY;
        LC_TRY
        {
            lc_error(lc_int(3));
        }
        LC_AFTER
        {
            log_event("after3");
        }
        LC_END_TRY;
    }
    LC_CATCH_ANY(e)
    {
        log_event("outer");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(after_always_runs_once)
{
    reset();
    gr_run(after_cases, NULL);
    gr_expect_str(seen.log, "body1 after1 catch2 after2 after3 outer",
                  "what ran, in order: no exception, a caught one, one passing "
                  "through");
    ck_assert_msg(seen.exc[0].class == LC_CLASS_ERROR &&
                          lc_term_eq(seen.exc[0].value, lc_int(3)),
                  "AFTER changed the exception that passed through it");
}

static void after_raises(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            lc_throw(lc_int(1));
        }
        LC_AFTER
        {
            log_event("after");
            lc_error(lc_int(2));
        }
        LC_END_TRY;
    }
    LC_CATCH_ANY(e)
    {
        log_event("outer");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(raise_in_after_replaces_exception)
{
    reset();
    gr_run(after_raises, NULL);
    gr_expect_str(seen.log, "after outer",
                  "what ran, in order, when AFTER raises");
    ck_assert_msg(seen.caught == 1 && seen.exc[0].class == LC_CLASS_ERROR &&
                          lc_term_eq(seen.exc[0].value, lc_int(2)),
                  "the outer handler should see the error raised in AFTER, "
                  "not the throw it replaced");
}

static void catch_raises(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            lc_throw(lc_int(1));
        }
        LC_CATCH(LC_CLASS_THROW, e)
        {
            log_event("inner-catch");
            lc_error(lc_int(2));
        }
        LC_CATCH_ANY(e)
        {
            log_event("inner-any"); /* never: not for the same try */
        }
        LC_AFTER
        {
            log_event("inner-after");
        }
        LC_END_TRY;
    }
    LC_CATCH_ANY(e)
    {
        log_event("outer");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(raise_in_catch_goes_to_outer_handler)
{
    reset();
    gr_run(catch_raises, NULL);
    gr_expect_str(seen.log, "inner-catch inner-after outer",
                  "what ran, in order, when a catch clause raises");
    ck_assert_msg(seen.exc[0].class == LC_CLASS_ERROR &&
                          lc_term_eq(seen.exc[0].value, lc_int(2)),
                  "the outer handler did not get the error the clause "
                  "raised");
}

static void rethrow_out(void *arg)
{
    (void)arg;
    LC_TRY
    {
        LC_TRY
        {
            ERROR_AT(seen.where, lc_atom_term(LC_A_BADARG));
        }
        LC_CATCH_ANY(e)
        {
            log_event("inner");
            keep(e);
            lc_rethrow(e);
        }
        LC_AFTER
        {
            log_event("inner-after");
        }
        LC_END_TRY;
    }
    LC_CATCH_ANY(e)
    {
        log_event("outer");
        keep(e);
    }
    LC_END_TRY;
}

GR_TEST(rethrow_reaches_outer_unchanged)
{
    reset();
    gr_run(rethrow_out, NULL);
    gr_expect_str(seen.log, "inner inner-after outer",
                  "what ran, in order, for lc_rethrow() in a clause");
    const struct lc_exception *o = &seen.exc[1];
    gr_expect_int(o->class, LC_CLASS_ERROR,
                  "the class the outer handler caught (LC_CLASS_ERROR = 1, "
                  "EXIT = 2, THROW = 3)");
    ck_assert_msg(lc_term_eq(o->value, lc_atom_term(LC_A_BADARG)),
                  "the rethrown value changed");
    ck_assert_msg(o->where != NULL && strcmp(o->where, seen.where) == 0,
                  "the rethrown exception says where=\"%s\"; it must keep "
                  "the first raise's \"%s\"",
                  o->where ? o->where : "(null)", seen.where);
    ck_assert_msg(lc_reason_eq(&o->reason, &seen.exc[0].reason),
                  "the rethrown exception's reason changed: %s",
                  gr_reason_str(&o->reason));
}

/* After many caught exceptions and tries left normally, the handler stack
   must be empty again: a last, uncaught error ends the process. */
static void many_tries(void *arg)
{
    (void)arg;
    for (volatile int i = 0; i < 100; i++) {
        LC_TRY
        {
            if (i % 2) {
                lc_throw(lc_int(i));
            }
            LC_TRY
            {
                seen.n++;
            }
            LC_AFTER
            {
                seen.n++;
            }
            LC_END_TRY;
        }
        LC_CATCH(LC_CLASS_THROW, e)
        {
            seen.caught++;
        }
        LC_END_TRY;
    }
    ERROR_AT(seen.where, lc_int(77));
}

GR_TEST(handler_stack_unwinds)
{
    reset();
    struct lc_reason why = gr_run(many_tries, NULL);
    ck_assert_msg(seen.caught == 50, "%d of 50 throws were caught",
                  seen.caught);
    gr_expect_int(seen.n, 100, "tries completed of 100");
    assert_reason(&why, LC_A_ERROR, lc_int(77), seen.where,
                  "the process (an uncaught error after 100 tries)");
}

/* --- Uncaught: the process ends, and only it ---------------------------- */

static const char *where_b;

static void bystander(void *arg)
{
    (void)arg;
    lc_sleep(10); /* the crash happens meanwhile */
    log_event("bystander-ran");
}

static void crash_error(void *arg)
{
    (void)arg;
    LC_TRY
    {
        ERROR_AT(where_b, lc_int(42));
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        log_event("wrong-clause");
    }
    LC_END_TRY;
    log_event("went-on"); /* never */
}

static void crash_exit(void *arg)
{
    struct lc_reason r = lc_reason_with(atom("gave_up"), lc_int(3));
    if (arg != NULL) {
        r = lc_reason(LC_A_NORMAL);
    }
    lc_exit(r);
    log_event("went-on"); /* never */
}

static void crash_throw(void *arg)
{
    (void)arg;
    THROW_AT(where_b, lc_atom_term(atom("lost")));
    log_event("went-on"); /* never */
}

static lc_pid spawned[4];

/* Start a bystander, then the process *arg (an lc_proc_fn *). */
static void start_pair(void *arg)
{
    lc_proc_fn **fn = arg;
    spawned[0] = lc_spawn(bystander, NULL);
    spawned[1] = lc_spawn(*fn, NULL);
}

GR_TEST(uncaught_error_ends_only_its_process)
{
    reset();
    lc_proc_fn *fn = crash_error;
    gr_run(start_pair, &fn);
    assert_reason(gr_exit_of(spawned[1]), LC_A_ERROR, lc_int(42), where_b,
                  "the process with the uncaught lc_error(42)");
    gr_expect_str(seen.log, "bystander-ran",
                  "what the bystander process logged");
    const struct lc_reason *b = gr_exit_of(spawned[0]);
    ck_assert_msg(b != NULL && gr_reason_is(b, LC_A_NORMAL),
                  "the other process ended with %s instead of normal",
                  b ? gr_reason_str(b) : "nothing");
}

static void two_exits(void *arg)
{
    (void)arg;
    spawned[0] = lc_spawn(crash_exit, NULL);
    spawned[1] = lc_spawn(crash_exit, "normal");
}

GR_TEST(uncaught_exit_ends_with_its_reason)
{
    reset();
    gr_run(two_exits, NULL);
    assert_reason(gr_exit_of(spawned[0]), atom("gave_up"), lc_int(3), NULL,
                  "the process with the uncaught lc_exit({gave_up, 3})");
    const struct lc_reason *n = gr_exit_of(spawned[1]);
    ck_assert_msg(n != NULL && gr_reason_is(n, LC_A_NORMAL),
                  "lc_exit(normal) ended the process with %s",
                  n ? gr_reason_str(n) : "nothing");
    ck_assert_msg(seen.log[0] == '\0', "code after lc_exit() ran");
}

GR_TEST(uncaught_throw_ends_with_nocatch)
{
    reset();
    lc_proc_fn *fn = crash_throw;
    gr_run(start_pair, &fn);
    assert_reason(gr_exit_of(spawned[1]), LC_A_NOCATCH,
                  lc_atom_term(atom("lost")), where_b,
                  "the process with the uncaught lc_throw(lost)");
    gr_expect_str(seen.log, "bystander-ran",
                  "what the bystander process logged");
}

/* Process A waits inside its own LC_TRY while B raises, uncaught: B's
   exception must not land in A's handler. Then A raises and catches its
   own. */
enum {
    GO = 1
}; /* the message that lets A go on */

/* region: two_stacks */
static void waits_in_try(void *arg)
{
    (void)arg;
    LC_TRY
    {
        lc_msg_free(lc_receive_tag(GO, LC_INFINITY));
        lc_throw(lc_int(1));
    }
    LC_CATCH_ANY(e)
    {
        keep(e);
        log_event("a-caught");
    }
    LC_END_TRY;
}

static void raises_alone(void *arg)
{
    (void)arg;
    log_event("b-raises");
    lc_error(lc_int(2));
}

static void two_stacks(void *arg)
{
    (void)arg;
    spawned[0] = lc_spawn(waits_in_try, NULL);
    lc_sleep(10); /* A is inside its LC_TRY, waiting */
    spawned[1] = lc_spawn(raises_alone, NULL);
    lc_sleep(10); /* B has crashed */
    lc_send(spawned[0], GO, NULL, 0);
}
/* endregion */

GR_TEST(handlers_belong_to_their_process)
{
    reset();
    gr_run(two_stacks, NULL);
    assert_reason(gr_exit_of(spawned[1]), LC_A_ERROR, lc_int(2), NULL,
                  "process B (an uncaught error)");
    gr_expect_str(seen.log, "b-raises a-caught",
                  "what ran, in order, in processes A and B");
    ck_assert_msg(seen.caught == 1 && seen.exc[0].class == LC_CLASS_THROW &&
                          lc_term_eq(seen.exc[0].value, lc_int(1)),
                  "A's clause did not catch A's own throw 1");
    const struct lc_reason *a = gr_exit_of(spawned[0]);
    ck_assert_msg(a != NULL && gr_reason_is(a, LC_A_NORMAL),
                  "process A ended with %s instead of normal",
                  a ? gr_reason_str(a) : "nothing");
}

/* A hardware fault that OTP would call an error is raised as one. The
   sanitizer must not stop the fault before the kernel sees it. */
__attribute__((no_sanitize("undefined"))) static void faults(void *arg)
{
    (void)arg;
    volatile int seven = 7, zero = 0, q = 0;
    int *volatile null = NULL;
    LC_TRY
    {
        q = seven / zero;
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        keep(e);
    }
    LC_END_TRY;
    LC_TRY
    {
        q = *null;
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        keep(e);
    }
    LC_END_TRY;
    seen.vals[0] = q;
    log_event("went-on");
}

GR_TEST(hardware_faults_are_errors)
{
    reset();
    struct lc_reason why = gr_run(faults, NULL);
    ck_assert_msg(seen.caught == 2,
                  "%d of 2 faults (7 / 0, *NULL) were "
                  "caught as errors",
                  seen.caught);
    ck_assert_msg(
            seen.exc[0].class == LC_CLASS_ERROR &&
                    lc_term_eq(seen.exc[0].value, lc_atom_term(LC_A_BADARITH)),
            "7 / 0 should be caught as error badarith");
    ck_assert_msg(seen.exc[1].class == LC_CLASS_ERROR &&
                          lc_term_eq(seen.exc[1].value,
                                     lc_atom_term(LC_A_NULL_POINTER)),
                  "*NULL should be caught as error null_pointer");
    gr_expect_str(seen.log, "went-on", "what ran after the faults were caught");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL), "the process ended with %s",
                  gr_reason_str(&why));
}

/* --- Crash, or return an error ------------------------------------------ */

static void parse_many(void *arg)
{
    (void)arg;
    static const char *in[] = { "42",
                                "-17",
                                "+5",
                                "9223372036854775807",
                                "-9223372036854775808",
                                "12x",
                                "",
                                " 5",
                                "\v5",
                                "5 ",
                                "-",
                                "99999999999999999999" };
    for (int i = 0; i < 12; i++) {
        int64_t v = -1;
        seen.ret[i] = lc_parse_int(in[i], &v);
        if (i < 5) {
            seen.vals[i] = v;
        } else if (v != -1) {
            seen.n++; /* the output was written on failure */
        }
    }
    seen.ret[12] = lc_parse_int(NULL, &seen.vals[5]);
}

GR_TEST(parse_int_returns_an_error)
{
    reset();
    struct lc_reason why = gr_run(parse_many, NULL);
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "lc_parse_int() ended its process with %s: bad input is "
                  "an expected error here, it must be returned",
                  gr_reason_str(&why));
    static const int64_t want[] = { 42, -17, 5, INT64_MAX, INT64_MIN };
    for (int i = 0; i < 5; i++) {
        ck_assert_msg(seen.ret[i] == 0 && seen.vals[i] == want[i],
                      "input %d: returned %s with %lld, want 0 with %lld", i,
                      gr_err_str(seen.ret[i]), (long long)seen.vals[i],
                      (long long)want[i]);
    }
    for (int i = 5; i < 11; i++) {
        ck_assert_msg(seen.ret[i] == LC_EINVAL,
                      "input %d (\"12x\", \"\", \" 5\", \"\\v5\", \"5 \", "
                      "\"-\" from 5): returned %s, want LC_EINVAL",
                      i, gr_err_str(seen.ret[i]));
    }
    gr_expect_err(
            seen.ret[11], LC_ERANGE,
            "lc_parse_int(\"99999999999999999999\") (out of range) returned");
    gr_expect_err(seen.ret[12], LC_EINVAL, "lc_parse_int(NULL) returned");
    ck_assert_msg(seen.n == 0, "*out was written on %d failed parses", seen.n);
}

static void crash_on_bad(void *arg)
{
    seen.vals[1] = lc_parse_int_or_crash("12x"); /* ends the process */
    seen.reached = true;
}

static void parse_or_crash(void *arg)
{
    (void)arg;
    seen.vals[0] = lc_parse_int_or_crash("-250");
    LC_TRY
    {
        lc_parse_int_or_crash("");
        log_event("no-crash");
    }
    LC_CATCH_VALUE(LC_CLASS_ERROR, lc_atom_term(LC_A_BADARG), e)
    {
        log_event("badarg");
    }
    LC_END_TRY;
    spawned[0] = lc_spawn(crash_on_bad, NULL);
}

GR_TEST(or_crash_raises_badarg)
{
    reset();
    gr_run(parse_or_crash, NULL);
    ck_assert_msg(seen.vals[0] == -250,
                  "lc_parse_int_or_crash(\"-250\") "
                  "returned %lld",
                  (long long)seen.vals[0]);
    gr_expect_str(seen.log, "badarg",
                  "what lc_parse_int_or_crash(\"12x\") raised");
    assert_reason(gr_exit_of(spawned[0]), LC_A_ERROR, lc_atom_term(LC_A_BADARG),
                  NULL, "the process calling lc_parse_int_or_crash(\"12x\")");
    ck_assert_msg(!seen.reached, "lc_parse_int_or_crash(\"12x\") returned");
}
