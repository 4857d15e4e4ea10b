/* selftest (issue item 3): a definition of __gmon_start__, which the C
   start-up code calls before main(): refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

void __gmon_start__(void);
void __gmon_start__(void)
{
    (void)write(1, "early\n", 6);
}
