/*
 * msg.h - messages, mailboxes and selective receive.
 *
 * Processes share nothing; they talk by sending messages. A send copies the
 * bytes into a new message and appends it to the receiver's mailbox, so the
 * receiver never sees the sender's memory and the sender may reuse its buffer
 * at once (this is what the BEAM does, and why a crash in one process cannot
 * corrupt another through a message).
 *
 * A message has a tag (what kind of message it is), the sender's pid, an
 * optional reference (what it answers) and a payload. A receive takes the
 * *first* message in the mailbox that matches what it asks for -- any message,
 * a tag, a reference or any predicate -- and leaves the others in order for a
 * later receive. That is selective receive.
 */
#ifndef LC_MSG_H
#define LC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/kernel/term.h"

/* Timeouts of receive, in milliseconds: a number, 0 (just look), or: */
#define LC_INFINITY ((int64_t)-1)

/* Tags below 0 belong to the OTP layers (EXIT, DOWN, calls, ...). */
#define LC_TAG_USER_MIN 0

struct lc_msg {
    struct lc_msg *next;   /* private: the mailbox or the held list */
    struct lc_msg **pprev; /* private: the held list */
    lc_pid from;           /* sender; LC_NOPID if sent from outside processes */
    uint64_t ref;          /* the reference it carries, or 0 */
    int tag;               /* what kind of message it is */
    uint32_t size;         /* bytes in 'data' */
    _Alignas(16) unsigned char data[]; /* a copy of what was sent */
};

/*
 * Copy data[0..size) into a new message for 'to'. Sending to a process that
 * has ended is not an error: the message is dropped, as in Erlang. Costs one
 * reduction, and may therefore let other processes run before it returns.
 *
 * Returns 0, LC_EINVAL if size is over 16 MiB, or LC_ENOMEM.
 */
int lc_send(lc_pid to, int tag, const void *data, size_t size);

/* As lc_send(), with a reference in the message's 'ref' field. */
int lc_send_ref(lc_pid to, int tag, uint64_t ref, const void *data,
                size_t size);

/* A reference no other call in this runtime returns (never 0). Making a
 * reference also marks the mailbox, so that lc_receive_ref() need not scan
 * messages that arrived before it. */
uint64_t lc_ref_make(void);

/* A predicate for lc_receive_match(): true if 'm' is wanted. It runs in the
 * receiving process and must not send, receive or wait. */
typedef bool lc_match_fn(const struct lc_msg *m, const void *ctx);

/*
 * Take the first message in the mailbox that 'match' accepts. If there is
 * none, wait up to 'timeout_ms' for one (LC_INFINITY: forever; 0: do not
 * wait). Messages that do not match stay where they are, in order.
 *
 * Returns the message, now owned by the caller until lc_msg_free() or the
 * process's exit, or NULL on timeout. Only a process may receive.
 */
struct lc_msg *lc_receive_match(lc_match_fn *match, const void *ctx,
                                int64_t timeout_ms);

/* The common matchers, faster than a predicate: */
struct lc_msg *lc_receive(int64_t timeout_ms); /* any message */
struct lc_msg *lc_receive_tag(int tag, int64_t timeout_ms);
struct lc_msg *lc_receive_ref(uint64_t ref, int64_t timeout_ms);

/* Free a received message. NULL is ignored. */
void lc_msg_free(struct lc_msg *m);

/* Messages waiting in the caller's mailbox. */
size_t lc_mailbox_len(void);

#endif /* LC_MSG_H */
