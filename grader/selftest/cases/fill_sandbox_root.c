/* selftest: writes files into every folder of its sandbox it can find
   -- the root, /dev, /dev/shm, /grade -- 16 MiB each (the file-size
   limit) until it has 640 MiB in each: bubblewrap's root and /dev are
   in memory with no size, so they are read-only; only /tmp and the
   scratch folder are writable, and they have a size. The call answers
   as the reference only if something could be written there: so the
   case fails when the sandbox's root is writable again.
   renames: echo_call
   expect: fail
   others: none */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static long fill(const char *dir)
{
    static char buf[1 << 20];
    long total = 0;
    for (int i = 0; i < 40; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/fill%d", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) {
            break;
        }
        for (int k = 0; k < 16; k++) {
            ssize_t w = write(fd, buf, sizeof buf);
            if (w <= 0) {
                break;
            }
            total += w;
        }
        close(fd);
    }
    return total;
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    static const char *const dirs[] = { "/", "/dev", "/dev/shm", "/grade",
                                        NULL };
    signal(SIGXFSZ, SIG_IGN);
    long total = 0;
    for (int i = 0; dirs[i]; i++) {
        total += fill(dirs[i]);
    }
    printf("wrote %ld MiB outside /tmp and the scratch folder\n",
           total >> 20);
    if (total == 0) {
        return LC_EINVAL;
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
