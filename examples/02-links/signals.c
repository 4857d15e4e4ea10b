/*
 * signals.c - chapter 2: the rules of exit signals, measured. For each kind
 * of signal, the program starts a fresh target process -- once not trapping
 * exits, once trapping -- sends it the signal, and prints what became of the
 * target: it lives on, it ends with some reason, or it gets an EXIT message.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

enum {
    FROM_PEER,
    FROM_SENDER,
    FROM_SELF
};

struct row {
    const char *what;
    int how;                 /* who sends the signal */
    struct lc_reason reason; /* what it carries */
};

static lc_pid sender, target, peer;
static struct {
    const struct row *row; /* the signal */
    bool trap;             /* whether the target traps exits */
} now;
static char result[128]; /* what became of the target */

static const char *who(lc_pid pid)
{
    return pid == peer ? "peer" : pid == sender ? "sender" : "self";
}

/* The target's end, if it comes before the target has seen anything. */
static void target_ended(lc_pid pid, const struct lc_reason *why)
{
    if (pid == target && result[0] == '\0') {
        char r[96];
        lc_reason_format(r, sizeof r, why);
        snprintf(result, sizeof result, "ends: %s", r);
    }
}

/* A linked peer: ends after 10 ms with the row's reason. */
static void peer_fn(void *arg)
{
    const struct row *row = arg;
    lc_sleep(10);
    if (!lc_reason_eq(&row->reason, &(struct lc_reason){ 0 })) {
        lc_exit(row->reason);
    }
}

/* region: target */
static void target_fn(void *arg)
{
    (void)arg;
    const struct row *row = now.row;
    lc_trap_exit(now.trap);
    if (row->how == FROM_PEER) {
        peer = lc_spawn_link(peer_fn, (void *)row);
    }
    if (row->how == FROM_SELF) {
        lc_sleep(10);
        lc_exit_signal(lc_self(), row->reason);
    }
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 50);
    if (m == NULL) {
        snprintf(result, sizeof result, "lives on");
        return;
    }
    const struct lc_exit_msg *x = (const struct lc_exit_msg *)m->data;
    char r[64];
    lc_reason_format(r, sizeof r, &x->reason);
    snprintf(result, sizeof result, "{EXIT, %s, %s}", who(x->from), r);
    lc_msg_free(m);
}
/* endregion */

static const char *run(const struct row *row, bool trap)
{
    now.row = row;
    now.trap = trap;
    result[0] = '\0';
    peer = LC_NOPID;
    target = lc_spawn(target_fn, NULL);
    if (row->how == FROM_SENDER) {
        lc_sleep(10);
        lc_exit_signal(target, row->reason);
    }
    lc_sleep(100);
    return result;
}

static void main_process(void *arg)
{
    (void)arg;
    sender = lc_self();
    struct lc_reason normal = lc_reason(LC_A_NORMAL),
                     boom = lc_reason(lc_atom_intern("boom")),
                     kill = lc_reason(LC_A_KILL);
    const struct row rows[] = {
        { "a linked peer ends: normal", FROM_PEER, { 0 } },
        { "a linked peer ends: boom", FROM_PEER, boom },
        { "a linked peer ends: kill", FROM_PEER, kill },
        { "exit_signal(it, normal)", FROM_SENDER, normal },
        { "exit_signal(it, boom)", FROM_SENDER, boom },
        { "exit_signal(it, kill)", FROM_SENDER, kill },
        { "exit_signal(self, normal)", FROM_SELF, normal },
    };
    printf("%-28s%-22s%s\n", "signal", "target not trapping",
           "target trapping");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char plain[64];
        snprintf(plain, sizeof plain, "%s", run(&rows[i], false));
        printf("%-28s%-22s%s\n", rows[i].what, plain, run(&rows[i], true));
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(target_ended);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
