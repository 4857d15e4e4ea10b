/*
 * main.c - runs every kernel suite (tests/kernel/check_*.c).
 *
 *     build/rel/tests/kernel_tests                 all suites
 *     CK_RUN_SUITE=mbox build/rel/tests/kernel_tests    one suite
 *     CK_RUN_CASE=timeouts ...                          one test case
 *     CK_VERBOSITY=verbose ...                          every result
 *     CK_FORK=no ...                                    all in one process
 *     CK_EXCLUDE_TAGS=slow ...              all but the million processes
 *
 * The exit status is nonzero if a test failed, and also if no test ran at
 * all: a misspelt CK_RUN_SUITE selects nothing, which Check alone reports
 * as "100%".
 *
 * LC_SEED turns on the chaos mode in every lc_init(). The kernel tests pin
 * the FIFO order on purpose, and the ones about chaos pick their own seeds,
 * so main() removes it from the environment and says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktest.h"

/*
 * The memory tests compare malloc's count of bytes in use before and after a
 * runtime. malloc's per-thread cache keeps freed blocks counted as in use, so
 * main() turns it off -- but GLIBC_TUNABLES is read only when a program
 * starts, so it sets the variable and starts itself again, once. If that
 * fails, the tests run anyway and skip the exact heap counts.
 */
static void restart_without_malloc_cache(char **argv)
{
#if !defined(__SANITIZE_ADDRESS__)
    const char *old = getenv(KT_TUNABLES);
    const char *preload = getenv("LD_PRELOAD");
    if ((old != NULL && strstr(old, KT_NO_TCACHE) != NULL) ||
        (preload != NULL && strstr(preload, "vgpreload") != NULL)) {
        return; /* done, or under valgrind, which would not follow */
    }
    char *saved = old ? strdup(old) : NULL;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s%s", old ? old : "", old ? ":" : "",
             KT_NO_TCACHE);
    setenv(KT_TUNABLES, buf, 1);
    execv("/proc/self/exe", argv);
    if (saved != NULL) {
        setenv(KT_TUNABLES, saved, 1);
    } else {
        unsetenv(KT_TUNABLES);
    }
    free(saved);
#else
    (void)argv;
#endif
}

int main(int argc, char **argv)
{
    (void)argc;
    restart_without_malloc_cache(argv);
    if (getenv("LC_SEED") != NULL) {
        fprintf(stderr, "kernel_tests: ignoring LC_SEED (these tests choose "
                        "their own seeds)\n");
        unsetenv("LC_SEED");
    }
    SRunner *sr = srunner_create(NULL);
    kt_forking = srunner_fork_status(sr) == CK_FORK;
    Suite *(*const suites[])(void) = {
        term_suite,  err_suite,   proc_suite,        sched_suite,
        mbox_suite,  timer_suite, mem_suite,         fault_suite,
        stack_suite, info_suite,  determinism_suite, equiv_suite,
    };
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        srunner_add_suite(sr, suites[i]());
    }
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "kernel_tests: no test ran (check CK_RUN_SUITE and "
                        "CK_RUN_CASE)\n");
    }
    return failed == 0 && run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
