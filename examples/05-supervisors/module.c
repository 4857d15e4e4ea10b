/*
 * module.c - chapter 5: a supervisor in a module of its own. A small shop
 * has an order desk and a stock keeper; the module that runs the shop
 * offers one call, shop_start_link(), and nobody else needs to know what
 * it starts. The same shop is written twice: with the children listed in
 * the start function, and in the callback-module form, where an init
 * running inside the new supervisor builds the list -- here, one till per
 * counter of a configuration it is given.
 */
#include <stdio.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"

/* --- The workers: each registers its name and says when it starts ----- */

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld starting %s\n", (long long)lc_now(), (const char *)arg);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init };

static int worker_start(void *name, lc_pid *pid, struct lc_reason *why)
{
    const struct lc_gs_opts o = { .name = name };
    return lc_gs_start_link(&worker_ops, name, &o, pid, why);
}

/* Each worker module says how it is supervised. */
static struct lc_child_spec orders_child_spec(const void *arg)
{
    return (struct lc_child_spec){ .id = "orders",
                                   .start = worker_start,
                                   .arg = "orders" };
}

static struct lc_child_spec stock_child_spec(const void *arg)
{
    return (struct lc_child_spec){ .id = "stock",
                                   .start = worker_start,
                                   .arg = "stock" };
}

/* region: plain */
/* The shop: start it, and everything it needs is running. */
int shop_start_link(lc_pid *pid);

int shop_start_link(lc_pid *pid)
{
    const struct lc_child_spec children[] = {
        orders_child_spec(NULL),
        stock_child_spec(NULL),
    };
    const struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ONE },
        .children = children,
        .nchildren = 2,
    };
    const struct lc_sup_opts o = { .name = "shop" };
    return lc_sup_start_link(&spec, &o, pid, NULL);
}
/* endregion */

/* region: callback */
struct shop_config {
    int counters; /* one till per counter */
};

/* Runs in the new supervisor process, before any child starts. */
static int shop_init(void *arg, struct lc_sup_spec *spec)
{
    const struct shop_config *cfg = arg;
    int n = 2 + cfg->counters;
    struct lc_child_spec *kids = lc_zalloc(n * sizeof *kids);
    char(*names)[LC_CHILD_ID_MAX] = lc_zalloc(n * sizeof *names);
    kids[0] = orders_child_spec(NULL);
    kids[1] = stock_child_spec(NULL);
    for (int i = 2; i < n; i++) {
        snprintf(names[i], sizeof names[i], "till%d", i - 1);
        kids[i] = (struct lc_child_spec){ .id = names[i],
                                          .start = worker_start,
                                          .arg = names[i] };
    }
    spec->flags = (struct lc_sup_flags){ .strategy = LC_ONE_FOR_ONE };
    spec->children = kids;
    spec->nchildren = n;
    return 0;
}

static const struct lc_sup_ops shop_ops = { .init = shop_init };

int shop_start_link_mod(const struct shop_config *cfg, lc_pid *pid);

int shop_start_link_mod(const struct shop_config *cfg, lc_pid *pid)
{
    const struct lc_sup_opts o = { .name = "shop" };
    return lc_sup_start_link_mod(&shop_ops, (void *)cfg, &o, pid, NULL);
}
/* endregion */

/* region: session */
static void session(void *arg)
{
    (void)arg;
    lc_pid shop;
    printf("-- the children listed in the start function\n");
    shop_start_link(&shop);
    printf("t=%-5lld the shop runs: %zu children\n", (long long)lc_now(),
           lc_sup_count_children(lc_whereis("shop")).active);
    lc_sup_stop(shop);

    printf("-- the callback-module form, with two counters\n");
    const struct shop_config cfg = { .counters = 2 };
    shop_start_link_mod(&cfg, &shop);
    printf("t=%-5lld the shop runs: %zu children\n", (long long)lc_now(),
           lc_sup_count_children(lc_whereis("shop")).active);
    lc_sup_stop(shop);
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
