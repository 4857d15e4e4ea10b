/*
 * first.c - chapter 5: a first supervisor. Two workers, each a generic
 * server that says when its init runs, are started by a one_for_one
 * supervisor. The program lists the children, kills one of them with the
 * untrappable `kill`, and lists them again: the supervisor has started a
 * new process in its place -- a new pid under the same id, with a restart
 * count -- and left the other worker alone. The figure is drawn after the
 * second kill.
 */
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static void say(const char *what, lc_pid pid)
{
    char p[32] = "undefined";
    if (pid != LC_NOPID) {
        lc_pid_format(p, sizeof p, pid);
    }
    printf("t=%-5lld %s %s\n", (long long)lc_now(), what, p);
}

/* region: worker */
/* A worker that only says when it starts. Its state is its name. */
static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld %s: init\n", (long long)lc_now(), (const char *)arg);
    lc_proc_set_name(lc_self(), arg); /* the figure shows it */
    *state = arg;
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init };

/* The start function: start the server, linked to the caller -- the
   supervisor. 'arg' is the spec's argument, here the worker's name. */
static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

/* How to supervise a worker: its child spec. */
static struct lc_child_spec worker_child_spec(const void *name)
{
    return (struct lc_child_spec){ .id = name,
                                   .start = worker_start,
                                   .arg = name };
}
/* endregion */

/* region: show */
/* Print the supervisor's children, as which_children lists them. */
static void show_children(lc_pid sup)
{
    struct lc_child_info kids[4];
    size_t n = lc_sup_which_children(sup, kids, 4);
    for (size_t i = 0; i < n && i < 4; i++) {
        char p[32];
        struct lc_info in = { 0 };
        lc_pid_format(p, sizeof p, kids[i].pid);
        lc_proc_info(kids[i].pid, &in);
        printf("        %-8s %-9s restarts: %u\n", kids[i].id, p,
               (unsigned)in.restarts);
    }
}
/* endregion */

static lc_pid child_pid(lc_pid sup, const char *id)
{
    struct lc_child_info kids[4];
    size_t n = lc_sup_which_children(sup, kids, 4);
    for (size_t i = 0; i < n && i < 4; i++) {
        if (strcmp(kids[i].id, id) == 0) {
            return kids[i].pid;
        }
    }
    return LC_NOPID;
}

/* region: session */
static void session(void *arg)
{
    (void)arg;
    const struct lc_child_spec children[] = {
        worker_child_spec("logger"),
        worker_child_spec("mailer"),
    };
    const struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ONE },
        .children = children,
        .nchildren = 2,
    };
    lc_pid sup;
    const struct lc_sup_opts name = { .name = "sup" };
    lc_sup_start_link(&spec, &name, &sup, NULL);
    say("supervisor started:", sup);
    show_children(sup);

    lc_sleep(100);
    for (int round = 0; round < 2; round++) {
        lc_pid victim = child_pid(sup, "mailer");
        say("kill mailer", victim);
        lc_exit_signal(victim, lc_reason(LC_A_KILL));
        lc_sleep(100);
        show_children(sup);
    }
    struct lc_dot_opts o = { .supervision = true,
                             .legend = true,
                             .title = "first.c: mailer killed twice" };
    ex_figure("05-supervisors-first", &o);
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
