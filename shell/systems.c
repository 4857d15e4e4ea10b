/*
 * systems.c - what the shell can start: small processes to experiment
 * with, a generic server, and (supcmd.c) supervision trees.
 *
 * The processes here are the ones the chapters' experiments need: one that
 * waits, one that crashes on the first message it gets, one that traps
 * exits and says what it receives, the echo server and counter of chapter
 * 0, and a counter written as a generic server of chapter 4. They are built
 * on the layers through their headers only, so the shell runs them on the
 * student's layers or on the reference, whichever it was built with.
 */
#include "shell.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/systems/echo.h"

/* --- Plain processes ---------------------------------------------------- */

static void idle(void *arg)
{
    lc_msg_free(lc_receive_tag(-1000, LC_INFINITY)); /* nothing sends it */
}

/* Ends with {crash, Tag} at the first message it receives. */
static void crasher(void *arg)
{
    struct lc_msg *m = lc_receive(LC_INFINITY);
    int tag = m->tag;
    lc_msg_free(m);
    lc_exit(lc_reason_with(lc_atom_intern("crash"), lc_int(tag)));
}

/* Traps exits and prints every message it gets, forever. */
static void trapper(void *arg)
{
    lc_trap_exit(true);
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        char why[160] = "";
        if (m->tag == LC_TAG_EXIT && m->size == sizeof(struct lc_exit_msg)) {
            struct lc_exit_msg e;
            memcpy(&e, m->data, sizeof e);
            lc_reason_format(why, sizeof why, &e.reason);
            printf("  %s got {'EXIT', %s, %s}\n", sh_pidstr(lc_self()),
                   sh_pidstr(e.from), why);
        } else {
            printf("  %s got a message with tag %d from %s\n",
                   sh_pidstr(lc_self()), m->tag, sh_pidstr(m->from));
        }
        lc_msg_free(m);
    }
}

struct kind {
    const char *name;
    lc_proc_fn *fn;
    const char *what;
};

static const struct kind kinds[] = {
    { "idle", idle, "waits for ever" },
    { "crasher", crasher, "ends with {crash, Tag} at its first message" },
    { "trapper", trapper, "traps exits and prints what it receives" },
    { "echo", echo_server, "chapter 0's echo server" },
    { "counter", counter_server, "chapter 0's counter" },
    { NULL, NULL, NULL }
};

static void cmd_spawn(int argc, char **argv)
{
    const struct kind *k = kinds;
    while (k->name != NULL && strcmp(k->name, argv[1]) != 0) {
        k++;
    }
    if (k->name == NULL) {
        sh_error("no process kind '%s': idle, crasher, trapper, echo or "
                 "counter",
                 argv[1]);
        return;
    }
    bool linked = argc > 3 && strcmp(argv[3], "linked") == 0;
    struct lc_spawn_opts o = { .name = argc > 2 ? argv[2] : k->name };
    lc_pid p;
    int err = linked ? lc_spawn_link_opt(&p, k->fn, NULL, &o)
                     : lc_spawn_opt(&p, k->fn, NULL, &o);
    if (err < 0) {
        sh_error("could not spawn: %s", lc_strerror(err));
        return;
    }
    printf("spawned %s %s (%s)%s\n", o.name, sh_pidstr(p), k->what,
           linked ? ", linked to this shell" : "");
}

/* --- A counter as a generic server --------------------------------------- */

enum {
    SRV_GET = 1,   /* call: the value */
    SRV_ADD = 2,   /* cast: add int64_t */
    SRV_CRASH = 3, /* call or cast: raise badarith */
    SRV_STOP = 4   /* call: reply, then stop normal */
};

static int srv_init(void *arg, void **state, struct lc_reason *stop)
{
    int64_t *v = lc_zalloc(sizeof *v);
    *state = v;
    return LC_GS_CONTINUE;
}

static int srv_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    int64_t *v = state;
    if (tag == SRV_CRASH) {
        lc_error(lc_atom_term(LC_A_BADARITH));
    }
    lc_gs_reply(from, v, sizeof *v);
    if (tag == SRV_STOP) {
        *stop = lc_reason(LC_A_NORMAL);
        return LC_GS_STOP;
    }
    return LC_GS_CONTINUE;
}

