/*
 * kinds.c - chapter 1: the three kinds of runtime error, each caught with
 * its value. One helper runs a function inside LC_TRY and reports what, if
 * anything, came out of it: the program form of trying things in a shell.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

static const char *kind_name(enum lc_class c)
{
    return c == LC_CLASS_ERROR  ? "error"
           : c == LC_CLASS_EXIT ? "exit"
                                : "throw";
}

/* region: try_it */
/* Run fn() and print how it went: no error, or the kind and the value. */
static void try_it(const char *what, void (*fn)(void))
{
    char text[128];
    printf("%-26s", what);
    LC_TRY
    {
        fn();
        printf("no error\n");
    }
    LC_CATCH_ANY(e)
    {
        if (e->class == LC_CLASS_EXIT) {
            lc_reason_format(text, sizeof text, &e->reason);
        } else {
            lc_term_format(text, sizeof text, e->value);
        }
        printf("%-6s %s\n", kind_name(e->class), text);
    }
    LC_END_TRY;
}
/* endregion */

/* region: raisers */
static void raise_error(void)
{
    lc_error(lc_atom_term(lc_atom_intern("something_went_wrong")));
}

/* The sanitizer build would stop at the division; the kernel must see it.
   Both operands are volatile: the compiler may not guess the result. */
__attribute__((no_sanitize("undefined"))) static void divide(void)
{
    volatile int one = 1, zero = 0;
    printf("%d", one / zero); /* a hardware fault, raised as an error */
}

static void throw_value(void)
{
    lc_throw(lc_int(42));
}

static void exit_process(void)
{
    lc_exit(lc_reason_with(LC_A_SHUTDOWN,
                           lc_atom_term(lc_atom_intern("done"))));
    printf("this line never runs\n");
}

static void fine(void)
{
}
/* endregion */

/* region: main */
static void main_process(void *arg)
{
    (void)arg;
    try_it("lc_error(...)", raise_error);
    try_it("1 / 0", divide);
    try_it("lc_throw(lc_int(42))", throw_value);
    try_it("lc_exit({shutdown, done})", exit_process);
    try_it("a function that returns", fine);
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
/* endregion */
