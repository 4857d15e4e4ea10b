/*
 * deadlink.c - chapter 2: linking to a process that has already ended, in
 * both trap modes, and taking a link back with lc_unlink().
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

static void nothing(void *arg)
{
    (void)arg;
}

static void crash_later(void *arg)
{
    (void)arg;
    lc_sleep(10);
    lc_exit(lc_reason(lc_atom_intern("boom")));
}

/* region: dead */
static void link_to_dead(void *arg)
{
    (void)arg;
    char p[32];
    lc_pid gone = lc_spawn(nothing, NULL);
    lc_sleep(1); /* it has run and ended */
    lc_pid_format(p, sizeof p, gone);

    LC_TRY
    {
        lc_link(gone);
        printf("not trapping: linked (never printed)\n");
    }
    LC_CATCH_VALUE(LC_CLASS_ERROR, lc_atom_term(LC_A_NOPROC), e)
    {
        printf("not trapping: lc_link(%s) raised error noproc\n", p);
    }
    LC_END_TRY;

    lc_trap_exit(true);
    int err = lc_link(gone);
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 0);
    const struct lc_exit_msg *x = (const struct lc_exit_msg *)m->data;
    printf("trapping:     lc_link(%s) returned %d, then {EXIT, %s, %s} "
           "arrived\n",
           p, err, x->from == gone ? p : "?", lc_atom_name(x->reason.kind));
    lc_msg_free(m);
    lc_trap_exit(false);
}
/* endregion */

/* region: unlink */
static void unlink_in_time(void *arg)
{
    (void)arg;
    lc_pid peer = lc_spawn_link(crash_later, NULL);
    printf("linked:   %zu link(s)\n", lc_links(lc_self(), NULL, 0));
    lc_unlink(peer);
    printf("unlinked: %zu link(s)\n", lc_links(lc_self(), NULL, 0));
    lc_sleep(20); /* the former peer crashes meanwhile */
    printf("t=%lld: the peer is %s, and we live on\n", (long long)lc_now(),
           lc_alive(peer) ? "alive" : "gone");
}
/* endregion */

static void main_process(void *arg)
{
    (void)arg;
    link_to_dead(NULL);
    unlink_in_time(NULL);
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
