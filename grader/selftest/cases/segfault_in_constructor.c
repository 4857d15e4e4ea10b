/* selftest: a fault in a constructor, before the tests start: refused
   when building.
   expect: build
   others: none */

__attribute__((constructor)) static void fault_early(void)
{
    *(volatile int *)16 = 1;
}
