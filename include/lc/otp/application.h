/*
 * application.h - applications (chapter 10; the student writes
 * application.c).
 *
 * A supervision tree is one system; a program is several. An application
 * is a tree with a name, a list of the applications it needs running
 * first, and a start callback that starts its top supervisor. The program
 * then starts and stops whole applications -- in dependency order -- and
 * no longer starts processes by hand.
 *
 *     static const char *const kv_deps[] = { "logger" };
 *     static const struct lc_app_spec kv_app = {
 *         .name = "kv", .deps = kv_deps, .ndeps = 1,
 *         .start = kv_app_start,              starts the top supervisor
 *     };
 *     lc_app_load(&kv_app);
 *     lc_app_ensure_all_started("kv", LC_APP_TEMPORARY, NULL, 0, NULL, &err);
 *
 * How it runs, as in OTP: an application controller (a generic server
 * registered as "application_controller", started by the first call here)
 * keeps the loaded specs and the running applications in start order. Each
 * running application has an application master, a process drawn with
 * role LC_ROLE_APPLICATION above its top supervisor: the master runs the
 * start callback (so the top supervisor is linked to it), traps exits, and
 * is the one that stops the tree.
 *
 * The rules are OTP's (shared reference: otp-semantics.md, section 8):
 *  A1 start refuses an application that runs (already_started) or whose
 *     dependency does not (not_started, the first missing one named;
 *     not_running if that one ended on its own, A5); it never starts
 *     dependencies itself.
 *  A2 a start callback that fails makes the start fail with its reason.
 *  A3 ensure_all_started starts the missing dependencies first, in order,
 *     says which it started, and on failure stops them again.
 *  A4 stop: prep_stop, the tree shut down (newest child first), stop; it
 *     touches neither dependencies nor dependents. Stopping all
 *     applications goes in reverse start order.
 *  A5 a top supervisor that ends on its own ends its application (prep_stop
 *     and stop run); then the restart type decides: temporary -- reported
 *     only; transient -- reported only if the reason is normal; permanent,
 *     or transient with another reason -- "the node stops".
 *
 * What C changes from OTP, and why:
 *  - Specs are C structs, loaded with lc_app_load() (OTP reads .app files).
 *    A name is a string of at most LC_APP_NAME_MAX - 1 bytes; in reasons it
 *    is the atom of the same name.
 *  - OTP's {error, {R, {Mod, start, [normal, Args]}}} is LC_ESTART with
 *    err->app the application and err->reason R; a callback that returns a
 *    positive N, or 0 without a top (LC_NOPID), is {bad_return, N}. A
 *    callback that raises R gives R alone (OTP: {bad_return, {{Mod, start,
 *    Args}, {'EXIT', R}}}: a reason here holds one value). A top that has
 *    already ended is taken, as OTP does: the master links to it and the
 *    application ends at once (A5).
 *  - "The node stops": a kit program has no node to halt. Every application
 *    still running is stopped, newest first, the controller refuses any
 *    further start (LC_EPERM), and lc_app_halted() says so and why: the
 *    program decides what to do (an example prints it and returns).
 */
#ifndef LC_APPLICATION_H
#define LC_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>

#include "lc/lc.h"

#define LC_APP_NAME_MAX 32
#define LC_APP_MAX      16 /* applications the controller can load */

/* The name the controller is registered under. */
#define LC_APP_CONTROLLER "application_controller"

/* What happens to the program when the application's tree ends on its own
   (A5). The type is given at start; OTP's default is temporary. */
enum lc_app_type {
    LC_APP_TEMPORARY, /* report it; the others run on */
    LC_APP_TRANSIENT, /* report it if the reason is normal; else halt */
    LC_APP_PERMANENT  /* halt: every application stops */
};

/* region: spec */
struct lc_app_spec {
    const char *name;        /* unique among loaded applications */
    const char *const *deps; /* applications that must run first, in order */
    size_t ndeps;
    /* Start the top supervisor, linked to the caller (the application
       master), and set *top; *state may be set for prep_stop and stop
       (OTP's {ok, Pid, State}). Return 0, or a negative code with *why
       set. Required. */
    int (*start)(void *arg, lc_pid *top, void **state, struct lc_reason *why);
    void *arg; /* start's argument; must outlive the application */
    /* Before the tree is shut down (it still runs); returns the state that
       stop gets. NULL: stop gets start's state. */
    void *(*prep_stop)(void *state);
    /* After the tree is gone. NULL: nothing. */
    void (*stop)(void *state);
};
/* endregion */

/* Why a start failed. */
struct lc_app_error {
    char app[LC_APP_NAME_MAX]; /* the application that failed */
    struct lc_reason reason;   /* {not_started, Dep}, {already_started, App},
                                  the callback's reason, {bad_return, N} */
};

/*
 * Load 'spec' (which must outlive the controller: static data). Returns 0,
 * LC_EEXIST if an application of that name is loaded, LC_EINVAL (no name,
 * a name too long, no start callback) or LC_EMAX. Must be called by a
 * process, as every call here -- and, unlike OTP, never from a start,
 * prep_stop or stop callback: the controller is waiting for that callback
 * to end, so the call would wait forever (OTP's controller is busy during
 * a stop only).
 */
int lc_app_load(const struct lc_app_spec *spec);

/*
 * Start application 'name' (A1, A2). Its dependencies must run: they are
 * not started here. 'err' may be NULL. Returns 0, or:
 *   LC_ENOENT    'name' is not loaded;
 *   LC_EALREADY  it runs: err->reason is {already_started, Name};
 *   LC_ESTART    a dependency does not run: err->reason is {not_started,
 *                Dep} for the first in deps order ({not_running, Dep} if it
 *                ended on its own, A5); or the start callback failed:
 *                err->app is 'name', err->reason its reason (or
 *                {bad_return, N});
 *   LC_EPERM     the program has halted (A5).
 */
int lc_app_start(const char *name, enum lc_app_type type,
                 struct lc_app_error *err);

/*
 * Start 'name' and every dependency that does not run, dependencies first
 * (depth first, in deps order), each with 'type' (A3). The names this call
 * started are written to started[0..max) in start order and their count to
 * *nstarted ('started' and 'nstarted' may be NULL): none if all ran. On
 * failure, returns lc_app_start()'s error for the application that failed
 * (err->app names it) after stopping, newest first, what this call had
 * started. LC_ENOENT for a name or dependency that is not loaded, with
 * err->app naming it.
 */
int lc_app_ensure_all_started(const char *name, enum lc_app_type type,
                              char (*started)[LC_APP_NAME_MAX], size_t max,
                              size_t *nstarted, struct lc_app_error *err);

/*
 * Stop application 'name' (A4): prep_stop, its tree shut down, stop, and
 * the master ends. Waits until all of it is done. Returns 0 (also for an
 * application that ended on its own, A5: it is forgotten), or LC_ENOENT if
 * it neither runs nor ended (OTP's {not_started, Name}).
 */
int lc_app_stop(const char *name);

/* Stop every running application, newest first (OTP's init:stop/0).
   Returns how many were stopped. */
size_t lc_app_stop_all(void);

/* Write the names of the running applications, newest first (OTP's
   which_applications), into out[0..max). Returns how many run. */
size_t lc_app_which(char (*out)[LC_APP_NAME_MAX], size_t max);

/* The pid of the top supervisor of running application 'name', or
   LC_NOPID. */
lc_pid lc_app_top(const char *name);

/* True if the program has halted (A5); *why (may be NULL) then says which
   application's end halted it (why->app) and its reason (why->reason). */
bool lc_app_halted(struct lc_app_error *why);

#endif /* LC_APPLICATION_H */
