/* selftest (issue item 3): .init_array.-5: refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

static void early(void)
{
    (void)write(1, "early\n", 6);
}
__attribute__((section(".init_array.-5"), used)) static void (*p)(void) = early;
