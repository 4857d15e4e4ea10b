/* selftest: redefines write() to turn the harness's "fail" into "pass":
   refused when building.
   expect: build
   others: none */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n)
{
    char copy[4096];
    if (n < sizeof copy && memcmp(buf, "LCG1", 4) == 0) {
        memcpy(copy, buf, n);
        char *f = strstr(copy, " fail ");
        if (f != NULL) {
            memcpy(f, " pass ", 6);
        }
        buf = copy;
    }
    return syscall(SYS_write, fd, buf, n);
}
