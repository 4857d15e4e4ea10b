/* selftest: a loop of .section directives makes 66,000 sections, more
   than an ELF header can count (e_shnum is then 0 and the count is in
   the first section header), with an .init_array among them: every
   section is checked all the same, and the constructor is refused.
   base: stub
   expect: build
   others: none */
#include <unistd.h>

void atk_early(void);
void atk_early(void)
{
    (void)write(1, "early\n", 6);
}
__asm__(".altmacro\n"
        ".macro atk_sec n\n"
        ".section .data.atk\\n,\"aw\"\n"
        ".byte 1\n"
        ".endm\n"
        ".set atk_i, 0\n"
        ".rept 66000\n"
        "atk_sec %atk_i\n"
        ".set atk_i, atk_i + 1\n"
        ".endr\n"
        ".section .init_array,\"aw\"\n"
        ".quad atk_early\n"
        ".previous\n");
