/* selftest (issue item 2): includes a file of the machine, whose lines
   would appear in the build error: refused, and no line of it is shown.
   base: stub
   forbid: root:x:0:0
   expect: build
   others: none */
#include "/etc/passwd"
