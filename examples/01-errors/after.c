/*
 * after.c - chapter 1: catch clauses are tried in order, AFTER always runs,
 * and a try block has a result. The program opens a (pretend) resource,
 * fails while using it, and shows that the clean-up runs whatever happens.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

/* region: use_file */
/* Pretend to read a file: fail with an error if told to, else return 1. */
static int read_config(bool fail)
{
    printf("  open the file\n");
    if (fail) {
        lc_error(lc_atom_term(lc_atom_intern("bad_format")));
    }
    return 1;
}

static int load(bool fail)
{
    volatile int result = 0; /* changed in the body, read after: volatile */
    LC_TRY
    {
        result = read_config(fail);
        printf("  parsed it\n");
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        printf("  never: nothing throws here\n");
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        printf("  error caught, use the defaults\n");
        result = -1;
    }
    LC_AFTER
    {
        printf("  close the file\n"); /* runs in both cases */
    }
    LC_END_TRY;
    return result;
}
/* endregion */

static void main_process(void *arg)
{
    (void)arg;
    printf("load(false):\n");
    int r = load(false);
    printf("  result %d\n", r);
    printf("load(true):\n");
    r = load(true);
    printf("  result %d\n", r);
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
