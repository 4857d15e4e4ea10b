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
    /* BEGIN SOLUTION(ch06): return LC_SUP_RESTART; */
    switch (c->spec.restart) {
        case LC_PERMANENT:
            return LC_SUP_RESTART; /* whatever the reason, even normal */
        case LC_TRANSIENT:
            return lc_reason_is_clean(why) ? LC_SUP_KEEP : LC_SUP_RESTART;
        default:
            return LC_SUP_FORGET;
    }
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch06): - */
/* The children that go with child i: [*first, *end). */
static void group(const struct lc_sup *s, size_t i, size_t *first, size_t *end)
{
    *first = s->strategy == LC_ONE_FOR_ALL ? 0 : i;
    *end = s->strategy == LC_ONE_FOR_ONE ? i + 1 : s->n;
}
/* END SOLUTION */

int lc_sup_restart(struct lc_sup *s, size_t i, size_t *failed)
{
    /* BEGIN SOLUTION(ch06): return LC_ENOSYS; */
    size_t first, end;
    group(s, i, &first, &end);
    /* Stop the others, the last started first. */
    for (size_t j = end; j-- > first;) {
        struct lc_child *c = &s->children[j];
        if (j != i && c->pid != LC_NOPID) {
            lc_sup_shutdown(c);
            c->pid = LC_NOPID;
        }
    }
    /* Start the group again in start order; a temporary child that was
       stopped is forgotten instead. */
    size_t j = first;
    while (j < end) {
        struct lc_child *c = &s->children[j];
        if (j != i && c->spec.restart == LC_TEMPORARY) {
            lc_sup_forget(s, j); /* the ones after it move down */
            end--;
            if (j < i) {
                i--;
            }
            continue;
        }
        struct lc_reason why;
        if (lc_sup_start_one(s, j, &why) == LC_ESTART) {
            c->restarting = true;
            *failed = j;
            return LC_ESTART;
        }
        j++;
    }
    return 0;
    /* END SOLUTION */
}
