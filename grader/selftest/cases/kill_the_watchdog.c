/* selftest: kills its parent, the grader's watchdog, then passes.
   renames: echo_call
   expect: fail
   others: pass */
#include <signal.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    kill(getppid(), SIGKILL);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
