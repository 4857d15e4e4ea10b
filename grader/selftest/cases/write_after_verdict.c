/* selftest: a child that outlives the test, left to write on the grading
   channel after the verdict, and a thread that keeps writing: the channel
   is append-only, so a second line makes the verdict void, and the child
   dies with the test's namespace.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <pthread.h>
#include <unistd.h>

static void *spam(void *arg)
{
    (void)arg;
    for (;;) {
        (void)write(3, "LCG1 0 pass 1 x\tok\n", 19);
        usleep(1000);
    }
    return NULL;
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    static int once;
    if (!once++) {
        if (fork() == 0) {
            setsid();
            usleep(200000);
            (void)write(3, "LCG1 0 pass 1 x\tok\n", 19);
            _exit(0);
        }
        pthread_t t;
        pthread_create(&t, NULL, spam, NULL);
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
