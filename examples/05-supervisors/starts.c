/*
 * starts.c - chapter 5: how a supervisor starts. Three workers, "db",
 * "cache" and "web", each a server that traps exits and says when its init
 * and its terminate run. Four starts of the same supervisor:
 *   1. everything starts, in the order of the list;
 *   2. the cache's init fails: the db, already running, is stopped, the web
 *      is never started, and the caller learns which child failed and why;
 *   3. the cache's init says "ignore": the supervisor keeps its spec, with no
 *      process, and runs the others;
 *   4. two children with the same id: refused before anything starts.
 * The caller traps exits, so a failed start returns to it (chapter 4).
 */
#include <stdio.h>

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

/* region: worker */
enum mode {
    RUN,
    FAIL,
    IGNORE
};

struct role {
    const char *name;
    enum mode mode;
};

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct role *r = arg;
    printf("t=%-5lld %s: init\n", (long long)lc_now(), r->name);
    if (r->mode == FAIL) {
        *stop = lc_reason(lc_atom_intern("no_config"));
        return LC_GS_STOP;
    }
    if (r->mode == IGNORE) {
        return LC_GS_IGNORE;
    }
    lc_trap_exit(true); /* so that terminate runs when it is stopped */
    *state = (void *)r->name;
    return LC_GS_CONTINUE;
}

static void worker_terminate(void *state, const struct lc_reason *why)
{
    char r[64];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld %s: terminate(%s)\n", (long long)lc_now(),
           (const char *)state, r);
}

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .terminate = worker_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}
/* endregion */

static void show_children(lc_pid sup)
{
    struct lc_child_info kids[4];
    size_t n = lc_sup_which_children(sup, kids, 4);
    printf("        which_children:");
    for (size_t i = 0; i < n && i < 4; i++) {
        char p[32];
        printf(" %s=%s", kids[i].id, fmt_pid(p, sizeof p, kids[i].pid));
    }
    printf("\n");
}

/* region: start */
/* Start db, cache and web; the cache behaves as 'cache_mode' says. */
static void start_three(enum mode cache_mode, const char *third_id)
{
    static struct role db = { "db", RUN }, cache = { "cache", RUN },
                       web = { "web", RUN };
    cache.mode = cache_mode;
    const struct lc_child_spec children[] = {
        { .id = "db", .start = worker_start, .arg = &db },
        { .id = "cache", .start = worker_start, .arg = &cache },
        { .id = third_id, .start = worker_start, .arg = &web },
    };
    const struct lc_sup_spec spec = { .children = children, .nchildren = 3 };

    lc_pid sup;
    struct lc_sup_error err;
    int rc = lc_sup_start_link(&spec, NULL, &sup, &err);
    if (rc == 0) {
        char p[32];
        printf("t=%-5lld started: supervisor %s\n", (long long)lc_now(),
               fmt_pid(p, sizeof p, sup));
        show_children(sup);
        lc_sup_stop(sup);
        lc_msg_free(lc_receive_tag(LC_TAG_EXIT, 0)); /* its EXIT */
        return;
    }
    char r[96], cr[96];
    lc_reason_format(r, sizeof r, &err.reason);
    printf("t=%-5lld %s: %s\n", (long long)lc_now(), lc_err_name(rc), r);
    if (rc == LC_ESTART) {
        lc_reason_format(cr, sizeof cr, &err.child_reason);
        printf("        failed child: %s, because: %s\n", err.child, cr);
    }
    printf("        messages left in the mailbox: %zu\n", lc_mailbox_len());
}
/* endregion */

/* region: session */
static void session(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    printf("-- 1. all three start\n");
    start_three(RUN, "web");
    printf("-- 2. the cache fails to start\n");
    start_three(FAIL, "web");
    printf("-- 3. the cache says ignore\n");
    start_three(IGNORE, "web");
    printf("-- 4. two children called db\n");
    start_three(RUN, "db");
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
