/*
 * registry.c - chapter 7: a registry, from the outside. Three workers
 * register themselves under keys; anyone looks them up by key; a killed
 * worker's key is gone at once and free for the next process; a duplicate
 * registry holds many processes under one key, and dispatch reaches them
 * all (the book's figure 9.3 is drawn here).
 */
#include <stdio.h>

#include "figure.h"
#include "lc/otp/links.h"
#include "lc/otp/registry.h"

static lc_pid reg;

static void show(const char *key)
{
    struct lc_reg_entry e[4];
    size_t n = lc_reg_lookup(reg, key, e, 4);
    printf("t=%-4lld lookup %-10s ->", (long long)lc_now(), key);
    for (size_t i = 0; i < n && i < 4; i++) {
        char p[32], v[32];
        lc_pid_format(p, sizeof p, e[i].pid);
        lc_term_format(v, sizeof v, e[i].value);
        printf(" {%s, %s}", p, v);
    }
    printf(n == 0 ? " (none)\n" : "\n");
}

/* region: worker */
/* A worker: register under the key it is given, then wait for work. */
static void worker(void *arg)
{
    const char *key = arg;
    lc_proc_set_name(lc_self(), "worker");
    lc_pid holder;
    int rc = lc_reg_register(reg, key, lc_int(lc_now()), &holder);
    if (rc == LC_EEXIST) {
        char p[32];
        lc_pid_format(p, sizeof p, holder);
        printf("t=%-4lld %s is already registered by %s\n", (long long)lc_now(),
               key, p);
        return;
    }
    for (;;) {
        lc_msg_free(lc_receive(LC_INFINITY));
    }
}
/* endregion */

static void greet(const struct lc_reg_entry *es, size_t n, void *ctx)
{
    printf("t=%-4lld dispatch to %zu subscribers of %s\n", (long long)lc_now(),
           n, (const char *)ctx);
    for (size_t i = 0; i < n; i++) {
        lc_send(es[i].pid, 1, "news", 5);
    }
}

/* region: session */
static void session(void *arg)
{
    lc_proc_set_name(lc_self(), "session");
    struct lc_reg_opts o = { .keys = LC_REG_UNIQUE, .name = "workers" };
    lc_reg_start_link(&o, &reg, NULL);
    char keys[3][LC_REG_KEY_MAX];
    for (int i = 0; i < 3; i++) {
        lc_reg_key_int(keys[i], "worker", i + 1);
        lc_spawn(worker, keys[i]);
    }
    lc_sleep(10);
    show("{worker,2}");
    ex_figure("07-registries-registry",
              &(struct lc_dot_opts){ .title = "A registry and its keys",
                                     .registrations = true,
                                     .links = true });

    lc_pid w2 = lc_reg_whereis(reg, "{worker,2}");
    printf("t=%-4lld a second {worker,2} tries to register:\n",
           (long long)lc_now());
    lc_spawn(worker, keys[1]);
    lc_sleep(10);

    printf("t=%-4lld kill {worker,2}\n", (long long)lc_now());
    lc_exit_signal(w2, lc_reason(LC_A_KILL));
    lc_sleep(10);
    show("{worker,2}");
    printf("t=%-4lld entries: %zu\n", (long long)lc_now(), lc_reg_count(reg));
    lc_spawn(worker, keys[1]);
    lc_sleep(10);
    show("{worker,2}");

    lc_pid topics;
    o = (struct lc_reg_opts){ .keys = LC_REG_DUPLICATE };
    lc_reg_start_link(&o, &topics, NULL);
    for (int i = 0; i < 3; i++) { /* the session subscribes three times */
        lc_reg_register(topics, "news", lc_int(i), NULL);
    }
    printf("t=%-4lld news has %zu subscriptions\n", (long long)lc_now(),
           lc_reg_lookup(topics, "news", NULL, 0));
    lc_reg_dispatch(topics, "news", greet, "news");
    lc_reg_dispatch(topics, "sports", greet, "sports"); /* nobody: no call */
    lc_reg_unregister(topics, "news");
    printf("t=%-4lld after unregister: %zu\n", (long long)lc_now(),
           lc_reg_lookup(topics, "news", NULL, 0));
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
