/* selftest (issue item 3): a .ctors.x section: refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

static void early(void)
{
    (void)write(1, "early\n", 6);
}
__attribute__((section(".ctors.x"), used)) static void (*p)(void) = early;
