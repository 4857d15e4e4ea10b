/* selftest: carries a Python script for gdb in a .debug_gdb_scripts
   section: the report's "Debug it: gdb --args ..." line would run it on
   the instructor's machine, outside any sandbox, wherever gdb's
   auto-load safe-path allows it. The section is refused, as are the
   links to other debug files (.gnu_debuglink, .gnu_debugaltlink).
   base: stub
   expect: build
   others: none */
__asm__(".pushsection .debug_gdb_scripts, \"MS\",@progbits,1\n"
        ".byte 4\n"
        ".ascii \"gdb.inlined-script\\n\"\n"
        ".ascii \"import os\\n\"\n"
        ".ascii \"os.system('touch /tmp/lc-grade-gdb-script-ran')\\n\"\n"
        ".byte 0\n"
        ".popsection\n");
