/*
 * registry.c - a process registry and via names (chapter 7).
 *
 * The registry is a generic server that owns one table: a hash table of
 * entries (key, pid, value). The table is open addressing: one slot per
 * key, eight bytes -- the key's hash tag and the number of its oldest
 * entry -- so that a lookup hashes its key, reads one cache line of slots
 * and then only the entry whose tag matches; the entries under one key
 * (duplicate keys) form a ring in registration order. Each registered
 * process also has, in its LC_LOCAL_REGISTRY slot, the list of registries
 * it is in and, for each, its own entries there: the cleanup after it ends
 * walks those entries and nothing else.
 *
 * Who touches the table: the calling process, directly. The kit runs all
 * processes on one OS thread and switches between them only inside kernel
 * calls (a send, a receive...), so a function that reads or changes the
 * table without making such a call in the middle is never interrupted by
 * another process: no lock, no message, no round trip. The registry
 * process finds its table through its own slot, and so does every reader.
 *
 * Cleanup: Elixir's Registry links each registered process to itself and
 * removes its keys when the EXIT arrives (R3). This registry keeps the
 * same two-way bond, but keeps it itself, in its table and in the slots,
 * and acts on it in an exit hook (LC_ON_EXIT), as the kit's registered
 * names do: when a registered process ends, however it ends, its entries
 * are gone before any other process can see it end; when the registry
 * ends, each process still registered in it gets what the link to
 * Elixir's partition would give it -- an EXIT message if it traps exits,
 * death if it does not -- with the partition's reason: `killed` if the
 * registry was killed, `shutdown` otherwise. The kit's links are
 * per-process arrays, fine for a few links but not for a registry that
 * holds a million processes: removing one link would cost a scan of all
 * of them, where this costs the dead process's own keys.
 */
#include "lc/otp/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

/* The registry's init: make the table and publish it in the slot. It
   traps exits, as Elixir's partitions do, so that only its parent's EXIT
   (which stops the generic server) or a `kill` can end it. */
static int registry_init(void *arg, void **state, struct lc_reason *stop)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_GS_IGNORE;
}

/* Its mailbox sees only stray messages: it has nothing to serve. */
static const struct lc_gs_ops registry_ops = {
    .init = registry_init,
};

int lc_reg_start_link(const struct lc_reg_opts *opts, lc_pid *pid,
                      struct lc_reason *why)
{
    struct lc_reg_opts o = opts ? *opts : (struct lc_reg_opts){ 0 };
    struct lc_gs_opts go = { .name = o.name };
    return lc_gs_start_link(&registry_ops, &o, &go, pid, why);
}

static int child_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_reg_start_link(arg, pid, why);
}

struct lc_child_spec lc_reg_child_spec(const char *id,
                                       const struct lc_reg_opts *opts)
{
    static const struct lc_reg_opts defaults = { 0 };
    return (struct lc_child_spec){
        .id = id,
        .start = child_start,
        .arg = opts ? opts : &defaults,
        .arg_size = sizeof *opts,
    };
}

int lc_reg_register(lc_pid reg, const char *key, struct lc_term value,
                    lc_pid *holder)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}

int lc_reg_unregister(lc_pid reg, const char *key)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}

size_t lc_reg_lookup(lc_pid reg, const char *key, struct lc_reg_entry *out,
                     size_t max)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return 0;
}

lc_pid lc_reg_whereis(lc_pid reg, const char *key)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_NOPID;
}

size_t lc_reg_keys(lc_pid reg, lc_pid pid, const char **out, size_t max)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return 0;
}

size_t lc_reg_values(lc_pid reg, const char *key, lc_pid pid,
                     struct lc_term *out, size_t max)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return 0;
}

size_t lc_reg_count(lc_pid reg)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return 0;
}

int lc_reg_dispatch(lc_pid reg, const char *key, lc_reg_dispatch_fn *fn,
                    void *ctx)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}

static int key_fmt(char out[LC_REG_KEY_MAX], const char *tag, const char *fmt,
                   const void *v)
{
    if (tag == NULL || tag[0] == '\0') {
        return LC_EINVAL;
    }
    int n = fmt[1] == 's' ? snprintf(out, LC_REG_KEY_MAX, "{%s,%s}", tag,
                                     (const char *)v)
                          : snprintf(out, LC_REG_KEY_MAX, "{%s,%lld}", tag,
                                     (long long)*(const int64_t *)v);
    return n >= 0 && n < LC_REG_KEY_MAX ? 0 : LC_ERANGE;
}

int lc_reg_key_int(char out[LC_REG_KEY_MAX], const char *tag, int64_t id)
{
    return key_fmt(out, tag, "%d", &id);
}

int lc_reg_key_str(char out[LC_REG_KEY_MAX], const char *tag, const char *s)
{
    return s == NULL ? LC_EINVAL : key_fmt(out, tag, "%s", s);
}

/* What the starter hands the new server: its callbacks, their argument,
   and where to register. The starter waits during init, so this can live
   on its stack; 'holder' carries a taken key's holder back to it. */
struct via_start {
    const struct lc_gs_ops *ops;
    void *arg;
    lc_pid reg;
    const char *key;
    lc_pid holder;
};

/* A via server's state: its own callbacks and the state they made. */
struct via_state {
    const struct lc_gs_ops *ops;
    void *state;
};

int lc_reg_via_start(lc_pid reg, const char *key, const struct lc_gs_ops *ops,
                     void *arg, const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}

int lc_reg_via_start_link(lc_pid reg, const char *key,
                          const struct lc_gs_ops *ops, void *arg,
                          const struct lc_gs_opts *opts, lc_pid *pid,
                          struct lc_reason *why)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}

struct lc_msg *lc_reg_via_call(lc_pid reg, const char *key, int tag,
                               const void *req, size_t size, int64_t timeout_ms)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return NULL;
}

int lc_reg_via_cast(lc_pid reg, const char *key, int tag, const void *req,
                    size_t size)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return 0;
}

int lc_reg_via_send(lc_pid reg, const char *key, int tag, const void *data,
                    size_t size)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}
