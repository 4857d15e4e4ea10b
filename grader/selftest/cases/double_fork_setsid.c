/* selftest: a grandchild that leaves the process group (setsid) and whose
   parent exits at once, so that nobody waits for it; it never ends.
   renames: echo_call
   expect: fail
   others: pass */
#include <signal.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    if (fork() == 0) {
        if (fork() == 0) {
            setsid();
            signal(SIGHUP, SIG_IGN);
            for (;;) {
                pause();
            }
        }
        _exit(0);
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
