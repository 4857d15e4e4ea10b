/* selftest: prints Check's summary of a perfect run, then leaves.
   renames: echo_call
   expect: early_exit
   others: pass */
#include <stdio.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    printf("Running suite(s): 00-processes_test\n");
    printf("100%%: Checks: 13, Failures: 0, Errors: 0\n");
    fprintf(stderr, "100%%: Checks: 13, Failures: 0, Errors: 0\n");
    fflush(NULL);
    _exit(0);
}
