/* selftest: replaces the test process with a shell that prints a verdict
   on fd 3. The channel is closed on exec, and nothing of the harness is
   left to write one: no verdict, no pass.
   base: stub
   renames: echo_call
   expect: early_exit fail
   others: none */
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    execl("/bin/sh", "sh", "-c",
          "printf 'LCG1 0 pass 1 x\\tok\\n' >&3; echo 100%: Checks: 1", NULL);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
