/*
 * graph.c - chapter 3: a small system full of monitors, drawn while it
 * runs. A watchdog watches three workers; a client is in the middle of a
 * call to a server, and the call's own monitor shows as one more arrow.
 * The server draws the system (ex_figure) at the moment it holds the
 * request, then the workers end in three different ways and the watchdog
 * reports each DOWN.
 */
#include <stdio.h>

#include "figure.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"

enum {
    REQ = 1, /* to the server: answer me */
    END = 2  /* to a worker: end now */
};

#define NWATCHED 4
static const char *names[NWATCHED] = { "w1", "w2", "w3", "db" };
static lc_pid watched[NWATCHED]; /* three workers and the server */

static void print_edge(const struct lc_edge *e, void *ctx)
{
    (void)ctx;
    struct lc_info from, to;
    if (e->kind == LC_EDGE_MONITOR && lc_proc_info(e->from, &from) == 0 &&
        lc_proc_info(e->to, &to) == 0) {
        printf("        monitor  %-8s -> %s\n", from.name, to.name);
    }
}

/* region: system */
/* Waits for END, then ends the way its argument says. */
static void worker(void *arg)
{
    lc_msg_free(lc_receive_tag(END, LC_INFINITY));
    if (arg != NULL) {
        lc_error(lc_atom_term(lc_atom_intern(arg)));
    }
}

/* Watches the workers and the server; reports each DOWN. */
static void watchdog(void *arg)
{
    (void)arg;
    uint64_t refs[NWATCHED];
    for (int i = 0; i < NWATCHED; i++) {
        refs[i] = lc_monitor(watched[i]);
    }
    for (int downs = 0; downs < NWATCHED; downs++) {
        struct lc_msg *m = lc_receive_tag(LC_TAG_DOWN, LC_INFINITY);
        const struct lc_down_msg *d = (const struct lc_down_msg *)m->data;
        for (int i = 0; i < NWATCHED; i++) {
            if (refs[i] == d->ref) {
                char why[160];
                lc_reason_format(why, sizeof why, &d->reason);
                printf("t=%-5lld watchdog: %s is down: %s\n",
                       (long long)lc_now(), names[i], why);
            }
        }
        lc_msg_free(m);
    }
}

/* Answers one request -- after drawing the system -- and ends. */
static void db_server(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive_tag(REQ, LC_INFINITY);
    struct lc_dot_opts o = { .monitors = true,
                             .title = "Monitors: watcher -> watched" };
    ex_figure("03-monitors-graph", &o);
    printf("t=%-5lld the monitors while the client waits:\n",
           (long long)lc_now());
    lc_edges(print_edge, NULL);
    lc_reply(m, "ok", 3);
    lc_msg_free(m);
}

static void client(void *arg)
{
    (void)arg;
    lc_sleep(10); /* let the watchdog set up first */
    struct lc_msg *r = lc_call(watched[3], REQ, NULL, 0, 1000);
    printf("t=%-5lld client got \"%s\"\n", (long long)lc_now(),
           (const char *)r->data);
    lc_msg_free(r);
}
/* endregion */

static lc_pid start(lc_proc_fn *fn, void *arg, const char *name)
{
    struct lc_spawn_opts o = { .name = name };
    lc_pid pid = LC_NOPID;
    lc_spawn_opt(&pid, fn, arg, &o);
    return pid;
}

/* Starts everything, then ends the workers: normally, by a crash, by a
   kill. */
static void boss(void *arg)
{
    (void)arg;
    watched[0] = start(worker, NULL, names[0]);
    watched[1] = start(worker, "overheated", names[1]);
    watched[2] = start(worker, NULL, names[2]);
    watched[3] = start(db_server, NULL, names[3]);
    start(watchdog, NULL, "watchdog");
    start(client, NULL, "client");
    lc_sleep(100);
    lc_send(watched[0], END, NULL, 0);
    lc_send(watched[1], END, NULL, 0);
    lc_exit_signal(watched[2], lc_reason(LC_A_KILL));
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(boss, NULL);
    lc_run();
    lc_fini();
    return 0;
}
