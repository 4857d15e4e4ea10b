/* selftest: starts a child process that never ends, then does the work
   right: the test must still fail, and grading must end.
   renames: echo_call
   expect: fail
   others: pass */
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    if (fork() == 0) {
        for (;;) {
            pause();
        }
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
