/* selftest: allocates and touches memory until malloc() fails, then keeps
   going as if it had not.
   renames: echo_call
   expect: crash fail timeout
   others: pass */
#include <stdlib.h>
#include <string.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    for (;;) {
        char *p = malloc(1 << 20);
        memset(p, 1, 1 << 20);
    }
}
