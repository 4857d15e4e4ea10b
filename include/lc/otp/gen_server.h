/*
 * gen_server.h - the generic server (chapter 4; the student writes
 * gen_server.c).
 *
 * Most processes in an OTP system are servers of the same shape: start,
 * initialise some state, then loop -- receive a request, update the state,
 * maybe answer -- until told to stop. The generic server writes that loop
 * once, correctly (start handshake, calls with references and monitors,
 * orderly termination); a particular server only supplies callbacks.
 *
 *     static const struct lc_gs_ops counter_ops = {
 *         .init = counter_init,            set up the state
 *         .handle_call = counter_call,     requests that want an answer
 *         .handle_cast = counter_cast,     requests that do not
 *         .handle_info = counter_info,     any other message
 *         .terminate = counter_terminate,  last words (when trapping exits)
 *     };
 *
 * Callbacks return LC_GS_CONTINUE to go on, or LC_GS_STOP after setting
 * *stop to the reason the server should end with. They run in the server
 * process; a callback that raises an exception ends the server too, with
 * the exception's reason, after terminate has run.
 *
 * What C changes from OTP: the state is a pointer the callbacks update in
 * place (OTP returns a new state); a call's answer is sent with
 * lc_gs_reply() (OTP returns {reply, R, S}); replies given during a
 * callback that then stops are sent after terminate has run, as OTP does;
 * an lc_throw() out of a callback is an exception like the others (it ends
 * the server with {nocatch, V}), where OTP takes the thrown value as the
 * callback's return value.
 */
#ifndef LC_GEN_SERVER_H
#define LC_GEN_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

enum {
    LC_TAG_GS_CALL = -10, /* payload: struct lc_gs_request */
    LC_TAG_GS_CAST = -11, /* payload: struct lc_gs_request */
    LC_TAG_GS_ACK = -12,  /* the end of init, to the starter */
    LC_TAG_GS_STOP = -13, /* lc_gs_stop()'s request: struct lc_reason */
    LC_TAG_GS_INIT = -14  /* the starter's arguments, to the new server */
};

/* How a call or a cast travels: the caller's tag and bytes, framed. */
struct lc_gs_request {
    int tag;       /* the tag given to lc_gs_call() / lc_gs_cast() */
    uint32_t size; /* bytes in data */
    _Alignas(16) unsigned char data[];
};

/* Who made a call: enough to answer it, now or later. */
struct lc_gs_from {
    lc_pid pid;   /* the caller */
    uint64_t ref; /* the call's reference */
};

/* region: ops */
enum {
    LC_GS_CONTINUE = 0, /* keep serving */
    LC_GS_STOP = 1,     /* end with *stop */
    LC_GS_IGNORE = 2    /* init only: do not start, no error */
};

struct lc_gs_ops {
    /* Set *state (allocate it with lc_alloc(): it dies with the server).
     * 'arg' is the caller's pointer and is valid only during init: the
     * caller waits for init to finish. Return LC_GS_CONTINUE to run,
     * LC_GS_IGNORE to end normally without starting, or LC_GS_STOP with
     * *stop set to fail the start. Required. */
    int (*init)(void *arg, void **state, struct lc_reason *stop);
    /* A call from 'from'. Answer with lc_gs_reply(from, ...), now or in a
     * later callback. NULL: calls are an error (the server ends with the
     * error `undef`). */
    int (*handle_call)(void *state, int tag, const void *data, size_t size,
                       struct lc_gs_from from, struct lc_reason *stop);
    /* A cast. NULL: casts are an error (`undef`, as for calls). */
    int (*handle_cast)(void *state, int tag, const void *data, size_t size,
                       struct lc_reason *stop);
    /* Any other message (an EXIT from a non-parent, a DOWN, a timer...).
     * NULL: such messages are dropped. */
    int (*handle_info)(void *state, const struct lc_msg *msg,
                       struct lc_reason *stop);
    /* The server is ending with 'why': a callback asked to stop or raised,
     * lc_gs_stop() was called, or -- only if the server traps exits -- its
     * parent ended. Not called when the server is killed. NULL: nothing. */
    void (*terminate)(void *state, const struct lc_reason *why);
};
/* endregion */

/* region: start */
struct lc_gs_opts {
    const char *name;   /* register under this name (names.h), or NULL */
    int64_t timeout_ms; /* for init; 0 or LC_INFINITY: wait forever */
    size_t stack_size;  /* 0: the default */
};

/*
 * Start a server and wait until its init has returned. 'opts' may be NULL.
 * With a name, the server registers it before init runs, and a failed
 * start frees it again before this call returns. Returns 0 with *pid set,
 * or:
 *   LC_EIGNORE   init returned LC_GS_IGNORE (the server ended normally);
 *   LC_EALREADY  opts->name is taken: *pid is the process that has it
 *                (nothing is started);
 *   LC_ESTART    init stopped, raised or timed out, or the name is not a
 *                valid name: *why says why (`timeout` for a timeout, the
 *                server is then killed; `badarg` for the name);
 *   an error of lc_spawn_opt() if no process could be made.
 * When it returns an error, the server has ended. 'pid' and 'why' may be
 * NULL. Must be called by a process.
 */
int lc_gs_start(const struct lc_gs_ops *ops, void *arg,
                const struct lc_gs_opts *opts, lc_pid *pid,
                struct lc_reason *why);

/*
 * As lc_gs_start(), and the server is linked to the caller, who becomes its
 * parent. As in OTP, if init fails with a reason other than normal, the
 * link kills a caller that does not trap exits (so this call does not
 * return); a caller that traps gets LC_ESTART and no EXIT message.
 */
int lc_gs_start_link(const struct lc_gs_ops *ops, void *arg,
                     const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why);
/* endregion */

/* region: client */
/*
 * Call the server: as lc_call() (monitors.h), and with the same failures --
 * the caller exits with {timeout | noproc | R | calling_self, {call}}.
 * Returns the reply (tag LC_TAG_REPLY), which the caller frees.
 */
struct lc_msg *lc_gs_call(lc_pid server, int tag, const void *req, size_t size,
                          int64_t timeout_ms);

/* Send a request that wants no answer. Always returns 0, even if the
 * server is dead (OTP's cast never fails). Must be called by a process. */
int lc_gs_cast(lc_pid server, int tag, const void *req, size_t size);

/*
 * Answer the call from 'from'. Called by the server inside a callback, the
 * answer is held until the callback is over -- and if the server then
 * stops, until terminate has run, so the caller hears back only once the
 * server has cleaned up (OTP's {stop, R, Reply, S}). Called by any other
 * process, it is sent at once. Returns 0, LC_ENOMEM, or lc_send()'s error.
 */
int lc_gs_reply(struct lc_gs_from from, const void *data, size_t size);

/*
 * Ask the server to end with 'reason' and wait until it has (terminate runs
 * first). Returns 0. As OTP's gen_server:stop, the caller exits with a bare
 * reason (not a {R, {call}} one: this is not a call): `noproc` if the
 * server is not alive, `timeout` after 'timeout_ms' (LC_INFINITY: forever;
 * the server is not killed), R if the server ended with another reason R
 * (terminate raised, say), or `calling_self` (where OTP would wait forever).
 */
int lc_gs_stop(lc_pid server, struct lc_reason reason, int64_t timeout_ms);
/* endregion */

#endif /* LC_GEN_SERVER_H */
