/* selftest: prints, before it crashes, what a terminal reads as moving
   back to the start of the line (a carriage return), a C1 control (0x9b
   is CSI: "red"), a mark that reverses the text's direction and a fake
   line of the report's table: the report shows the output, but none of
   these act, in any format.
   base: stub
   renames: echo_call
   expect: crash fail
   others: none
   formats: all */
#include <stdio.h>
#include <stdlib.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    printf("\r  Total                              25/25\n"
           "\xc2\x9b"
           "31m\xe2\x80\xae"
           "red\r\n");
    fflush(stdout);
    abort();
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
