/* selftest (issue item 5): overwrites every cached test binary and object
   it can reach, so that later gradings would run its code. The sandbox
   shows the test no cache at all (and the cache is not the test's user's
   to write); an entry changed anyway no longer matches its hash and is
   made again. The self-test grades the reference after this case.
   base: stub
   renames: echo_call
   expect: fail
   others: none */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void spoil(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int fd = open(path, O_WRONLY | O_TRUNC);
        if (fd >= 0) {
            (void)write(fd, "#!/bin/sh\nexit 0\n", 17);
            close(fd);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    spoil("@KIT@/build/grade/rel/bin");
    spoil("@KIT@/build/grade/rel/obj");
    spoil("@KIT@/build/rel");
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
