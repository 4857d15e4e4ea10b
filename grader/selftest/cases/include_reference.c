/* selftest: includes the reference solution by its path in the kit:
   refused when building.
   mode: replace
   expect: build
   others: none */
#include "@KIT@/solutions/00-processes/echo.c"
