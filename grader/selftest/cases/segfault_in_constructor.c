/* selftest: a fault outside any process, before the tests start.
   expect: crash
   others: none */

__attribute__((constructor)) static void fault_early(void)
{
    *(volatile int *)16 = 1;
}
