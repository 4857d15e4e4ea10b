/*
 * kv_supervisor.c - the KV store's supervisors and its application
 * (chapter 10; kv.h).
 *
 * The bucket supervisor starts buckets on demand -- it has no children at
 * start -- as temporary children: a bucket that ends, for any reason, is
 * not started again. A restarted bucket would be empty, under a new pid
 * the registry never heard of: a process nobody can reach, holding
 * nothing. Better that it stays dead and the registry forgets its name; a
 * client that needs it creates it again, and knows it starts empty.
 *
 * The buckets are supervised all the same, for two reasons: they stop
 * with the tree (in order, and when the application stops), and a figure
 * of the running system shows where they belong.
 *
 * The bucket supervisor is chapter 8's dynamic supervisor: children of one
 * kind, started on demand with an argument (the bucket's name), known by
 * their pids -- no ids to invent and keep unique.
 *
 * The top supervisor, kv_sup, has two children, in this order:
 *   1. the bucket supervisor, 2. the registry.
 * Order, because children start in order: the registry starts buckets
 * through the bucket supervisor, which must therefore be up first (and,
 * stopping in reverse, the registry stops before the buckets go).
 * one_for_all, because the two share one piece of knowledge -- which
 * bucket has which name -- and only the registry holds it. If the
 * registry crashes, a new one knows no bucket: the old buckets would live
 * on, unreachable. one_for_all stops them with it (by restarting the
 * bucket supervisor) and the store starts again empty and consistent. If
 * the bucket supervisor crashes, every bucket is gone and the registry is
 * restarted too rather than waiting for a DOWN per bucket.
 */
#include <string.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/kv.h"

/* region: buckets */
/* BEGIN SOLUTION(ch10): - */
static int start_bucket_child(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return kv_bucket_start_link(arg, pid);
}
/* END SOLUTION */

int kv_bucket_sup_start_link(lc_pid *pid)
{
    /* BEGIN SOLUTION(ch10): return LC_ENOSYS; */
    struct lc_dynsup_flags flags = { .strategy = LC_ONE_FOR_ONE };
    struct lc_dynsup_opts o = { .name = KV_BUCKET_SUP_NAME };
    return lc_dynsup_start_link(&flags, &o, pid, NULL);
    /* END SOLUTION */
}

int kv_bucket_sup_start_bucket(const char *name, lc_pid *pid)
{
    /* BEGIN SOLUTION(ch10): return LC_ENOSYS; */
    struct lc_dynsup_child c = {
        .start = start_bucket_child,
        .arg = name,
        .arg_size = strlen(name) + 1,
        .restart = LC_DYNSUP_TEMPORARY,
    };
    lc_pid sup = lc_whereis(KV_BUCKET_SUP_NAME);
    return lc_dynsup_start_child(sup, &c, pid, NULL);
    /* END SOLUTION */
}
/* endregion */

/* region: top */
/* BEGIN SOLUTION(ch10): - */
static int start_bucket_sup(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return kv_bucket_sup_start_link(pid);
}

static int start_registry(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return kv_registry_start_link(pid);
}
/* END SOLUTION */

int kv_sup_start_link(lc_pid *pid)
{
    /* BEGIN SOLUTION(ch10): return LC_ENOSYS; */
    static const struct lc_child_spec children[] = {
        { .id = "buckets",
          .start = start_bucket_sup,
          .type = LC_CHILD_SUPERVISOR },
        { .id = "registry", .start = start_registry },
    };
    struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ALL },
        .children = children,
        .nchildren = 2,
    };
    struct lc_sup_opts o = { .name = KV_SUP_NAME };
    return lc_sup_start_link(&spec, &o, pid, NULL);
    /* END SOLUTION */
}
/* endregion */

/* region: app */
static int kv_app_start(void *arg, lc_pid *top, void **state,
                        struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch10): return LC_ENOSYS; */
    return kv_sup_start_link(top);
    /* END SOLUTION */
}

const struct lc_app_spec kv_app = {
    .name = "kv",
    .start = kv_app_start,
};
/* endregion */
