/* selftest: a call that never returns.
   renames: echo_call
   expect: timeout
   others: pass */

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    for (volatile int spin = 0;; spin++) {
    }
}
