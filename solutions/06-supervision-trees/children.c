/*
 * children.c - managing a running supervisor's children (chapter 6).
 *
 * Three calls change a supervisor's children by hand, and each answers as
 * OTP's does (S12). They run inside the supervisor, between two messages,
 * so no restart can happen half-way through one of them.
 *
 * A child stopped by terminate_child stays stopped: the supervisor caused
 * its end and consumed its EXIT (lc_sup_shutdown), so nothing restarts it
 * until restart_child. delete_child then forgets it. Neither applies to a
 * running child: a spec cannot be deleted under a live process.
 */
#include "lc/otp/supervisor_impl.h"

int lc_sup_do_terminate_child(struct lc_sup *s, const char *id)
{
    /* BEGIN SOLUTION(ch06): return LC_ENOSYS; */
    long i = lc_sup_find(s, id);
    if (i < 0) {
        return LC_ENOENT;
    }
    struct lc_child *c = &s->children[i];
    if (c->pid != LC_NOPID) {
        lc_sup_shutdown(c);
        c->pid = LC_NOPID;
    }
    c->restarting = false; /* a retry on its way finds nothing to do */
    if (c->spec.restart == LC_TEMPORARY) {
        lc_sup_forget(s, (size_t)i);
    }
    return 0;
    /* END SOLUTION */
}

int lc_sup_do_restart_child(struct lc_sup *s, const char *id, lc_pid *pid,
                            struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch06): return LC_ENOSYS; */
    long i = lc_sup_find(s, id);
    if (i < 0) {
        return LC_ENOENT;
    }
    struct lc_child *c = &s->children[i];
    if (c->restarting) {
        return LC_ERESTARTING;
    }
    if (c->pid != LC_NOPID) {
        return LC_ERUNNING;
    }
    int rc = lc_sup_start_one(s, (size_t)i, why);
    *pid = c->pid; /* LC_NOPID if it ignored its start */
    return rc == LC_EIGNORE ? 0 : rc;
    /* END SOLUTION */
}

int lc_sup_do_delete_child(struct lc_sup *s, const char *id)
{
    /* BEGIN SOLUTION(ch06): return LC_ENOSYS; */
    long i = lc_sup_find(s, id);
    if (i < 0) {
        return LC_ENOENT;
    }
    if (s->children[i].restarting) {
        return LC_ERESTARTING;
    }
    if (s->children[i].pid != LC_NOPID) {
        return LC_ERUNNING;
    }
    lc_sup_forget(s, (size_t)i);
    return 0;
    /* END SOLUTION */
}
