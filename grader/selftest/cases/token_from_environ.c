/* selftest: looks for the grading token where the harness found it (the
   environment, /proc/self/environ) and forges a pass with it: the harness
   wiped both before any handed-in code ran.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    char env[16384] = "";
    int fd = open("/proc/self/environ", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, env, sizeof env - 1);
        env[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    const char *tok = getenv("LC_GRADE_TOKEN");
    char line[256];
    int n = snprintf(line, sizeof line, "LCG1 %s pass 1 x\tok\n",
                     tok ? tok : "unknown");
    (void)write(3, line, (size_t)n);
    _exit(0);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
