/* selftest (issue item 1): a destructor that would rewrite the verdict
   after the harness wrote it: refused when building (no destructor in
   handed-in code).
   base: stub
   expect: build
   others: none */
#include <string.h>
#include <unistd.h>

__attribute__((destructor)) static void rewrite(void)
{
    char buf[4096];
    ssize_t n = pread(3, buf, sizeof buf, 0);
    if (n > 0) {
        char *f = memmem(buf, (size_t)n, " fail ", 6);
        if (f != NULL) {
            memcpy(f, " pass ", 6);
            (void)pwrite(3, buf, (size_t)n, 0);
        }
    }
}
