/*
 * term.h - atoms, small values and exit reasons.
 *
 * Erlang describes why a process ended with a term: `normal`, `killed`,
 * `{shutdown, db_down}`, `{badarith, Stack}`. C has no terms, so the kit
 * keeps the few shapes OTP actually uses:
 *
 *   lc_atom         an interned name, compared as an integer ("normal").
 *   struct lc_term  one small value: an atom, an integer, a pid or a ref.
 *   struct lc_reason  an exit reason: an atom that names it, an optional
 *                   value ({kind, value}), where it was raised, and the
 *                   call it travelled through.
 *
 * All three are plain values with no pointers to process memory, so they are
 * copied into messages like any other bytes. A reason's 'where' points to a
 * string literal ("links.c:42"), which lives as long as the program.
 */
#ifndef LC_TERM_H
#define LC_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A process identifier: (generation << 32) | slot. 0 names no process. */
typedef uint64_t lc_pid;
#define LC_NOPID ((lc_pid)0)

/* An interned name. Two atoms are equal when their names are equal. */
typedef uint32_t lc_atom;

/* The atoms the kernel and the OTP layers use, in a fixed order. */
#define LC_ATOM_MAP(X)                                \
    X(NONE, "")                                       \
    X(NORMAL, "normal")                               \
    X(KILL, "kill")                                   \
    X(KILLED, "killed")                               \
    X(SHUTDOWN, "shutdown")                           \
    X(NOPROC, "noproc")                               \
    X(TIMEOUT, "timeout")                             \
    X(CALLING_SELF, "calling_self")                   \
    X(ERROR, "error")                                 \
    X(EXIT, "exit")                                   \
    X(THROW, "throw")                                 \
    X(NOCATCH, "nocatch")                             \
    X(BADARG, "badarg")                               \
    X(BADARITH, "badarith")                           \
    X(BADMATCH, "badmatch")                           \
    X(NULL_POINTER, "null_pointer")                   \
    X(SEGV, "segv")                                   \
    X(SIGBUS, "sigbus")                               \
    X(SIGILL, "sigill")                               \
    X(STACK_OVERFLOW, "stack_overflow")               \
    X(UNDEFINED, "undefined")                         \
    X(OK, "ok")                                       \
    X(TRUE, "true")                                   \
    X(FALSE, "false")                                 \
    X(CALL, "call")                                   \
    X(TODO, "todo")                                   \
    X(IGNORE, "ignore")                               \
    X(ALREADY_STARTED, "already_started")             \
    X(BAD_RETURN_VALUE, "bad_return_value")           \
    X(FAILED_TO_START_CHILD, "failed_to_start_child") \
    X(ENOMEM, "enomem")                               \
    X(INFINITY, "infinity")

enum {
#define LC__ATOM_ENUM(id, name) LC_A_##id,
    LC_ATOM_MAP(LC__ATOM_ENUM)
#undef LC__ATOM_ENUM
    LC_A__PREDEFINED /* first atom that lc_atom_intern() hands out */
};

/*
 * Return the atom named 'name', creating it on first use. Atoms live until
 * the program ends and are shared by every runtime it starts, so a program
 * may keep them in static variables. Names are at most 63 bytes; a longer
 * name, NULL or "" returns LC_A_NONE.
 */
lc_atom lc_atom_intern(const char *name);

/* The name of 'a' ("normal"); "?" for a number that is no atom. */
const char *lc_atom_name(lc_atom a);

/* --- Small values ------------------------------------------------------- */

enum lc_type {
    LC_T_NONE, /* no value */
    LC_T_ATOM, /* u.atom */
    LC_T_INT,  /* u.i */
    LC_T_PID,  /* u.pid */
    LC_T_REF   /* u.ref, a reference from lc_ref_make() */
};

struct lc_term {
    enum lc_type type;
    union {
        lc_atom atom;
        int64_t i;
        lc_pid pid;
        uint64_t ref;
    } u;
};

