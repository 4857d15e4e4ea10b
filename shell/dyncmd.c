/*
 * dyncmd.c - the shell's dynamic supervisor commands (chapter 8).
 *
 * `dynsup NAME [MAX]` starts a dynamic supervisor with no children;
 * `dynstart SUP NAME` asks it for a counter server registered as NAME --
 * started if NAME is free, found if it is taken (start_child's
 * already_started, which is how "start it, or find it" works). The other
 * commands are one call of dynamic_supervisor.h each, printed.
 */
#include "shell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/links.h"

int sh_server_start(void *name, lc_pid *pid, struct lc_reason *why);

/* Start a dynamic supervisor that outlives the shell process: started
   linked (so a bad start is reported, not fatal), then unlinked. */
static void cmd_dynsup(int argc, char **argv)
{
    struct lc_dynsup_flags f = { 0 };
    if (argc > 2) {
        char *rest;
        errno = 0;
        long max = strtol(argv[2], &rest, 10);
        if (*rest != '\0' || errno != 0 || max < 1 || max > 10000000) {
            sh_error("'%s' is not a number of children", argv[2]);
            return;
        }
        f.max_children = (size_t)max;
    }
    struct lc_dynsup_opts o = { .name = argv[1] };
    struct lc_reason why = lc_reason(LC_A_NONE);
    lc_pid sup;
    bool trapped = lc_trap_exit(true);
    int err = lc_dynsup_start_link(&f, &o, &sup, &why);
    lc_trap_exit(trapped);
    if (err == LC_EALREADY) {
        sh_error("'%s' runs already: %s", argv[1], sh_pidstr(sup));
    } else if (err < 0) {
        char r[160];
        lc_reason_format(r, sizeof r, &why);
        sh_error("the supervisor did not start: %s %s", lc_strerror(err), r);
    } else {
        lc_unlink(sup);
        printf("started %s %s: dynamic one_for_one, no children\n", argv[1],
               sh_pidstr(sup));
    }
}

static void cmd_dynstart(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup == LC_NOPID) {
        return;
    }
    struct lc_dynsup_child spec = { .start = sh_server_start,
                                    .arg = argv[2],
                                    .arg_size = strlen(argv[2]) + 1 };
    lc_pid pid = LC_NOPID;
    struct lc_reason why = lc_reason(LC_A_NONE);
    int err = lc_dynsup_start_child(sup, &spec, &pid, &why);
    if (err == 0) {
        printf("started %s %s\n", argv[2], sh_pidstr(pid));
    } else if (err == LC_EALREADY) {
        printf("found %s %s (already started: not started again)\n", argv[2],
               sh_pidstr(pid));
    } else if (err == LC_ESTART) {
        char r[160];
        lc_reason_format(r, sizeof r, &why);
        sh_error("%s did not start: %s", argv[2], r);
    } else {
        sh_error("%s: %s (%s)", argv[2], lc_strerror(err), lc_err_name(err));
    }
}

static void cmd_dynwhich(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup == LC_NOPID) {
        return;
    }
    struct lc_dynsup_child_info kids[64];
    size_t n = lc_dynsup_which_children(sup, kids, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        printf("  {undefined, %s, %s}\n",
               kids[i].restarting ? "restarting" : sh_pidstr(kids[i].pid),
               kids[i].type == LC_CHILD_SUPERVISOR ? "supervisor" : "worker");
    }
    printf("%zu child%s, newest first\n", n, n == 1 ? "" : "ren");
}

static void cmd_dyncount(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    if (sup != LC_NOPID) {
        struct lc_sup_counts c = lc_dynsup_count_children(sup);
        printf("specs %zu, active %zu, supervisors %zu, workers %zu\n", c.specs,
               c.active, c.supervisors, c.workers);
    }
}

static void cmd_dynterm(int argc, char **argv)
{
    lc_pid sup = sh_pid(argv[1]);
    lc_pid child = sup != LC_NOPID ? sh_target(argv[2]) : LC_NOPID;
    if (sup == LC_NOPID) {
        return;
    }
    int err = lc_dynsup_terminate_child(sup, child);
    if (err == 0) {
        printf("terminated %s: it is not restarted\n", argv[2]);
    } else {
        sh_error("%s: %s (%s)", argv[2], lc_strerror(err), lc_err_name(err));
    }
}

const struct sh_command sh_dyn_commands[] = {
    { "dynsup", "NAME [MAX]",
      "start a dynamic supervisor with no children (at most MAX)", cmd_dynsup },
    { "dynstart", "SUP NAME",
      "start the counter server NAME under SUP, or find it if it runs "
      "(start_child)",
      cmd_dynstart },
    { "dynwhich", "SUP", "a dynamic supervisor's children, newest first",
      cmd_dynwhich },
    { "dyncount", "SUP", "count a dynamic supervisor's children",
      cmd_dyncount },
    { "dynterm", "SUP PROC",
      "stop a dynamic child; it is forgotten (terminate_child)", cmd_dynterm },
    { NULL, NULL, NULL, NULL }
};
