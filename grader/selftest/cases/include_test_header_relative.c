/* selftest: includes a header the graded tests share by a path relative to
   the handed-in file, as if the kit's grader/ were beside it: the file is
   built where no such path leads, and is refused when building.
   mode: replace
   expect: build
   others: none */
#include "../../grader/sup_tests.h"
