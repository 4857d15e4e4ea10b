/*
 * children.c - chapter 5: asking a supervisor about its children, and
 * adding children to a running supervisor. which_children lists them
 * newest first; count_children counts specs, running processes, and specs
 * by type; start_child appends a child and starts it, and says so when the
 * id is taken (running: already started; not running: already present), or
 * when the start fails (the spec is then not kept).
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static const char *fmt_pid(char *buf, size_t n, lc_pid pid)
{
    if (pid == LC_NOPID) {
        snprintf(buf, n, "undefined");
    } else {
        lc_pid_format(buf, n, pid);
    }
    return buf;
}

/* A worker whose init does what its argument says: "ok", "ignore" or
   anything else, which is the reason it fails with. */
static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    if (strcmp(arg, "ignore") == 0) {
        return LC_GS_IGNORE;
    }
    if (strcmp(arg, "ok") != 0) {
        *stop = lc_reason(lc_atom_intern(arg));
        return LC_GS_STOP;
    }
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

/* A supervisor with no children of its own, as a child. */
static int jobs_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct lc_sup_spec empty = { .nchildren = 0 };
    return lc_sup_start_link(&empty, NULL, pid, NULL) == 0 ? 0 : LC_ESTART;
}

/* region: show */
static void show(lc_pid sup)
{
    struct lc_child_info kids[8];
    size_t n = lc_sup_which_children(sup, kids, 8);
    printf("  which_children:\n");
    for (size_t i = 0; i < n && i < 8; i++) {
        char p[32];
        printf("    %-6s %-10s %s\n", kids[i].id,
               fmt_pid(p, sizeof p, kids[i].pid),
               kids[i].type == LC_CHILD_SUPERVISOR ? "supervisor" : "worker");
    }
    struct lc_sup_counts c = lc_sup_count_children(sup);
    printf("  count_children: specs %zu, active %zu, supervisors %zu, "
           "workers %zu\n",
           c.specs, c.active, c.supervisors, c.workers);
}
/* endregion */

/* region: add */
static void add(lc_pid sup, const char *id, const char *behaviour)
{
    const struct lc_child_spec spec = { .id = id,
                                        .start = worker_start,
                                        .arg = behaviour,
                                        .arg_size = strlen(behaviour) + 1 };
    lc_pid pid = LC_NOPID;
    struct lc_reason why = { 0 };
    int rc = lc_sup_start_child(sup, &spec, &pid, &why);
    char what[64];
    if (rc == LC_ESTART) {
        lc_reason_format(what, sizeof what, &why);
    } else {
        fmt_pid(what, sizeof what, pid);
    }
    printf("start_child %-5s (%s): %s %s\n", id, behaviour,
           rc == 0 ? "ok" : lc_err_name(rc), what);
}
/* endregion */

/* region: session */
static void session(void *arg)
{
    (void)arg;
    static const struct lc_child_spec children[] = {
        { .id = "db", .start = worker_start, .arg = "ok" },
        { .id = "cache", .start = worker_start, .arg = "ok" },
    };
    const struct lc_sup_spec spec = { .children = children, .nchildren = 2 };
    lc_pid sup;
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    show(sup);

    add(sup, "web", "ok");
    add(sup, "web", "ok");
    add(sup, "stats", "ignore");
    add(sup, "stats", "ok");
    add(sup, "mail", "no_smtp_host");
    const struct lc_child_spec jobs = { .id = "jobs",
                                        .start = jobs_start,
                                        .type = LC_CHILD_SUPERVISOR };
    lc_sup_start_child(sup, &jobs, NULL, NULL);
    show(sup);
    lc_sup_stop(sup);
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
