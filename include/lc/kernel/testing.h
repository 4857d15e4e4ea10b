/*
 * testing.h - what the kit's test harness needs from the kernel, and
 * nothing a program should call.
 */
#ifndef LC_TESTING_H
#define LC_TESTING_H

/*
 * A failed assertion inside a process jumps straight out of that process
 * back to the test runner, on the thread's own stack. Afterwards the kernel
 * still believes the process is running. Call this, outside any process, to
 * make it forget, so that lc_fini() can end everything and free it.
 */
void lc_test_recover(void);

/*
 * Call fn(chapter, func) every time a stub of an exercise runs (LC_TODO),
 * in the process that ran it, so that a failing test can name the
 * functions it reached that are not written yet. NULL stops it.
 */
typedef void lc_todo_hook(const char *chapter, const char *func);
void lc_test_todo_hook_set(lc_todo_hook *fn);

#endif /* LC_TESTING_H */
