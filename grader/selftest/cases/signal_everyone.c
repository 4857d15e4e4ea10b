/* selftest (issue item 7): stops, then kills, every process it can see
   and signal -- the watchdog, the grader, other tests. The grader and its
   watchdogs are outside the test's PID namespace; the namespace's first
   process ignores what the test sends it.
   base: stub
   renames: echo_call
   expect: fail crash early_exit
   others: none */
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        pid_t p = (pid_t)atoi(e->d_name);
        if (isdigit((unsigned char)e->d_name[0]) && p != getpid()) {
            kill(p, SIGSTOP);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    kill(getppid(), SIGSTOP);
    kill(-1, SIGSTOP);
    kill(-1, SIGKILL);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
