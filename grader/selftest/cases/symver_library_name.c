/* selftest: defines write() under a version of the C library's with
   .symver, so that the object's symbol is "write@@GLIBC_2.2.5", not
   "write": a versioned name is checked as the name before its '@'.
   base: stub
   expect: build
   others: none */
#include <sys/syscall.h>
#include <unistd.h>

long atk_write(int fd, const void *buf, unsigned long n);
long atk_write(int fd, const void *buf, unsigned long n)
{
    return syscall(SYS_write, fd, buf, n);
}
__asm__(".symver atk_write, write@@GLIBC_2.2.5");
