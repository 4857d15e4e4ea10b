/* selftest: the assembler's .incbin reads any file into the object, past
   the preprocessor. In the sandbox the file is not there; without one,
   the grader's user id for the compiler still cannot read what root alone
   may. Either way: no pass.
   base: stub
   expect: build fail
   others: none */
__asm__(".section .rodata\n.incbin \"/etc/shadow\"\n.previous");
