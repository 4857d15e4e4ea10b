/* selftest: leaks memory in every call; the sanitizer build finds it.
   renames: echo_call
   san: yes
   expect: memory
   others: pass */
#include <stdlib.h>
#include <string.h>

static void *keep;

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    keep = malloc(100);
    memset(keep, 0, 100);
    keep = NULL;
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
