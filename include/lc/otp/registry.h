/*
 * registry.h - process registries and via names (chapter 7; the student
 * writes registry.c).
 *
 * A registered name (names.h) is one string per process, one process per
 * string. A system of many servers -- one per user, one per to-do list, a
 * pool of numbered workers -- needs more: many keys, keys that say what a
 * process is for ({worker,3}), and a value stored with each one. A registry
 * is a process that owns a table of keys -> processes:
 *
 *     lc_pid reg;
 *     lc_reg_start_link(&(struct lc_reg_opts){ .name = "my_registry" },
 *                       &reg, NULL);
 *     lc_reg_register(reg, "{worker,3}", lc_int(42), NULL);  as the worker
 *     lc_pid w = lc_reg_whereis(reg, "{worker,3}");          anyone
 *
 * A process registers only itself. When it ends, however it ends, its keys
 * go away. Keys are unique (one live process per key: a second register
 * answers LC_EEXIST with the holder) or duplicate (any number of processes
 * under one key, e.g. the subscribers of a topic).
 *
 * Via names: a generic server can be started under a registry key instead
 * of a registered name (lc_reg_via_start_link), and called, cast to and sent
 * to by that key. A supervisor that restarts it starts it under the same
 * key again, so whoever uses the key finds the new process.
 *
 * The rules are Elixir's Registry (otp-semantics.md section 7, R1-R5, and
 * N4/N5 for via names). What C changes, and why:
 *  - A key is a string of 1 to LC_REG_KEY_MAX - 1 bytes, not any term;
 *    lc_reg_key_int() and lc_reg_key_str() write the tuple keys the book
 *    uses ({worker,3}, {server,Bob's list}) as such strings. Keys are
 *    compared byte for byte, as === compares terms.
 *  - A value is one small term (struct lc_term: an atom, an integer, a pid
 *    or a reference), not any term.
 *  - Register returns 0 rather than {ok, Owner}; a taken key is LC_EEXIST
 *    with the holder (Elixir's {error, {already_registered, Pid}}).
 *  - The reads (lookup, whereis, keys, values, count, dispatch) and the
 *    writes (register, unregister) are made by the calling process on the
 *    registry's table directly, with no message to the registry: the kit
 *    runs every process on one OS thread, so no two processes ever touch
 *    the table at once, as Elixir's readers read ETS directly. The
 *    registry process owns the table: it dies with it.
 *  - Elixir links each registered process to the registry and cleans up
 *    when the EXIT arrives, a little later (R3). Here the registry keeps
 *    that bond in its own table and acts on it as a process ends (an exit
 *    hook, like the kit's registered names): a process's keys are gone
 *    before anyone can see it end, and when the registry ends, each
 *    process still registered in it gets what the link to Elixir's
 *    partition would give it -- an EXIT if it traps exits, otherwise
 *    death -- with the partition's reason: `killed` if the registry was
 *    killed, `shutdown` however else it ended.
 *    lc_links() does not list this bond; figures draw it as a
 *    "registered" edge.
 *  - There are no partitions, and no select/match specs.
 */
#ifndef LC_REGISTRY_H
#define LC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"

/* region: types */
#define LC_REG_KEY_MAX 128 /* bytes of a key, with its NUL */

enum lc_reg_keys {
    LC_REG_UNIQUE,   /* at most one live process per key */
    LC_REG_DUPLICATE /* any number, the same process even several times */
};

struct lc_reg_opts {
    enum lc_reg_keys keys; /* default LC_REG_UNIQUE */
    const char *name;      /* register the registry under this name
                              (names.h), or NULL; must outlive the
                              registry (a string literal) */
};

/* One registration, as lookups return it. */
struct lc_reg_entry {
    lc_pid pid;
    struct lc_term value;
};
/* endregion */

/* region: start */
/*
 * Start a registry linked to the caller (a generic server that traps
 * exits and serves no request) and wait until it is ready. 'opts' may be NULL:
 * unique keys, no name. Returns lc_gs_start_link()'s results: 0 with *pid set,
 * LC_EALREADY when opts->name is taken (*pid is its holder), LC_ESTART with
 * *why. 'why' may be NULL.
 */
int lc_reg_start_link(const struct lc_reg_opts *opts, lc_pid *pid,
                      struct lc_reason *why);

/* The registry's child spec: id 'id', started with lc_reg_start_link()
   and the supervisor's own copy of *opts; a permanent worker. */
struct lc_child_spec lc_reg_child_spec(const char *id,
                                       const struct lc_reg_opts *opts);
/* endregion */

/* region: write */
/*
 * Register the calling process under 'key' with 'value', bound to the
 * registry: its keys go when it ends, and it ends (or gets an EXIT) when
 * the registry does. Returns 0, or:
 *   LC_EEXIST   unique keys: a process holds 'key' -- the caller itself
 *               too -- and *holder (if not NULL) is that process;
 *   LC_EINVAL   'key' is NULL, empty or LC_REG_KEY_MAX bytes or longer;
 *   LC_ENOPROC  'reg' is not a running registry;
 *   LC_ENOMEM.
 * Must be called by a process.
 */
