/* selftest (issue item 1): after the verdict, an atexit() handler reads the
   verdict back from the grading channel and rewrites "fail" as "pass". The
   channel is a pipe (nothing to read back or rewrite) and the harness ends
   the process with the verdict: the handler never runs.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void rewrite(void)
{
    char buf[4096];
    ssize_t n = pread(3, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return;
    }
    buf[n] = '\0';
    char *f = strstr(buf, " fail ");
    if (f != NULL) {
        memcpy(f, " pass ", 6);
    }
    (void)ftruncate(3, 0);
    (void)pwrite(3, buf, (size_t)n, 0);
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    static int once;
    if (!once++) {
        atexit(rewrite);
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
