/* selftest: abort() inside a process (SIGABRT is not a fault the kernel
   catches): the test process crashes.
   renames: echo_call
   expect: crash
   others: pass */
#include <stdlib.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    abort();
}
