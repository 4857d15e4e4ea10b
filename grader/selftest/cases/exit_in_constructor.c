/* selftest: _exit(0) in a constructor, before any test starts: refused
   when building (no constructor in handed-in code).
   expect: build
   others: none */
#include <unistd.h>

__attribute__((constructor)) static void leave_early(void)
{
    _exit(0);
}
