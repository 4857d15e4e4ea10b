/*
 * parse.c - chapter 1: two ways to report bad input. lc_parse_int() returns
 * an error code the caller must look at; lc_parse_int_or_crash() raises an
 * error, and a process that does not catch it ends.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

/* region: both */
static void returns_error(const char *s)
{
    int64_t n = 0;
    int err = lc_parse_int(s, &n);
    if (err < 0) {
        printf("lc_parse_int(\"%s\") = %s: %s\n", s, lc_err_name(err),
               lc_strerror(err));
    } else {
        printf("lc_parse_int(\"%s\") = 0, n = %lld\n", s, (long long)n);
    }
}

static void parse_worker(void *arg)
{
    const char *s = arg;
    int64_t n = lc_parse_int_or_crash(s); /* bad input: this process ends */
    printf("lc_parse_int_or_crash(\"%s\") = %lld\n", s, (long long)n);
}
/* endregion */

/* Print how each worker ended: its reason's kind and value, not the file
   and line inside exceptions.c. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    char p[32], v[64];
    lc_pid_format(p, sizeof p, pid);
    lc_term_format(v, sizeof v, why->value);
    if (why->kind == LC_A_ERROR) {
        printf("%s crashed: error %s\n", p, v);
    }
}

static void main_process(void *arg)
{
    (void)arg;
    returns_error("42");
    returns_error("12x");
    returns_error("99999999999999999999");
    lc_spawn(parse_worker, "42");
    lc_spawn(parse_worker, "12x");
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
