/* selftest (issue item 2): '#pragma GCC system_header' in a file that
   includes itself, then the reference: refused.
   mode: replace
   expect: build
   others: none */
#ifndef AGAIN
#define AGAIN
#include "echo.c"
#else
#pragma GCC system_header
#include "@KIT@/solutions/00-processes/echo.c"
#endif
