/* selftest: asks for SysV shared memory through another system-call ABI
   than the test's own -- i386's int 0x80 (ipc(SHMGET) and shmget), which
   an x86-64 kernel also serves, and x32 -- where a filter of the native
   calls alone would let it through. Every call of another ABI is refused;
   the call answers as the reference only if one of them worked, so the
   case fails if they are allowed again. On other processors it asks
   nothing and fails as well.
   renames: echo_call
   expect: fail
   others: none */
#include <sys/ipc.h>
#include <unistd.h>

static int other_abi_segments(void)
{
    int got = 0;
#if defined(__x86_64__)
    long flags = IPC_CREAT | 0600, size = 1 << 20, ret;
    /* i386: ipc(SHMGET, key, size, flags), then shmget(key, size, flags) */
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(117L), "b"(23L), "c"((long)IPC_PRIVATE), "d"(size),
                       "S"(flags)
                     : "memory");
    got += ret >= 0;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(395L), "b"((long)IPC_PRIVATE), "c"(size), "d"(flags)
                     : "memory");
    got += ret >= 0;
    /* x32: the native number with bit 30 set (shmget is 29) */
    got += syscall(0x40000000L | 29, (long)IPC_PRIVATE, size, flags) >= 0;
#endif
    return got;
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    if (other_abi_segments() == 0) {
        return LC_EINVAL;
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
