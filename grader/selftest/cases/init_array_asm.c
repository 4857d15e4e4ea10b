/* selftest (issue item 3, a variant): a constructor put into .init_array
   by assembly at file scope, where no C attribute shows it: refused, since
   the grader reads the sections of the compiled object, not the source.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

void atk_early(void);
void atk_early(void)
{
    (void)write(1, "early\n", 6);
}
__asm__(".section .init_array,\"aw\"\n"
        ".quad atk_early\n"
        ".previous");
