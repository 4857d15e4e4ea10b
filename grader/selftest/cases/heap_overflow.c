/* selftest: writes one byte past a heap block; the sanitizer build finds
   it.
   renames: echo_call
   san: yes
   expect: memory
   others: pass */
#include <stdlib.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    volatile char *p = malloc(8);
    p[8] = 1;
    free((void *)p);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
