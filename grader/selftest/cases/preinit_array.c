/* selftest (issue item 3): .preinit_array, which runs before any
   constructor does; refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

static void early(void)
{
    (void)write(1, "early\n", 6);
}
__attribute__((section(".preinit_array"), used)) static void (*p)(void) = early;
