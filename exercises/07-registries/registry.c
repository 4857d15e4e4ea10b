/*
 * registry.c - a process registry and via names (chapter 7).
 *
 * The registry is a generic server that traps exits and owns one table.
 * The table is two hash tables over the same entries:
 *
 *   keys:   key string -> the entries under it, oldest first (lookups)
 *   owners: pid        -> the entries of that process, oldest first
 *
 * so a lookup hashes its key and reads one short chain, and the cleanup
 * after a process ends walks that process's own entries and nothing else.
 *
 * Who touches the table: the calling process, directly. The kit runs all
 * processes on one OS thread and switches between them only inside kernel
 * calls (a send, a receive...), so a function that reads or changes the
 * table without making such a call in the middle is never interrupted by
 * another process: no lock, no message, no round trip. The registry
 * process finds its table through its LC_LOCAL_REGISTRY slot, and so does
 * every reader; the table is freed by a resource of the registry process,
 * so it dies with the registry, however the registry dies.
 *
 * Cleanup is by link, as Elixir's Registry does it (R3): a process that
 * registers links itself to the registry, and the registry, which traps
 * exits, gets an EXIT message when it ends and removes its entries. That
 * EXIT arrives a little later than the end, so readers skip entries whose
 * process is no longer alive: nobody ever gets a dead pid from a lookup.
 * The link also works the other way: if the registry dies, the processes
 * registered in it die too (or get an EXIT if they trap), so none of them
 * goes on believing it can be found.
 */
#include "lc/otp/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

enum {
    REG_T_SYNC = 1
}; /* the registry's only call */

/* The registry's init: trap exits (a registered process's end is a
   message, not our death), make the table and publish it in the slot. */
static int registry_init(void *arg, void **state, struct lc_reason *stop)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_GS_IGNORE;
}

static int registry_call(void *state, int tag, const void *data, size_t size,
                         struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, NULL, 0); /* REG_T_SYNC: the mailbox is handled */
    return LC_GS_CONTINUE;
}

/* The EXIT of a registered process: its entries go. (Its parent's EXIT
   never gets here: the generic server stops on it.) */
static int registry_info(void *state, const struct lc_msg *m,
                         struct lc_reason *stop)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops registry_ops = {
    .init = registry_init,
    .handle_call = registry_call,
    .handle_info = registry_info,
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

void lc_reg_sync(lc_pid reg)
{
    lc_msg_free(lc_gs_call(reg, REG_T_SYNC, NULL, 0, LC_INFINITY));
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
