/* selftest: a test may start a few hundred processes of 2 GiB each, more
   than a machine has: the limits bound each process, not their sum. So
   that the out-of-memory killer then ends handed-in code, never the
   grader or another user's process, a test starts with the highest
   oom_score_adj (1000; a grader with CAP_SYS_RESOURCE also makes it the
   least the test may set). The call answers as the reference only if it
   starts with less.
   renames: echo_call
   expect: fail
   others: none */
#include <stdio.h>
#include <stdlib.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    int adj = -1;
    FILE *f = fopen("/proc/self/oom_score_adj", "r");
    if (f != NULL) {
        if (fscanf(f, "%d", &adj) != 1) {
            adj = -1;
        }
        fclose(f);
    }
    if (adj == 1000) {
        return LC_EINVAL;
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
