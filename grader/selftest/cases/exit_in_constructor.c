/* selftest: _exit(0) in a constructor, before any test starts.
   expect: early_exit
   others: none */
#include <unistd.h>

__attribute__((constructor)) static void leave_early(void)
{
    _exit(0);
}
