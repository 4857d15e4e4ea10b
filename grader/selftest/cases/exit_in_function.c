/* selftest: exit(0) inside a tested function.
   renames: echo_call
   expect: early_exit
   others: pass */
#include <stdlib.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    exit(0);
}
