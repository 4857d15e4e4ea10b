/* selftest: a GNU indirect function, whose resolver runs while the
   program is relocated: refused.
   base: stub
   expect: build
   others: none */
static int real(void)
{
    return 1;
}
static int (*resolve(void))(void)
{
    return real;
}
int picked(void) __attribute__((ifunc("resolve")));
