/*
 * harness.c - the main() of every chapter's test binary.
 *
 * Run by hand, it is an ordinary Check runner: every test in its own
 * process, so that a crash fails one test and not the run, with a guard that
 * turns an exit() in the code under test into a failure (Check alone counts
 * exit(0) as a pass).
 *
 * Run by the grader with --run NAME, it runs that one test in this process
 * and reports the verdict on a private channel: a file descriptor and a
 * secret token that the grader passes in the environment. The harness reads
 * both before any student code runs (a constructor of the highest priority
 * a program may use; the grader refuses handed-in code with earlier
 * constructors) and wipes them from the environment, and the report is
 * written only after the test function has returned, with a raw system
 * call that no redefined write() can intercept. So a test that exits early,
 * crashes, hangs or prints "100%: Checks: 1" has no verdict at all, and the
 * grader, which never reads the test's output, decides from how the process
 * ended.
 *
 * Run by hand with --run NAME (in a debugger, say), it prints the verdict.
 */
#include "harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lc/kernel/testing.h"

#define MAX_TESTS 256

static const TTest *tests[MAX_TESTS];
static int ntests;

void gr__register(const TTest *t)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "harness: more than %d tests\n", MAX_TESTS);
        abort();
    }
    tests[ntests++] = t;
}

/* --- Helpers for tests ---------------------------------------------------- */

static lc_pid main_pid;
static struct lc_reason main_reason;

static void on_exit_hook(lc_pid pid, const struct lc_reason *why)
{
    if (pid == main_pid) {
        main_reason = *why;
    }
}

struct lc_reason gr_run(lc_proc_fn *fn, void *arg)
{
    lc_exit_hook_add(on_exit_hook);
    int err = lc_init(NULL);
    if (err < 0 && err != LC_EBUSY) {
        ck_abort_msg("lc_init failed: %s", lc_strerror(err));
    }
    main_reason = lc_reason(LC_A_NONE);
    main_pid = lc_spawn(fn, arg);
    ck_assert_msg(main_pid != LC_NOPID, "lc_spawn failed");
    lc_run();
    return main_reason;
}

#define MAX_ENDS 1024

static struct {
    lc_pid pid;
    struct lc_reason why;
} ends[MAX_ENDS];
static int nends;

static void record_end(lc_pid pid, const struct lc_reason *why)
{
    if (nends < MAX_ENDS) {
        ends[nends].pid = pid;
        ends[nends].why = *why;
        nends++;
    }
}

void gr_record_exits(void)
{
    nends = 0;
    lc_exit_hook_add(record_end);
}

const struct lc_reason *gr_exit_of(lc_pid pid)
{
    for (int i = 0; i < nends; i++) {
        if (ends[i].pid == pid) {
            return &ends[i].why;
        }
    }
    return NULL;
}

const struct lc_reason *gr_end(lc_pid pid)
{
    static const struct lc_reason not_ended;
    const struct lc_reason *r = gr_exit_of(pid);
    return r != NULL ? r : &not_ended;
}

const char *gr_reason_str(const struct lc_reason *r)
{
    static char buf[4][192];
    static int i;
    i = (i + 1) % 4;
    lc_reason_format(buf[i], sizeof buf[i], r);
    return buf[i];
}

bool gr_reason_is(const struct lc_reason *r, lc_atom kind)
{
    return lc_reason_is(r, kind);
}

/* End whatever runtime a test left behind, even one it left in the middle
   of a process (a failed assertion jumps out of it). */
static void cleanup_runtime(void)
{
    lc_test_recover();
    lc_fini();
}

/* --- Check's fork mode, for students -------------------------------------- */

static volatile int test_finished;

static void early_exit_guard(void)
{
    if (!test_finished) {
        fputs("harness: the code under test called exit() before the test "
              "finished\n",
              stderr);
        _exit(99);
    }
}

static void guard_setup(void)
{
    test_finished = 0;
    atexit(early_exit_guard);
}

static void guard_teardown(void)
{
    cleanup_runtime();
    test_finished = 1;
}