int lc_reg_register(lc_pid reg, const char *key, struct lc_term value,
                    lc_pid *holder);

/* Remove every registration of the calling process under 'key' (none is
   not an error); a process left with no key is no longer bound to the
   registry (its end no longer touches the process).
   Returns 0, LC_EINVAL (bad key) or LC_ENOPROC (no such registry). */
int lc_reg_unregister(lc_pid reg, const char *key);
/* endregion */

/* region: read */
/*
 * The processes under 'key', oldest registration first: up to 'max'
 * into out[]. Returns how many there are (0 or 1 in a unique registry; 0
 * for a bad key or a registry that is not running).
 */
size_t lc_reg_lookup(lc_pid reg, const char *key, struct lc_reg_entry *out,
                     size_t max);

/* The process under 'key' in a unique registry, or LC_NOPID. */
lc_pid lc_reg_whereis(lc_pid reg, const char *key);

/* The keys 'pid' holds, the newest first (as Elixir's keys/2), one per
   registration (a duplicate key held twice is listed twice): up to 'max'
   pointers into out[], valid until the caller next sends, receives,
   yields or registers. Returns how many keys 'pid' holds. */
size_t lc_reg_keys(lc_pid reg, lc_pid pid, const char **out, size_t max);

/* The values 'pid' registered under 'key', oldest first: up to 'max' into
   out[]. Returns how many there are. */
size_t lc_reg_values(lc_pid reg, const char *key, lc_pid pid,
                     struct lc_term *out, size_t max);

/* Registrations in the table, each duplicate one counted (0 for a registry
   that is not running). */
size_t lc_reg_count(lc_pid reg);

/* Called by lc_reg_dispatch() with the live entries under the key. */
typedef void lc_reg_dispatch_fn(const struct lc_reg_entry *entries, size_t n,
                                void *ctx);

/*
 * Call fn(entries, n, ctx) once with every registration under 'key' --
 * not at all when there is none. fn gets a copy, so it may send,
 * register or unregister. Returns 0, or LC_ENOMEM. Must be called by a
 * process.
 */
int lc_reg_dispatch(lc_pid reg, const char *key, lc_reg_dispatch_fn *fn,
                    void *ctx);

/* endregion */

/* region: keys */
/* Write the key {tag,id} ("{worker,3}") into out. Returns 0, LC_EINVAL for
   a NULL or empty tag, or LC_ERANGE if it does not fit. */
int lc_reg_key_int(char out[LC_REG_KEY_MAX], const char *tag, int64_t id);

/* Write the key {tag,s} ("{server,Bob's list}") into out. As above. */
int lc_reg_key_str(char out[LC_REG_KEY_MAX], const char *tag, const char *s);
/* endregion */

/* region: via */
/*
 * Via names (OTP's {via, Registry, {Reg, Key}}): a generic server started
 * under a key of a unique registry. The new server registers the key as
 * its first act, before its init runs (value: none), so init may use it;
 * if init fails the key is freed before the start returns. Returns
 * lc_gs_start_link()'s results (lc_gs_start()'s for lc_reg_via_start), and
 * LC_EALREADY with *pid the holder when 'key' is taken -- found before
 * anything is spawned, or, if another process took it meanwhile, by the
 * new server, which then ends `normal` (N5). LC_ESTART with *why badarg
 * for a bad key, a registry that is not running or one with duplicate
 * keys (a via name must name one process: R5). 'why' may be NULL.
 */
int lc_reg_via_start(lc_pid reg, const char *key, const struct lc_gs_ops *ops,
                     void *arg, const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why);
int lc_reg_via_start_link(lc_pid reg, const char *key,
                          const struct lc_gs_ops *ops, void *arg,
                          const struct lc_gs_opts *opts, lc_pid *pid,
                          struct lc_reason *why);

/* Call the server under 'key': as lc_gs_call(). With no process under the
   key the caller exits {noproc, {call}}, as a call to a dead pid. */
struct lc_msg *lc_reg_via_call(lc_pid reg, const char *key, int tag,
                               const void *req, size_t size,
                               int64_t timeout_ms);

/* Cast to the server under 'key'. Returns 0 even when there is none. */
int lc_reg_via_cast(lc_pid reg, const char *key, int tag, const void *req,
                    size_t size);

/* Send a message to the process under 'key'. With none, the sender gets
   the error `badarg` raised (lc_error), as lc_send_named(). */
int lc_reg_via_send(lc_pid reg, const char *key, int tag, const void *data,
                    size_t size);
/* endregion */

#endif /* LC_REGISTRY_H */
