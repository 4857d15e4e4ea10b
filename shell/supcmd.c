/*
 * supcmd.c - the shell's supervision trees and supervisor commands.
 *
 * `demo` starts the tree of chapter 5's experiments: a supervisor with
 * three counter servers, alpha, beta and gamma, each registered under its
 * name, with a strategy and an intensity of the user's choice; `nested`
 * starts a tree of two levels for chapter 6. The supervisor commands are
 * thin: each is one call of supervisor.h, printed.
 */
#include "shell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

int sh_server_start(void *name, lc_pid *pid, struct lc_reason *why);

static const char *const strategy_names[] = { "one_for_one", "one_for_all",
                                              "rest_for_one" };

static bool parse_int(const char *s, int *out)
{
    char *rest;
    errno = 0;
    long v = strtol(s, &rest, 10);
    if (*rest != '\0' || errno != 0 || v < 0 || v > 1000000) {
        sh_error("'%s' is not a count", s);
        return false;
    }
    *out = (int)v;
    return true;
}

static bool parse_flags(int argc, char **argv, int first,
                        struct lc_sup_flags *f)
{
    if (argc > first) {
        int s = 0;
        while (s < 3 && strcmp(argv[first], strategy_names[s]) != 0) {
            s++;
        }
        if (s == 3) {
            sh_error("no strategy '%s': one_for_one, one_for_all or "
                     "rest_for_one",
                     argv[first]);
            return false;
        }
        f->strategy = (enum lc_strategy)s;
    }
    if (argc > first + 2) {
        return parse_int(argv[first + 1], &f->max_restarts) &&
               parse_int(argv[first + 2], &f->max_seconds);
    }
    return true;
}

static void print_start_error(int err, const struct lc_sup_error *e)
{
    char why[160], child[160];
    lc_reason_format(why, sizeof why, &e->reason);
    lc_reason_format(child, sizeof child, &e->child_reason);
    if (err == LC_ESTART && e->child[0] != '\0') {
        sh_error("the supervisor did not start: child %s failed with %s",
                 e->child, child);
    } else {
        sh_error("the supervisor did not start: %s %s", lc_strerror(err), why);
    }
}

/* Start a supervisor that stays when the shell process is replaced: it is
   started linked, then the link is dropped, so a crash of the tree does not
   take the shell with it (and the reverse). */
static lc_pid start_tree(const struct lc_sup_spec *spec, const char *name)
{
    struct lc_sup_opts o = { .name = name };
    struct lc_sup_error e;
    lc_pid sup;
    bool trapped = lc_trap_exit(true);
    int err = lc_sup_start_link(spec, &o, &sup, &e);
    lc_trap_exit(trapped);
    if (err == LC_EALREADY) {
        sh_error("'%s' runs already: %s", name, sh_pidstr(sup));
        return LC_NOPID;
    }
    if (err < 0) {
        print_start_error(err, &e);
        return LC_NOPID;
    }
    lc_unlink(sup);
    return sup;
}

static void cmd_demo(int argc, char **argv)
{
    static const struct lc_child_spec children[] = {
        { .id = "alpha", .start = sh_server_start, .arg = "alpha" },
        { .id = "beta", .start = sh_server_start, .arg = "beta" },
        { .id = "gamma", .start = sh_server_start, .arg = "gamma" },
    };
    struct lc_sup_spec spec = { .children = children, .nchildren = 3 };
    if (!parse_flags(argc, argv, 1, &spec.flags)) {
        return;
    }
    lc_pid sup = start_tree(&spec, "demo_sup");
    if (sup != LC_NOPID) {
        printf("started demo_sup %s (%s) with alpha, beta and gamma\n",
               sh_pidstr(sup), strategy_names[spec.flags.strategy]);
    }
}

static int sub_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct lc_sup_spec *spec = arg;
    struct lc_sup_error e;
    int err = lc_sup_start_link(spec, NULL, pid, &e);
    if (err < 0) {
        *why = e.reason;
    }
    return err;
}