static int run_all(const char *suite_name)
{
    Suite *s = suite_create(suite_name);
    for (int i = 0; i < ntests; i++) {
        TCase *tc = tcase_create(tests[i]->name);
        tcase_add_checked_fixture(tc, guard_setup, guard_teardown);
        tcase_set_timeout(tc, 10);
        tcase_add_test(tc, tests[i]);
        suite_add_tcase(s, tc);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    return failed == 0 && run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* --- One test, for the grader --------------------------------------------- */

static int grade_fd = -1;
static char grade_token[80];

/* Runs before any other constructor, student code included. */
__attribute__((constructor(101))) static void take_grade_channel(void)
{
    char *fd = getenv("LC_GRADE_FD");
    char *tok = getenv("LC_GRADE_TOKEN");
    if (fd == NULL || tok == NULL || strlen(tok) >= sizeof grade_token) {
        return;
    }
    grade_fd = atoi(fd);
    strcpy(grade_token, tok);
    /* Not for programs the code under test might start. */
    fcntl(grade_fd, F_SETFD, FD_CLOEXEC);
    memset(tok, 'x', strlen(tok)); /* also hides it in /proc/self/environ */
    memset(fd, 'x', strlen(fd));
    unsetenv("LC_GRADE_TOKEN");
    unsetenv("LC_GRADE_FD");
}

/* write(2) straight to the kernel: the verdict must not pass through a
   function the code under test could have replaced. */
static long raw_write(int fd, const void *buf, size_t n)
{
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"((long)SYS_write), "D"((long)fd), "S"(buf), "d"(n)
                     : "rcx", "r11", "memory");
    return ret;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = SYS_write;
    register long x0 __asm__("x0") = fd;
    register long x1 __asm__("x1") = (long)buf;
    register long x2 __asm__("x2") = (long)n;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
#else
    return syscall(SYS_write, fd, buf, n);
#endif
}

static bool write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        long w = raw_write(fd, buf, n);
        if (w <= 0) {
            return false;
        }
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* "LCG1 <token> <pass|fail> <line> <file>\t<message>\n", the message on one
   line. */
static void report(const char *status, const char *file, int line,
                   const char *msg)
{
    char buf[4096];
    int n = snprintf(buf, sizeof buf, "LCG1 %s %s %d %s\t", grade_token, status,
                     line, file ? file : "?");
    size_t len = n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0;
    for (const char *m = msg ? msg : ""; *m && len < sizeof buf - 2; m++) {
        buf[len++] = (*m == '\n' || *m == '\t') ? ' ' : *m;
    }
    buf[len++] = '\n';
    if (!write_all(grade_fd, buf, len)) {
        /* Say why there is no verdict; the grader counts it as a failure. */
        fputs("harness: the grading channel (fd 3) was closed or replaced "
              "by the code under test\n",
              stderr);
        _exit(3);
    }
}

static int run_one(const char *name)
{
    const TTest *t = NULL;
    for (int i = 0; i < ntests && t == NULL; i++) {
        if (strcmp(tests[i]->name, name) == 0) {
            t = tests[i];
        }
    }
    if (t == NULL) {
        fprintf(stderr, "harness: no test named '%s'\n", name);
        return 2;
    }
    Suite *s = suite_create("grade");
    TCase *tc = tcase_create(name);
    tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_SILENT);
    TestResult **res = srunner_results(sr);
    if (srunner_ntests_run(sr) == 1 && grade_fd >= 0) {
        TestResult *r = res[0];
        report(tr_rtype(r) == CK_PASS ? "pass" : "fail", tr_lfile(r), tr_lno(r),
               tr_msg(r));
    } else if (srunner_ntests_run(sr) == 1) {
        TestResult *r = res[0];
        printf("%s: %s:%d: %s\n", tr_rtype(r) == CK_PASS ? "PASS" : "FAIL",
               tr_lfile(r), tr_lno(r), tr_msg(r));
    }
    free(res);
    srunner_free(sr);
    cleanup_runtime();
    return 0;
}

/* --- main ----------------------------------------------------------------- */

static int by_line(const void *a, const void *b)
{
    const TTest *x = *(const TTest *const *)a;
    const TTest *y = *(const TTest *const *)b;
    int c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

static const char *suite_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    return slash ? slash + 1 : argv0;
}

int main(int argc, char **argv)
{
    qsort(tests, (size_t)ntests, sizeof tests[0], by_line);
    if (argc == 1) {
        return run_all(suite_name(argv[0]));
    }
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < ntests; i++) {
            printf("%s\n", tests[i]->name);
        }
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--run") == 0) {
        return run_one(argv[2]);
    }
    fprintf(stderr, "usage: %s [--list | --run TEST]\n", argv[0]);
    return 2;
}
