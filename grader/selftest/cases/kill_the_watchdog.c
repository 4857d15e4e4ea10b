/* selftest: kills its parent (the sandbox's first process, or the
   grader's watchdog without a sandbox) and every process it can signal,
   then returns what the stub returns: no pass can come of it.
   base: stub
   renames: echo_call
   expect: fail early_exit
   others: none */
#include <signal.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    kill(getppid(), SIGKILL);
    kill(getppid(), SIGSTOP);
    kill(1, SIGKILL);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
