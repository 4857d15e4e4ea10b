/* selftest: includes a header the graded tests share by its bare name, as
   the tests do: only the tests' build searches grader/, so a handed-in
   file that asks for it is refused when building.
   mode: replace
   expect: build
   others: none */
#include "scratch.h"
