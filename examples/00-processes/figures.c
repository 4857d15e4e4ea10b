/*
 * figures.c - a demonstration of the figure language, not a chapter's system.
 *
 * The course draws every figure from a running system: the OTP layers record
 * what they build (supervision, links, monitors, names) in the kernel's
 * introspection tables, and lc_dot_write() draws those tables. This program
 * fills the tables by hand, with the kernel's calls only, to show every
 * element a figure can contain before the chapters that build them exist:
 * a supervisor with its strategy and restart intensity, a nested supervisor,
 * workers, a worker restarted twice, a temporary child that has exited, a
 * link, a monitor and a registry key. Nothing here supervises anything: the
 * "supervisor" processes only wait. Chapters 5 to 10 make the same calls from
 * real supervisors and registries, and their figures go through the same
 * pipeline (`make diagrams`) with no change.
 *
 * It prints the same system as text: one line per edge.
 */
#include <stdio.h>

#include "figure.h"
#include "lc/lc.h"

enum {
    STOP = 1
};

/* Every process of the demonstration waits until the end of the run. */
static void idle(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive_tag(STOP, LC_INFINITY));
}

/* A temporary child that does its job and ends. */
static void one_shot(void *arg)
{
    (void)arg;
}

/* region: fake */
/* Spawn a process as a supervisor would, and describe it for the figures. */
static lc_pid start(lc_pid parent, lc_proc_fn *fn, const char *name,
                    enum lc_role role, const char *detail)
{
    struct lc_spawn_opts o = { .name = name };
    lc_pid pid;
    if (lc_spawn_opt(&pid, fn, NULL, &o) < 0) {
        return LC_NOPID;
    }
    lc_proc_set_role(pid, role);
    lc_proc_set_detail(pid, detail);
    if (parent != LC_NOPID) {
        /* kept: a child that ends stays in the figure, dashed */
        lc_edge_add(LC_EDGE_SUPERVISES, parent, pid, name, LC_EDGE_KEEP);
    }
    return pid;
}
/* endregion */

/* What a supervisor does when a child ends: start it again and count. */
static lc_pid restart_twice(lc_pid sup, const char *name)
{
    lc_pid w = LC_NOPID;
    for (uint32_t n = 0; n <= 2; n++) {
        if (w != LC_NOPID) {
            lc_kill(w, lc_reason(LC_A_KILLED));
            lc_yield(); /* let it die */
            lc_edge_remove(LC_EDGE_SUPERVISES, sup, w);
        }
        w = start(sup, idle, name, LC_ROLE_WORKER, "permanent");
        lc_proc_set_restarts(w, n);
    }
    return w;
}

static void print_edge(const struct lc_edge *e, void *ctx)
{
    static const char *kinds[] = { "link", "monitor", "supervises",
                                   "registered" };
    char from[32], to[32];
    (void)ctx;
    lc_pid_format(from, sizeof from, e->from);
    lc_pid_format(to, sizeof to, e->to);
    printf("%-10s %s -> %s", kinds[e->kind], from, to);
    if (e->label != NULL) {
        printf(" \"%s\"", e->label);
    }
    printf("%s\n", lc_alive(e->to) ? "" : " (exited)");
}

static void stop_all(void)
{
    size_t n = lc_proc_list(NULL, 0);
    lc_pid pids[32];
    n = lc_proc_list(pids, n < 32 ? n : 32);
    for (size_t i = 0; i < n; i++) {
        if (pids[i] != lc_self()) {
            lc_send(pids[i], STOP, NULL, 0);
        }
    }
}

static void main_process(void *arg)
{
    (void)arg;
    lc_pid top = start(LC_NOPID, idle, "app_sup", LC_ROLE_SUPERVISOR,
                       "one_for_one 3/5s");
    lc_pid reg = start(top, idle, "registry", LC_ROLE_REGISTRY, NULL);
    lc_pid db =
            start(top, idle, "db_sup", LC_ROLE_SUPERVISOR, "one_for_all 3/5s");
    lc_pid w1 = start(db, idle, "db_worker_1", LC_ROLE_WORKER, "permanent");
    restart_twice(db, "db_worker_2");
    lc_pid srv = start(top, idle, "server_sup", LC_ROLE_SUPERVISOR,
                       "one_for_one 3/5s");
    lc_pid alice =
            start(srv, idle, "server alice", LC_ROLE_WORKER, "temporary");
    start(srv, one_shot, "server bob", LC_ROLE_WORKER, "temporary");
    lc_yield(); /* let bob run, and end */

    lc_edge_add(LC_EDGE_LINK, alice, w1, NULL, 0);
    lc_edge_add(LC_EDGE_MONITOR, reg, alice, NULL, 0);
    lc_edge_add(LC_EDGE_REGISTERED, reg, alice, "{server, alice}", 0);

    struct lc_dot_opts opts = { .title = "A demonstration of the figures",
                                .links = true,
                                .monitors = true,
                                .supervision = true,
                                .registrations = true,
                                .legend = true };
    ex_figure("00-processes-figures", &opts);
    lc_edges(print_edge, NULL);
    stop_all();
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    size_t left = lc_run();
    printf("%zu processes left\n", left);
    lc_fini();
    return 0;
}
