/* selftest: a constructor that runs before the harness, reads the grading
   token from the environment and writes a passing verdict: refused when
   building.
   expect: build
   others: none */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor(101))) static void forge(void)
{
    const char *tok = getenv("LC_GRADE_TOKEN");
    if (tok != NULL) {
        dprintf(3, "LCG1 %s pass 1 x\tPassed\n", tok);
        _exit(0);
    }
}
