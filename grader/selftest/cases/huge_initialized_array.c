/* selftest: one line, an initialized array of 200 MiB, makes an object
   of 200 MiB and a test binary of 210 MiB, which the build cache would
   keep: a class of such files fills the grader's disk. A handed-in
   file's object is limited to 16 MiB (and a test binary to 64 MiB), so
   it does not build, and says why.
   base: stub
   expect: build
   others: none */
char atk_big[200 << 20] = { 1 };
