/*
 * nesting.c - chapter 1: nested handlers. An exception the inner LC_TRY does
 * not want goes to the outer one, after the inner AFTER has run; a handler
 * can also look at an exception and pass it on with lc_rethrow().
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

/* region: nested */
static void step(const char *what)
{
    printf("%s\n", what);
}

static void nested(void)
{
    LC_TRY
    {
        step("outer: try");
        LC_TRY
        {
            step("  inner: try");
            lc_error(lc_atom_term(LC_A_BADARG));
        }
        LC_CATCH(LC_CLASS_THROW, e)
        {
            step("  inner: a throw (not this time)");
        }
        LC_AFTER
        {
            step("  inner: after");
        }
        LC_END_TRY;
        step("outer: never reached");
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        printf("outer: caught error %s\n", lc_atom_name(e->value.u.atom));
    }
    LC_END_TRY;
}
/* endregion */

/* region: rethrow */
/* Log every exception that passes, but handle none: pass each one on. */
static void logged(void (*fn)(void))
{
    LC_TRY
    {
        fn();
    }
    LC_CATCH_ANY(e)
    {
        printf("  log: an exception raised at %s\n", e->where);
        lc_rethrow(e);
    }
    LC_END_TRY;
}

static void fails(void)
{
    lc_throw(lc_int(7));
}

static void caller(void)
{
    LC_TRY
    {
        logged(fails);
    }
    LC_CATCH_VALUE(LC_CLASS_THROW, lc_int(7), e)
    {
        printf("caller: caught throw 7, raised at %s\n", e->where);
    }
    LC_END_TRY;
}
/* endregion */

static void main_process(void *arg)
{
    (void)arg;
    nested();
    printf("--\n");
    caller();
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
