/* selftest: writes a verdict line of the grading protocol, with a guessed
   token, on every file descriptor, then leaves.
   renames: echo_call
   expect: fail
   others: pass */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    const char *fake = "LCG1 00000000000000000000000000000000 pass 1 "
                       "grader/tests/00-processes.c\tPassed\n";
    for (int fd = 0; fd < 256; fd++) {
        if (write(fd, fake, strlen(fake)) < 0) {
            continue;
        }
    }
    _exit(0);
}
