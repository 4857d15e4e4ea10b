/* selftest: a constructor only in the sanitizer build (where the
   sanitizer's own constructor is allowed): the same file's shadow, with
   the same preprocessor view, has it, and is refused.
   base: stub
   san: yes
   expect: build
   others: none */
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
__attribute__((constructor(99))) static void early(void)
{
    (void)write(1, "early\n", 6);
}
#endif
