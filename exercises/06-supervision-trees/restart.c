/*
 * restart.c - who is restarted, and with whom (chapter 6).
 *
 * Two decisions a supervisor takes when a child ends by itself. First,
 * whether the end calls for a restart at all: that is the child's restart
 * type. Second, which other children go down and come back with it: that
 * is the supervisor's strategy, and it exists because children depend on
 * each other -- if B cannot work without A, a new A means B must start
 * again too.
 *
 * The order is OTP's, and it is the order of dependence: children start
 * in list order (a child may use those before it) and stop in reverse
 * order (no child loses, while it runs, one it depends on).
 */
#include "lc/otp/supervisor_impl.h"

enum lc_sup_fate lc_sup_fate(const struct lc_child *c,
                             const struct lc_reason *why)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return LC_SUP_KEEP;
}

int lc_sup_restart(struct lc_sup *s, size_t i, size_t *failed)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return LC_ENOSYS;
}
