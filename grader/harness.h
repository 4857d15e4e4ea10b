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
#include <string.h>

#include "lc/lc.h"

void gr__register(const TTest *t);

/* A definition in a header that graded tests share (event_log.h, scratch.h,
   sup_tests.h, todo_tests.h): static like the test's own, and no warning
   in a test that does not use it. */
#define GR_SHARED static __attribute__((unused))

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
/* (gr_run() is also a macro that passes the test's file and line, which a
   failure or a time-out names.) */
struct lc_reason gr__run_at(lc_proc_fn *fn, void *arg, const char *file,
                            int line);
#define gr_run(fn, arg) gr__run_at((fn), (arg), __FILE__, __LINE__)

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

/* --- Assertions in the kit's words --------------------------------------
 *
 * Each says what was checked, with the input used, and "expected ... got
 * ...": error codes by name (LC_ENOSYS, not -38), reasons as OTP prints
 * them. 'what' names the value and its input, e.g.
 *
 *     gr_expect_err(lc_link(p), 0, gr_fmt("lc_link(%s)", gr_pid_str(p)));
 *
 * They are macros so that the failure points at the test's own line.
 */

/* printf into one of a few static buffers (for 'what'). */
const char *gr_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A pid as "<0.4.0>", in one of a few static buffers. */
const char *gr_pid_str(lc_pid pid);
/* "0", "LC_ENOSYS", "LC_ENOPROC" ...: an int that is an error code or 0,
   by name (a positive value as a number). Static buffer. */
const char *gr_err_str(int err);
/* " (LC_ENOSYS ...)" for a negative value that is an error code, else "". */
const char *gr_int_note(long long v);

/* A negative number that is an error code is also shown by name: a count
   that came back as -38 reads "got -38 (LC_ENOSYS ...)". */
#define gr_expect_int(got, want, what)                                         \
    do {                                                                       \
        long long gr_g_ = (long long)(got), gr_w_ = (long long)(want);         \
        ck_assert_msg(gr_g_ == gr_w_, "%s: expected %lld, got %lld%s", (what), \
                      gr_w_, gr_g_, gr_int_note(gr_g_));                       \
    } while (0)

#define gr_expect_err(got, want, what)                                     \
    do {                                                                   \
        int gr_g_ = (int)(got), gr_w_ = (int)(want);                       \
        ck_assert_msg(gr_g_ == gr_w_, "%s: expected %s, got %s%s", (what), \
                      gr_err_str(gr_w_), gr_err_str(gr_g_),                \
                      gr_g_ == LC_ENOSYS ? " (the stub's value)" : "");    \
    } while (0)

#define gr_expect_str(got, want, what)                                  \
    do {                                                                \
        const char *gr_g_ = (got), *gr_w_ = (want);                     \
        ck_assert_msg(gr_g_ != NULL && strcmp(gr_g_, gr_w_) == 0,       \
                      "%s: expected \"%s\", got %s%s%s", (what), gr_w_, \
                      gr_g_ ? "\"" : "", gr_g_ ? gr_g_ : "NULL",        \
                      gr_g_ ? "\"" : "");                               \
    } while (0)

/* 'got' is a const struct lc_reason * (NULL: the process has not ended). */
#define gr_expect_reason(got, want, what)                                     \
    do {                                                                      \
        const struct lc_reason *gr_g_ = (got);                                \
        struct lc_reason gr_w_ = (want);                                      \
        ck_assert_msg(gr_g_ != NULL && lc_reason_eq(gr_g_, &gr_w_),           \
                      "%s: expected the reason %s, got %s", (what),           \
                      gr_reason_str(&gr_w_),                                  \
                      gr_g_ ? gr_reason_str(gr_g_) : "no end (still alive)"); \
    } while (0)

#define gr_expect_pid(got, want, what)                                   \
    do {                                                                 \
        lc_pid gr_g_ = (got), gr_w_ = (want);                            \
        ck_assert_msg(gr_g_ == gr_w_, "%s: expected %s, got %s", (what), \
                      gr_pid_str(gr_w_), gr_pid_str(gr_g_));             \
    } while (0)

/* For the verdict: append what the harness knows of why a test failed (a
   crash and its line, stubs reached, processes left waiting, where a stuck
   test was) to the message in buf. Returns buf. */
const char *gr__why(char *buf, size_t n);

#endif /* GR_HARNESS_H */
