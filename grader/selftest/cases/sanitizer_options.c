/* selftest: __asan_default_options() is called by the sanitizer's
   start-up, before any constructor: a reserved name, refused.
   base: stub
   expect: build
   others: none */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "exitcode=0:detect_leaks=0";
}
