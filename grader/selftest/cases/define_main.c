/* selftest: a main() of its own, to replace the harness's: refused.
   mode: replace
   expect: build
   others: none */
#include <unistd.h>

int main(void)
{
    (void)write(3, "LCG1 x pass 1 x\tok\n", 20);
    return 0;
}
