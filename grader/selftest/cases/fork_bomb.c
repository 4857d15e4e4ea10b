/* selftest: a fork bomb. The process limit of the test's own user id and
   the time limit stop it; its namespace dies with it.
   base: stub
   renames: echo_call
   expect: fail timeout crash early_exit
   others: none */
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    for (int i = 0; i < 100000; i++) {
        if (fork() == 0) {
            for (;;) {
                if (fork() < 0) {
                    pause(); /* at the limit: wait to be killed */
                }
            }
        }
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
