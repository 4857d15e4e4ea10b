/* selftest: attaches to its parent and to the namespace's first process
   with ptrace, to change what they report: refused by the kernel.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <sys/ptrace.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    ptrace(PTRACE_ATTACH, getppid(), 0, 0);
    ptrace(PTRACE_SEIZE, 1, 0, 0);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
