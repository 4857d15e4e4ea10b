/* selftest (issue item 3): a constructor in a section named so that a
   parser of priorities misreads it (.init_array..50): refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

static void early(void)
{
    (void)write(1, "early\n", 6);
}
__attribute__((section(".init_array..50"),
               used)) static void (*p)(void) = early;
