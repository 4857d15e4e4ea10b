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

int kv_bucket_sup_start_link(lc_pid *pid)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

int kv_bucket_sup_start_bucket(const char *name, lc_pid *pid)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

int kv_sup_start_link(lc_pid *pid)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

static int kv_app_start(void *arg, lc_pid *top, void **state,
                        struct lc_reason *why)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

const struct lc_app_spec kv_app = {
    .name = "kv",
    .start = kv_app_start,
};
