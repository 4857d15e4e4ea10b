/* selftest (issue item 6): looks through /proc for other tests, reads
   their environment for a grading token and writes failing verdicts on
   every grading channel it can open. In its own PID namespace it sees no
   other test; without one, other tests run as other user ids.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

static void spoil_others(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]) ||
            atoi(e->d_name) == getpid()) {
            continue;
        }
        char path[300], env[8192];
        snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd >= 0) {
            (void)read(fd, env, sizeof env);
            close(fd);
        }
        for (int k = 3; k < 8; k++) {
            snprintf(path, sizeof path, "/proc/%s/fd/%d", e->d_name, k);
            fd = open(path, O_WRONLY | O_APPEND);
            if (fd >= 0) {
                (void)write(fd, "LCG1 0 fail 1 x\tspoiled\n", 24);
                close(fd);
            }
        }
    }
    if (d != NULL) {
        closedir(d);
    }
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    spoil_others();
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
