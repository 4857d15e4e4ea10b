/* selftest (issue item 2): a line marker makes what follows a "system
   header", which -MMD would not list; then the reference is included.
   The compiler's own -MD output (and, in the sandbox, the reference not
   being there at all) refuses it.
   mode: replace
   expect: build
   others: none */
# 1 "x.c" 3
#include "@KIT@/solutions/00-processes/echo.c"
