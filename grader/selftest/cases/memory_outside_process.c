/* selftest: holds memory that belongs to no process -- SysV shared
   segments, attached, filled and detached again, and memfds kept open --
   which no limit of the test bounds and the out-of-memory killer charges
   to nobody. The test's system calls for them are refused (EPERM); the
   call answers as the reference only if one of them worked, so the case
   fails if they are allowed again. It takes 40 MiB at most.
   renames: echo_call
   expect: fail
   others: none */
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

static int hold_memory(void)
{
    int got = 0;
    int id = shmget(IPC_PRIVATE, 32 << 20, IPC_CREAT | 0600);
    if (id >= 0) {
        char *p = shmat(id, NULL, 0);
        if (p != (void *)-1) {
            memset(p, 1, 32 << 20);
            shmdt(p);
            got++;
        }
    }
    long fd = syscall(SYS_memfd_create, "atk", 0);
    if (fd >= 0) {
        static char buf[1 << 20];
        for (int i = 0; i < 8; i++) {
            got += write((int)fd, buf, sizeof buf) == (ssize_t)sizeof buf;
        }
    }
    return got;
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    if (hold_memory() == 0) {
        return LC_EINVAL;
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
