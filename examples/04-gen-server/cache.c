/*
 * cache.c - chapter 4: a to-do cache registered under a name, as the
 * cache of the to-do system is prepared for supervision: it starts with
 * lc_gs_start_link() (so that whoever starts it is linked to it), takes an
 * argument it ignores, and registers itself as "todo_cache". Its clients
 * never keep its pid: they look the name up each time. When the cache is
 * killed, a small restarter starts a new one -- with a new pid, under the
 * same name -- and the clients carry on. (Chapter 5's supervisor does the
 * restarting properly.)
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"

enum {
    SERVER_PROCESS = 1 /* call: a list name; reply: the to-do server's pid */
};

static void say(const char *fmt, lc_pid pid)
{
    char p[32];
    lc_pid_format(p, sizeof p, pid);
    printf("t=%-5lld ", (long long)lc_now());
    printf(fmt, p);
    printf("\n");
}

/* --- A to-do server: one per list; here it only holds its list's name -- */

static int todo_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld Starting to-do server for %s.\n", (long long)lc_now(),
           (const char *)arg);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops todo_server = { .init = todo_init };

/* region: cache */
#define MAX_LISTS 16

struct cache {
    char names[MAX_LISTS][32]; /* list names ... */
    lc_pid servers[MAX_LISTS]; /* ... and their to-do servers */
    int n;
};

static int cache_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld Starting to-do cache.\n", (long long)lc_now());
    *state = lc_zalloc(sizeof(struct cache));
    return LC_GS_CONTINUE;
}

/* The to-do server of a list: the one we have, or a new one. */
static int cache_call(void *state, int tag, const void *data, size_t size,
                      struct lc_gs_from from, struct lc_reason *stop)
{
    struct cache *c = state;
    const char *list = data;
    int i = 0;
    while (i < c->n && strcmp(c->names[i], list) != 0) {
        i++;
    }
    if (i == c->n && c->n < MAX_LISTS) {
        snprintf(c->names[i], sizeof c->names[i], "%s", list);
        lc_gs_start_link(&todo_server, (void *)list, NULL, &c->servers[i],
                         NULL);
        c->n++;
    }
    lc_gs_reply(from, &c->servers[i], sizeof(lc_pid));
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops cache_ops = { .init = cache_init,
                                            .handle_call = cache_call };

/* Start the cache linked to the caller, under its name. The argument is
   ignored: it is there so that every start function has the same shape. */
static int cache_start_link(void *ignored)
{
    struct lc_gs_opts o = { .name = "todo_cache" };
    return lc_gs_start_link(&cache_ops, ignored, &o, NULL, NULL);
}

/* Any process finds the cache by its name. */
static lc_pid server_process(const char *list)
{
    lc_pid cache = lc_whereis("todo_cache");
    struct lc_msg *r =
            lc_gs_call(cache, SERVER_PROCESS, list, strlen(list) + 1, 5000);
    lc_pid pid;
    memcpy(&pid, r->data, sizeof pid);
    lc_msg_free(r);
    return pid;
}
/* endregion */

/* region: restarter */
/* Starts the cache, and starts it again whenever it ends. */
static void restarter(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    cache_start_link(NULL);
    for (;;) {
        struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, LC_INFINITY);
        lc_msg_free(m);
        cache_start_link(NULL);
    }
}
/* endregion */

/* region: session */
static void session(void *arg)
{
    (void)arg;
    lc_spawn(restarter, NULL);
    lc_sleep(10);
    say("whereis(todo_cache) = %s", lc_whereis("todo_cache"));
    say("bob's list: %s", server_process("Bob's list"));
    say("bob's list: %s", server_process("Bob's list"));

    lc_exit_signal(lc_whereis("todo_cache"), lc_reason(LC_A_KILL));
    lc_sleep(10);
    say("whereis(todo_cache) = %s", lc_whereis("todo_cache"));
    say("bob's list: %s", server_process("Bob's list"));
}
/* endregion */

static bool finished; /* lc_fini() kills the rest: not worth a line */

static void report(lc_pid pid, const struct lc_reason *why)
{
    char r[64];
    lc_reason_format(r, sizeof r, why);
    if (!finished && !lc_reason_is_clean(why)) {
        char p[32];
        lc_pid_format(p, sizeof p, pid);
        printf("t=%-5lld %s ended: %s\n", (long long)lc_now(), p, r);
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(session, NULL);
    lc_run();
    finished = true;
    lc_fini();
    return 0;
}