static int srv_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    int64_t *v = state;
    if (tag == SRV_CRASH) {
        lc_error(lc_atom_term(LC_A_BADARITH));
    }
    if (tag == SRV_ADD && size == sizeof(int64_t)) {
        int64_t n;
        memcpy(&n, data, sizeof n);
        *v += n;
    }
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops srv_ops = { .init = srv_init,
                                          .handle_call = srv_call,
                                          .handle_cast = srv_cast };

int sh_server_start(void *name, lc_pid *pid, struct lc_reason *why);

/* A start function (the shape supervisors take): a counter server
   registered under 'name', linked to the caller. */
int sh_server_start(void *name, lc_pid *pid, struct lc_reason *why)
{
    struct lc_gs_opts o = { .name = name };
    return lc_gs_start_link(&srv_ops, NULL, &o, pid, why);
}

static void cmd_server(int argc, char **argv)
{
    struct lc_gs_opts o = { .name = argv[1] };
    lc_pid p;
    struct lc_reason why;
    int err = lc_gs_start(&srv_ops, NULL, &o, &p, &why);
    if (err == LC_EALREADY) {
        sh_error("'%s' is taken by %s", argv[1], sh_pidstr(p));
    } else if (err < 0) {
        sh_error("the server did not start: %s", lc_strerror(err));
    } else {
        printf("started the counter server %s %s\n", argv[1], sh_pidstr(p));
    }
}

static void cmd_call(int argc, char **argv)
{
    static const char *const ops[] = { "", "get", "add", "crash", "stop" };
    int tag = 0;
    for (int i = 1; i < 5; i++) {
        if (strcmp(argv[2], ops[i]) == 0) {
            tag = i;
        }
    }
    lc_pid p = sh_target(argv[1]); /* nobody: the call fails */
    if (tag == 0 || tag == SRV_ADD) {
        sh_error("a counter server answers calls get, crash and stop");
        return;
    }
    struct lc_msg *r = lc_gs_call(p, tag, NULL, 0, 5000);
    int64_t v;
    memcpy(&v, r->data, sizeof v);
    lc_msg_free(r);
    printf("%" PRId64 "\n", v);
}

static void cmd_cast(int argc, char **argv)
{
    lc_pid p = sh_target(argv[1]); /* nobody: the call fails */
    if (strcmp(argv[2], "crash") == 0) {
        lc_gs_cast(p, SRV_CRASH, NULL, 0);
    } else if (strcmp(argv[2], "add") == 0 && argc > 3) {
        char *rest;
        errno = 0;
        int64_t n = strtoll(argv[3], &rest, 10);
        if (*rest != '\0' || errno != 0) {
            sh_error("'%s' is not a number", argv[3]);
            return;
        }
        lc_gs_cast(p, SRV_ADD, &n, sizeof n);
    } else {
        sh_error("a counter server takes the casts `add N` and `crash`");
        return;
    }
    printf("ok\n");
}

static void cmd_stop(int argc, char **argv)
{
    lc_pid p = sh_pid(argv[1]);
    struct lc_reason r = lc_reason(LC_A_NORMAL);
    if (p == LC_NOPID || (argc > 2 && !sh_reason(argv[2], &r))) {
        return;
    }
    lc_gs_stop(p, r, 5000);
    printf("stopped %s\n", sh_pidstr(p));
}

static void cmd_echo(int argc, char **argv)
{
    lc_pid p = sh_pid(argv[1]);
    char reply[256];
    if (p == LC_NOPID) {
        return;
    }
    const char *text = argc > 2 ? argv[2] : "";
    int n = echo_call(p, text, strlen(text), reply, sizeof reply - 1, 5000);
    if (n < 0) {
        sh_error("no answer: %s", lc_strerror(n));
        return;
    }
    reply[n] = '\0';
    printf("%s answered \"%s\"\n", sh_pidstr(p), reply);
}

const struct sh_command sh_system_commands[] = {
    { "spawn", "KIND [NAME] [linked]",
      "start a process: idle, crasher, "
      "trapper, echo or counter",
      cmd_spawn },
    { "echo", "PROC [TEXT]", "ask an echo server to send TEXT back", cmd_echo },
    { "server", "NAME",
      "start a counter as a generic server, registered "
      "as NAME",
      cmd_server },
    { "call", "PROC get|crash|stop", "call a counter server (5 s timeout)",
      cmd_call },
    { "cast", "PROC add N|crash", "cast to a counter server", cmd_cast },
    { "stop", "PROC [REASON]",
      "stop a generic server (or a supervisor) "
      "and wait for its end",
      cmd_stop },
    { NULL, NULL, NULL, NULL }
};