static void cmd_nested(int argc, char **argv)
{
    static const struct lc_child_spec db[] = {
        { .id = "db", .start = sh_server_start, .arg = "db" },
        { .id = "db_cache", .start = sh_server_start, .arg = "db_cache" },
    };
    static const struct lc_child_spec web[] = {
        { .id = "listener", .start = sh_server_start, .arg = "listener" },
        { .id = "handler", .start = sh_server_start, .arg = "handler" },
    };
    static const struct lc_sup_spec db_spec = {
        .flags = { .strategy = LC_ONE_FOR_ALL }, .children = db, .nchildren = 2
    };
    static const struct lc_sup_spec web_spec = {
        .flags = { .strategy = LC_REST_FOR_ONE },
        .children = web,
        .nchildren = 2
    };
    static const struct lc_child_spec top[] = {
        { .id = "db_sup",
          .start = sub_start,
          .arg = &db_spec,
          .type = LC_CHILD_SUPERVISOR },
        { .id = "web_sup",
          .start = sub_start,
          .arg = &web_spec,
          .type = LC_CHILD_SUPERVISOR },
    };
    struct lc_sup_spec spec = { .children = top, .nchildren = 2 };
    lc_pid sup = start_tree(&spec, "app_sup");
    if (sup != LC_NOPID) {
        printf("started app_sup %s: db_sup (one_for_all: db, db_cache) and "
               "web_sup (rest_for_one: listener, handler)\n",
               sh_pidstr(sup));
    }
}

static void cmd_which(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup == LC_NOPID) {
        return;
    }
    struct lc_child_info kids[64];
    size_t n = lc_sup_which_children(sup, kids, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        printf("  {%s, %s, %s}\n", kids[i].id,
               kids[i].restarting        ? "restarting"
               : kids[i].pid == LC_NOPID ? "undefined"
                                         : sh_pidstr(kids[i].pid),
               kids[i].type == LC_CHILD_SUPERVISOR ? "supervisor" : "worker");
    }
    printf("%zu child%s, newest first\n", n, n == 1 ? "" : "ren");
}

static void cmd_count(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup != LC_NOPID) {
        struct lc_sup_counts c = lc_sup_count_children(sup);
        printf("specs %zu, active %zu, supervisors %zu, workers %zu\n", c.specs,
               c.active, c.supervisors, c.workers);
    }
}

static void report(const char *what, const char *id, int err, lc_pid pid,
                   const struct lc_reason *why)
{
    if (err == 0 && pid != LC_NOPID) {
        printf("%s %s: now %s\n", what, id, sh_pidstr(pid));
    } else if (err == 0) {
        printf("%s %s: ok\n", what, id);
    } else if (err == LC_ESTART && why != NULL) {
        char r[160];
        lc_reason_format(r, sizeof r, why);
        sh_error("%s failed: %s", id, r);
    } else {
        sh_error("%s: %s (%s)", id, lc_strerror(err), lc_err_name(err));
    }
}

static void cmd_terminate(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup != LC_NOPID) {
        report("terminated", argv[2], lc_sup_terminate_child(sup, argv[2]),
               LC_NOPID, NULL);
    }
}

static void cmd_restart(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]), pid = LC_NOPID;
    struct lc_reason why = lc_reason(LC_A_NONE);
    if (sup != LC_NOPID) {
        int err = lc_sup_restart_child(sup, argv[2], &pid, &why);
        report("restarted", argv[2], err, pid, &why);
    }
}

static void cmd_delete(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup != LC_NOPID) {
        report("deleted", argv[2], lc_sup_delete_child(sup, argv[2]), LC_NOPID,
               NULL);
    }
}

const struct sh_command sh_sup_commands[] = {
    { "demo", "[STRATEGY [MAXR MAXT]]",
      "start demo_sup with the servers "
      "alpha, beta and gamma",
      cmd_demo },
    { "nested", "",
      "start a tree of two levels: app_sup over db_sup and "
      "web_sup",
      cmd_nested },
    { "which", "SUP",
      "a supervisor's children, newest first "
      "(which_children)",
      cmd_which },
    { "count", "SUP", "count a supervisor's children (count_children)",
      cmd_count },
    { "terminate", "SUP ID",
      "stop a child; it stays down "
      "(terminate_child)",
      cmd_terminate },
    { "restart", "SUP ID", "start a stopped child again (restart_child)",
      cmd_restart },
    { "delete", "SUP ID", "forget a stopped child (delete_child)", cmd_delete },
    { NULL, NULL, NULL, NULL }
};
