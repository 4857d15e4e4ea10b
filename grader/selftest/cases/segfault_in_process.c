/* selftest: a wild write inside a process: the kernel turns the fault into
   that process's exit reason, so the test fails (it does not crash).
   renames: echo_call
   expect: fail
   others: pass */

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    *(volatile int *)16 = 1;
    return 0;
}
