/*
 * ktest.h - what the kernel's test suites share: one fixture, a record of
 * every exit, a text log of what processes did, and a few measurements.
 *
 * The rule of every suite: processes only record what they see (in static
 * variables, in the log); the test function asserts after lc_run() has
 * returned, on the thread's own stack. An assertion inside a process would
 * jump out of it and leave the kernel believing it still runs. Nothing here
 * reads the wall clock: the runtime's virtual clock is the default.
 *
 * Each suite file exports one function, <module>_suite(), that main.c runs.
 */
#ifndef KTEST_H
#define KTEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

/* --- The suites --------------------------------------------------------- */

Suite *proc_suite(void);
Suite *sched_suite(void);
Suite *mbox_suite(void);
Suite *timer_suite(void);
Suite *mem_suite(void);
Suite *fault_suite(void);
Suite *stack_suite(void);
Suite *term_suite(void);
Suite *err_suite(void);
Suite *info_suite(void);
Suite *determinism_suite(void);
Suite *equiv_suite(void);

/* True when Check runs each test in a child process (the default). Tests
   that must kill the program (a panic, a fault outside processes) are only
   added then: without fork they would end the whole run. */
extern bool kt_forking;

/* Timeouts are written for the plain build; sanitizer builds are slower. */
#if defined(__SANITIZE_ADDRESS__)
#define KT_SLOW 4.0
#else
#define KT_SLOW 1.0
#endif

/* A test case with the fixture below and a timeout of 'seconds' (times
   KT_SLOW). */
TCase *kt_tcase(const char *name, double seconds);

/* --- The runtime -------------------------------------------------------- */

/* lc_init(cfg) for a test; fails the test if it does not return 0. The
   fixture's teardown always ends the runtime, whatever the test did. */
void kt_init(const struct lc_config *cfg);

/* lc_init() with the chaos mode on and 'seed'. */
void kt_init_chaos(uint64_t seed);

/* --- Exits -------------------------------------------------------------- */

/* How 'pid' ended (recorded by an exit hook), or NULL if it has not. */
const struct lc_reason *kt_exit_of(lc_pid pid);

/* Exits seen since the test started. */
size_t kt_exits(void);

/* Exits seen whose reason is not `normal`. */
size_t kt_abnormal_exits(void);

/* Called from the exit hook for every exit, if set; reset by the fixture. */
extern void (*kt_on_exit)(lc_pid pid, const struct lc_reason *why);

/* The reason as OTP prints it, in a rotating static buffer. */
const char *kt_str(const struct lc_reason *r);

/* Assert that 'pid' ended with exactly the bare reason 'kind'. */
#define kt_assert_exit(pid, kind)                                            \
    do {                                                                     \
        const struct lc_reason *kt_r_ = kt_exit_of(pid);                     \
        ck_assert_msg(kt_r_ != NULL, "%s has not ended", kt_pid(pid));       \
        ck_assert_msg(lc_reason_is(kt_r_, kind), "%s ended with %s, not %s", \
                      kt_pid(pid), kt_str(kt_r_), lc_atom_name(kind));       \
    } while (0)

/* --- The log ------------------------------------------------------------ */

/* Append printf-style text to the test's log (a processes' diary). */
void kt_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The log so far ("" at the start of each test). */
const char *kt_said(void);

/* A pid as "<0.3.0>", in a rotating static buffer. */
const char *kt_pid(lc_pid pid);

/* --- Measurements ------------------------------------------------------- */

/* Resident memory of this program now, and at its peak, in KiB. */
size_t kt_rss_kib(void);
size_t kt_peak_rss_kib(void);

/* Bytes of heap in use (malloc). Exact only when kt_heap_measurable():
   not under the sanitizers, which replace malloc (LeakSanitizer then does
   this job at the end of each test), and not with malloc's thread cache on. */
size_t kt_heap_in_use(void);
bool kt_heap_measurable(void);

/* The environment variable and value that make the heap count exact. */
#define KT_TUNABLES  "GLIBC_TUNABLES"
#define KT_NO_TCACHE "glibc.malloc.tcache_count=0"

/* FNV-1a, 64 bits, continued from 'h' (start with KT_FNV_INIT). */
#define KT_FNV_INIT 0xcbf29ce484222325ull
uint64_t kt_fnv(uint64_t h, const void *data, size_t n);

/* Send this process's stderr to /dev/null: for tests that must crash and
   whose crash message is expected. Only in a forked child. */
void kt_quiet(void);

/* --- Faults ------------------------------------------------------------- */

/* Real hardware faults, made so that no compiler or sanitizer turns them into
   something else (pitfall: GCC compiles `1/z` with a constant z to a compare,
   and UBSan reports a null dereference before the CPU does). Each returns
   only if the fault did not happen. */
int kt_divide_by_zero(void);    /* SIGFPE, integer division */
int kt_read_null_page(void);    /* SIGSEGV at address 8 */
int kt_write_bad_page(void);    /* SIGSEGV in a mapped PROT_NONE page */
int kt_read_wild_pointer(void); /* SIGSEGV (#GP) at a non-canonical address */
int kt_overflow_stack(void);    /* recurse until the guard page */
int kt_big_frame(void);         /* one 256 KiB frame: must probe the guard */

#endif /* KTEST_H */
