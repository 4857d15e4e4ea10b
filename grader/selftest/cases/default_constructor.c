/* selftest: a constructor of the default priority (after the harness's,
   but still code outside any test): refused; the kit's hooks need none.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

__attribute__((constructor)) static void early(void)
{
    (void)write(1, "early\n", 6);
}
