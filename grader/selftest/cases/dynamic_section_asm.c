/* selftest: adds entries to the dynamic section (DT_PREINIT_ARRAY and
   its size) from assembly, for the loader to run a function before
   main(): a section the linker and the loader read as their own tables
   is refused, whatever it holds.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

void atk_early(void);
void atk_early(void)
{
    (void)write(1, "early\n", 6);
}
void (*const atk_table[])(void);
void (*const atk_table[])(void) = { atk_early };
__asm__(".pushsection .dynamic,\"aw\"\n"
        ".quad 32\n.quad atk_table\n.quad 33\n.quad 8\n"
        ".popsection");
