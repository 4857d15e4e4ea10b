/* selftest (issue item 8): prints bytes that are not UTF-8, NUL, control
   characters and XML's forbidden characters; every report stays valid
   (checked in every format).
   base: stub
   renames: echo_call
   formats: all
   expect: fail
   others: none */
#include <unistd.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    static const char junk[] = "bad: \xff\xfe \xc0\xaf \xed\xa0\x80 \x01\x02 "
                               "\x1b[31m red \x00 nul ]]> </failure> &amp;\n";
    (void)write(1, junk, sizeof junk - 1);
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
