/* selftest: prints without end: the file-size limit stops it.
   renames: echo_call
   expect: crash
   others: pass */
#include <stdio.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    for (;;) {
        fputs("all work and no play makes a dull test\n", stdout);
    }
}