static inline struct lc_term lc_none(void)
{
    return (struct lc_term){ .type = LC_T_NONE };
}

static inline struct lc_term lc_atom_term(lc_atom a)
{
    return (struct lc_term){ .type = LC_T_ATOM, .u.atom = a };
}

static inline struct lc_term lc_int(int64_t i)
{
    return (struct lc_term){ .type = LC_T_INT, .u.i = i };
}

static inline struct lc_term lc_pid_term(lc_pid p)
{
    return (struct lc_term){ .type = LC_T_PID, .u.pid = p };
}

static inline struct lc_term lc_ref_term(uint64_t r)
{
    return (struct lc_term){ .type = LC_T_REF, .u.ref = r };
}

/* True when 'a' and 'b' have the same type and the same value. */
bool lc_term_eq(struct lc_term a, struct lc_term b);

/*
 * Write 'pid' as "<0.SLOT.GEN>" into buf[0..n). Returns the length the full
 * text needs, like snprintf; the text is cut (and terminated) if n is small.
 */
int lc_pid_format(char *buf, size_t n, lc_pid pid);

/* Write 't' in Erlang notation: badarg, 42, <0.3.0>, #Ref<42>. As above. */
int lc_term_format(char *buf, size_t n, struct lc_term t);

/* --- Exit reasons ------------------------------------------------------- */

/*
 * Why a process ended. How each shape prints, and what it means:
 *
 *   {kind}                      normal, kill, killed, shutdown, noproc, ...
 *   {kind, value}               {shutdown, db_down}, {my_reason, 42}
 *   {error, value, where}       {badarg, "links.c:42"}: an uncaught error,
 *                               OTP's {Reason, Stack} with file:line for Stack
 *   {nocatch, value, where}     {{nocatch, 42}, "f.c:7"}: an uncaught throw
 *   {null_pointer | badarith}   hardware faults raised as errors: where names
 *                               the signal ("SIGSEGV in the null page")
 *   {stack_overflow}, {segv},   hardware faults that end the process at once
 *   {sigbus}, {sigill}
 *
 * 'via' is set when the reason reached this process through a call:
 * {noproc, {call}} is "the server I called does not exist".
 */
struct lc_reason {
    lc_atom kind;         /* the atom that names the reason */
    lc_atom via;          /* LC_A_CALL if it came through a call, else 0 */
    struct lc_term value; /* the value of {kind, value}; LC_T_NONE if bare */
    const char *where;    /* "file.c:42" of the raise or fault, or NULL */
};

/* A bare reason: lc_reason(LC_A_NORMAL) is `normal`. */
static inline struct lc_reason lc_reason(lc_atom kind)
{
    return (struct lc_reason){ .kind = kind };
}

/* A reason with a value: lc_reason_with(LC_A_SHUTDOWN, v) is {shutdown, v}. */
static inline struct lc_reason lc_reason_with(lc_atom kind, struct lc_term v)
{
    return (struct lc_reason){ .kind = kind, .value = v };
}

/* Equal kind, via and value. 'where' is ignored: it is a location, not a
 * part of the reason OTP would compare. */
bool lc_reason_eq(const struct lc_reason *a, const struct lc_reason *b);

/* True if 'r' is exactly the bare atom 'kind' (`kill`, not {kill, _} and
 * not one that came through a call): the test for "a plain kill" and the
 * like, written once. */
bool lc_reason_is(const struct lc_reason *r, lc_atom kind);

/* True for the reasons OTP treats as a clean end: normal, shutdown and
 * {shutdown, _}. Supervisors use it to decide what a transient child's exit
 * means. */
bool lc_reason_is_clean(const struct lc_reason *r);

/* Write 'r' as OTP would print it (see the table above). As snprintf. */
int lc_reason_format(char *buf, size_t n, const struct lc_reason *r);

#endif /* LC_TERM_H */
