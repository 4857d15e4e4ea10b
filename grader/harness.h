/*
 * harness.h - how a graded test is written.
 *
 *     #include "harness.h"
 *
 *     GR_TEST(echo_replies_to_sender)
 *     {
 *         ... ck_assert_int_eq(got, want); ...
 *     }
 *
 * Each GR_TEST is one graded item: its points, title and hint are in the
 * chapter's rubric (grader/rubric/NN-slug.rubric), under the same name. The
 * assertions are Check's (ck_assert_int_eq, ck_assert_str_eq, ...): on
 * failure they report the expected and the actual value with file and line.
 *
 * Write tests so that they cannot pass by accident: an exercise that is not
 * written yet must fail every test. Assert in the test function itself, on
 * the thread's own stack -- run the system with lc_run(), record what the
 * processes saw in static variables, then check them -- and never depend on
 * the wall clock: the runtime's virtual clock is the default.
 *
 * The same binary runs three ways:
 *
 *     ./chNN_test               every test, each in its own process (Check's
 *                               fork mode); CK_RUN_CASE=name runs one
 *     ./chNN_test --list        the test names, in file order
 *     ./chNN_test --run NAME    one test, in this process: for the grader
 *                               (grader/grade), or by hand in a debugger
 */
#ifndef GR_HARNESS_H
#define GR_HARNESS_H

#include <check.h>

#include "lc/lc.h"

void gr__register(const TTest *t);

#define GR_TEST(name)                                               \
    static void name##_fn(int _i CK_ATTRIBUTE_UNUSED);              \
    static const TTest name##_ttest = { #name, name##_fn, __FILE__, \
                                        __LINE__ };                 \
    __attribute__((constructor)) static void name##_register(void)  \
    {                                                               \
        gr__register(&name##_ttest);                                \
    }                                                               \
    static void name##_fn(int _i CK_ATTRIBUTE_UNUSED)

/*
 * Start a runtime with the virtual clock, run fn(arg) as a process and
 * every process it starts until nothing is left to do, and return how that
 * first process ended (its exit reason). The runtime stays up, so the test
 * can look at what is left; the harness ends it after the test.
 */
struct lc_reason gr_run(lc_proc_fn *fn, void *arg);

/*
 * Record how every process ends from now on: gr_exit_of(pid) then tells how
 * 'pid' ended, or NULL if it has not ended (yet). Call it at the start of a
 * test; it forgets what an earlier test recorded.
 */
void gr_record_exits(void);
const struct lc_reason *gr_exit_of(lc_pid pid);

/* As gr_exit_of(), but never NULL: a process that has not ended gets a
 * reason of kind LC_A_NONE, which no exit has (assertions print it). */
const struct lc_reason *gr_end(lc_pid pid);

/* Print an exit reason into a static buffer (for assertion messages). */
const char *gr_reason_str(const struct lc_reason *r);

/* True if 'r' is exactly the bare reason 'kind' (normal, killed, ...). */
bool gr_reason_is(const struct lc_reason *r, lc_atom kind);

#endif /* GR_HARNESS_H */
