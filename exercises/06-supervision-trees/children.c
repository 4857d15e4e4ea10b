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
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return LC_ENOSYS;
}

int lc_sup_do_restart_child(struct lc_sup *s, const char *id, lc_pid *pid,
                            struct lc_reason *why)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return LC_ENOSYS;
}

int lc_sup_do_delete_child(struct lc_sup *s, const char *id)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return LC_ENOSYS;
}
