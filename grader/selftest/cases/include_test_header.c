/* selftest: includes a header the graded tests share (grader/scratch.h
   and the others are found through -Igrader, which only the tests get),
   by its path in the kit: refused when building.
   mode: replace
   expect: build
   others: none */
#include "@KIT@/grader/scratch.h"
