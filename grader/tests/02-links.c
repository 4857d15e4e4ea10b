/*
 * 02-links.c - graded tests of chapter 2: links, exit signals and trapping
 * exits (lc/otp/links.h).
 *
 * Each test builds a small group of processes on the virtual clock. An exit
 * hook records how every process ended; processes record what they saw in
 * 'seen'; the test asserts after gr_run() has returned. Sleeps order the
 * events: the virtual clock moves only when every process waits, so "sleep
 * 10, then crash" happens after everyone else has linked and is waiting,
 * whatever order the (chaos) scheduler picks.
 *
 * A test of something that must NOT happen ("a normal exit does not kill
 * the linked process") would pass on an empty lc_link(). Each such test
 * also checks a positive half (the link existed, a trapping process did get
 * its EXIT message), so that the untouched exercise fails every test.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

enum {
    NEVER = 1
};

#define MAX_EXITS 4

static struct {
    struct lc_exit_msg exits[MAX_EXITS]; /* EXIT messages received */
    int nexits;
    int ret[8];       /* return values of the calls under test */
    size_t nlinks[8]; /* what lc_links() said */
    lc_pid links[8];
    bool flags[8];
    bool reached;      /* a line that must not run was reached */
    const char *where; /* where a test process raised */
    int edges;         /* link edges between pids[0] and pids[1] */
} seen;

static lc_pid pids[8]; /* the processes of the test */

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    memset(pids, 0, sizeof pids);
    gr_record_exits();
}

static struct lc_reason boom(void)
{
    return lc_reason_with(lc_atom_intern("boom"), lc_int(1));
}

static const char *pid_str(lc_pid pid)
{
    static char buf[4][32];
    static int i;
    i = (i + 1) % 4;
    lc_pid_format(buf[i], sizeof buf[i], pid);
    return buf[i];
}

/* Print 'r' as a test expects it: "..." stands for any 'where'. */
static void format_want(char *buf, size_t n, struct lc_reason r)
{
    if (r.where == NULL) {
        r.where = "...";
    }
    lc_reason_format(buf, n, &r);
}

/* Assert that 'pid' ended with exactly 'want'. */
static void assert_ended(lc_pid pid, struct lc_reason want, const char *who)
{
    const struct lc_reason *r = gr_exit_of(pid);
    char w[192];
    format_want(w, sizeof w, want);
    ck_assert_msg(pid != LC_NOPID,
                  "%s was never started (a spawn returned "
                  "LC_NOPID)",
                  who);
    ck_assert_msg(r != NULL,
                  "%s %s is still alive; it should have ended with %s", who,
                  pid_str(pid), w);
    ck_assert_msg(lc_reason_eq(r, &want), "%s %s ended with %s instead of %s",
                  who, pid_str(pid), gr_reason_str(r), w);
}

static void assert_alive(lc_pid pid, const char *who)
{
    const struct lc_reason *r = gr_exit_of(pid);
    ck_assert_msg(r == NULL, "%s %s ended with %s; it should still be alive",
                  who, pid_str(pid), r ? gr_reason_str(r) : "");
}

/* Assert that the only EXIT message received came from 'from' with 'want'. */
static void assert_exit_msg(lc_pid from, struct lc_reason want, const char *who)
{
    char w[192];
    format_want(w, sizeof w, want);
    ck_assert_msg(seen.nexits == 1,
                  "%s got %d EXIT message(s); expected one, {EXIT, %s, %s}",
                  who, seen.nexits, pid_str(from), w);
    const struct lc_exit_msg *m = &seen.exits[0];
    ck_assert_msg(m->from == from && lc_reason_eq(&m->reason, &want),
                  "%s got {EXIT, %s, %s} instead of {EXIT, %s, %s}", who,
                  pid_str(m->from), gr_reason_str(&m->reason), pid_str(from),
                  w);
}

/* --- Process bodies ------------------------------------------------------- */

/* Wait for a message that never comes: until a signal kills us. */
static void wait_forever(void)
{
    lc_msg_free(lc_receive_tag(NEVER, LC_INFINITY));
}

static void idle(void *arg)
{
    (void)arg;
    wait_forever();
}

static void nothing(void *arg)
{
    (void)arg;
}

/* Take the EXIT messages that arrive within 'ms' into seen.exits. */
static void collect_exits(int64_t ms)
{
    int64_t end = lc_now() + ms;
    struct lc_msg *m;
    while ((m = lc_receive_tag(LC_TAG_EXIT, end - lc_now())) != NULL) {
        if (seen.nexits < MAX_EXITS && m->size == sizeof(struct lc_exit_msg)) {
            memcpy(&seen.exits[seen.nexits], m->data, m->size);
        }
        seen.nexits++;
        lc_msg_free(m);
    }
}

/* Trap exits and collect the EXIT messages of the first 100 ms; then end
   normally. */
static void trapper(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    collect_exits(100);
}

static void crash_later(void *arg)
{
    (void)arg;
    lc_sleep(10);
    lc_exit(boom());
}

static void return_later(void *arg)
{
    (void)arg;
    lc_sleep(10);
}

/* A pid that is certainly dead: spawn a process and let it end. */
static lc_pid dead_pid(void)
{
    lc_pid p = lc_spawn(nothing, NULL);
    lc_sleep(5);
    return p;
}

static void count_link_edge(const struct lc_edge *e, void *ctx)
{
    (void)ctx;
    if (e->kind == LC_EDGE_LINK && ((e->from == pids[0] && e->to == pids[1]) ||
                                    (e->from == pids[1] && e->to == pids[0]))) {
        seen.edges++;
    }
}

/* --- Links -------------------------------------------------------------- */

static void link_twice(void *arg)
{
    (void)arg;
    pids[0] = lc_self();
    pids[1] = lc_spawn(idle, NULL);
    seen.ret[0] = lc_link(pids[1]);
    seen.ret[1] = lc_link(pids[1]);
    seen.ret[2] = lc_link(lc_self());
    seen.nlinks[0] = lc_links(lc_self(), &seen.links[0], 4);
    seen.nlinks[1] = lc_links(pids[1], &seen.links[4], 4);
    lc_edges(count_link_edge, NULL);
}

GR_TEST(link_is_mutual_and_made_once)
{
    reset();
    gr_run(link_twice, NULL);
    ck_assert_msg(seen.ret[0] == 0 && seen.ret[1] == 0 && seen.ret[2] == 0,
                  "lc_link(B) returned %s, %s (again) and %s (to itself); "
                  "want 0 each time",
                  gr_err_str(seen.ret[0]), gr_err_str(seen.ret[1]),
                  gr_err_str(seen.ret[2]));
    ck_assert_msg(seen.nlinks[0] == 1 && seen.links[0] == pids[1],
                  "after linking to B twice and to itself, the caller has "
                  "%zu link(s); want exactly one, to B",
                  seen.nlinks[0]);
    ck_assert_msg(seen.nlinks[1] == 1 && seen.links[4] == pids[0],
                  "B has %zu link(s); a link has two ends, so B must list "
                  "the caller, once",
                  seen.nlinks[1]);
    ck_assert_msg(seen.edges == 1,
                  "the edge table holds %d link edge(s) between the two; "
                  "want 1 (lc_edge_add, so that figures show the link)",
                  seen.edges);
}

static void error_later(void *arg)
{
    (void)arg;
    lc_sleep(10);
    seen.where = LC_WHERE, lc_error(lc_int(13));
}

static void parent_of_crasher(void *arg)
{
    (void)arg;
    pids[1] = lc_spawn_link(error_later, NULL);
    wait_forever();
}

GR_TEST(abnormal_exit_kills_linked_process)
{
    reset();
    struct lc_reason why = gr_run(parent_of_crasher, NULL);
    struct lc_reason want = lc_reason_with(LC_A_ERROR, lc_int(13));
    assert_ended(pids[1], want, "the child");
    char w[64];
    format_want(w, sizeof w, want);
    ck_assert_msg(lc_reason_eq(&why, &want),
                  "the parent linked to the crashing child ended with %s "
                  "instead of the child's reason %s",
                  gr_reason_str(&why), w);
    ck_assert_msg(why.where != NULL && strcmp(why.where, seen.where) == 0,
                  "the parent's reason says where=\"%s\"; the signal must "
                  "carry the child's reason unchanged (\"%s\")",
                  why.where ? why.where : "(null)", seen.where);
}

static void parent_of_returner(void *arg)
{
    (void)arg;
    pids[1] = lc_spawn_link(return_later, NULL);
    seen.nlinks[0] = lc_links(lc_self(), seen.links, 4);
    lc_sleep(20); /* the child returns meanwhile */
    seen.flags[0] = true;
    seen.nlinks[1] = lc_links(lc_self(), seen.links, 4);
}

GR_TEST(normal_exit_does_not_kill_linked)
{
    reset();
    struct lc_reason why = gr_run(parent_of_returner, NULL);
    ck_assert_msg(seen.nlinks[0] == 1, "lc_spawn_link() made %zu link(s)",
                  seen.nlinks[0]);
    ck_assert_msg(seen.flags[0] && gr_reason_is(&why, LC_A_NORMAL),
                  "the parent ended with %s when its linked child returned "
                  "normally",
                  gr_reason_str(&why));
    assert_ended(pids[1], lc_reason(LC_A_NORMAL), "the child");
    ck_assert_msg(seen.nlinks[1] == 0,
                  "the parent still lists %zu link(s) after the child "
                  "ended; the link dies with the process",
                  seen.nlinks[1]);
}

/* A chain of four: 0 - 1 - 2 - 3; the last one crashes. */
static void chain(void *arg)
{
    intptr_t i = (intptr_t)arg;
    pids[i] = lc_self();
    if (i < 3) {
        lc_spawn_link(chain, (void *)(i + 1));
        wait_forever();
    } else {
        crash_later(NULL);
    }
}

static void start_chain(void *arg)
{
    (void)arg;
    lc_spawn(chain, (void *)0);
    lc_sleep(50);
}

GR_TEST(crash_spreads_along_links)
{
    reset();
    struct lc_reason why = gr_run(start_chain, NULL);
    assert_ended(pids[3], boom(), "the last of the chain (who crashed)");
    assert_ended(pids[2], boom(), "its neighbour in the chain");
    assert_ended(pids[1], boom(), "the second of the chain");
    assert_ended(pids[0], boom(), "the first of the chain");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the process that started the chain without a link ended "
                  "with %s",
                  gr_reason_str(&why));
}

/* --- Trapping exits ----------------------------------------------------- */

static void trap_and_watch(void *arg)
{
    (void)arg;
    seen.flags[0] = lc_trap_exit(true);
    seen.flags[1] = lc_traps_exit(lc_self());
    pids[1] = lc_spawn_link(error_later, NULL);
    seen.flags[2] = lc_traps_exit(pids[1]);
    collect_exits(100);
    seen.flags[3] = lc_trap_exit(false);
    seen.flags[4] = lc_traps_exit(lc_self());
}

GR_TEST(trapping_process_gets_exit_message)
{
    reset();
    struct lc_reason why = gr_run(trap_and_watch, NULL);
    ck_assert_msg(!seen.flags[0] && seen.flags[1] && !seen.flags[2],
                  "lc_trap_exit(true) must return the old value (false) and "
                  "turn trapping on for the caller only");
    struct lc_reason want = lc_reason_with(LC_A_ERROR, lc_int(13));
    assert_exit_msg(pids[1], want, "the trapping parent");
    ck_assert_msg(seen.exits[0].reason.where != NULL &&
                          strcmp(seen.exits[0].reason.where, seen.where) == 0,
                  "the EXIT message's reason lost its 'where'");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the trapping parent ended with %s", gr_reason_str(&why));
    ck_assert_msg(seen.flags[3] && !seen.flags[4],
                  "lc_trap_exit(false) must return true and turn trapping "
                  "off");
}

static void trap_normal(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    pids[1] = lc_spawn_link(return_later, NULL);
    collect_exits(100);
}

GR_TEST(trapping_process_sees_normal_exit)
{
    reset();
    struct lc_reason why = gr_run(trap_normal, NULL);
    assert_exit_msg(pids[1], lc_reason(LC_A_NORMAL), "the trapping parent");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the trapping parent ended with %s", gr_reason_str(&why));
}

/* 0 (not trapping) - 1 (trapping) - 2 (crashes). */
static void middle_trapper(void *arg)
{
    (void)arg;
    pids[1] = lc_self();
    lc_trap_exit(true);
    pids[2] = lc_spawn_link(crash_later, NULL);
    collect_exits(100);
    seen.nlinks[0] = lc_links(lc_self(), seen.links, 4);
    wait_forever();
}

static void top_of_three(void *arg)
{
    (void)arg;
    pids[0] = lc_self();
    lc_spawn_link(middle_trapper, NULL);
    wait_forever();
}

static void start_three(void *arg)
{
    (void)arg;
    lc_spawn(top_of_three, NULL);
}

GR_TEST(trapping_stops_the_spread)
{
    reset();
    gr_run(start_three, NULL);
    assert_ended(pids[2], boom(), "the crashing process");
    assert_exit_msg(pids[2], boom(), "the trapping process in the middle");
    assert_alive(pids[1], "the trapping process in the middle");
    assert_alive(pids[0], "the non-trapping process linked to the trapper");
    ck_assert_msg(seen.nlinks[0] == 1 && seen.links[0] == pids[0],
                  "after its crashed neighbour ended, the trapper lists %zu "
                  "link(s); want one, to its other neighbour",
                  seen.nlinks[0]);
}

/* Links are kept in order and a dead process's link disappears. */
static void two_links(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    pids[1] = lc_spawn_link(return_later, NULL);
    pids[2] = lc_spawn_link(idle, NULL);
    seen.nlinks[0] = lc_links(lc_self(), &seen.links[0], 4);
    lc_sleep(20);
    seen.nlinks[1] = lc_links(lc_self(), &seen.links[4], 4);
    seen.nlinks[2] = lc_links(pids[1], NULL, 0);
}

GR_TEST(links_listed_oldest_first)
{
    reset();
    gr_run(two_links, NULL);
    ck_assert_msg(seen.nlinks[0] == 2 && seen.links[0] == pids[1] &&
                          seen.links[1] == pids[2],
                  "lc_links() gave %zu link(s) (%s, %s) instead of the two "
                  "children in link order",
                  seen.nlinks[0], pid_str(seen.links[0]),
                  pid_str(seen.links[1]));
    ck_assert_msg(seen.nlinks[1] == 1 && seen.links[4] == pids[2],
                  "after the first child ended, lc_links() gave %zu "
                  "link(s); want only the second child",
                  seen.nlinks[1]);
    gr_expect_int(seen.nlinks[2], 0,
                  "links lc_links() lists after both children ended");
}

/* --- Linking to a dead process -------------------------------------------- */

static void link_dead_uncaught(void *arg)
{
    lc_link(*(lc_pid *)arg);
    seen.reached = true;
}

static void link_dead(void *arg)
{
    (void)arg;
    static lc_pid gone;
    gone = dead_pid();
    LC_TRY
    {
        lc_link(gone);
        seen.flags[0] = true; /* must not be reached */
    }
    LC_CATCH_VALUE(LC_CLASS_ERROR, lc_atom_term(LC_A_NOPROC), e)
    {
        seen.flags[1] = true;
    }
    LC_END_TRY;
    seen.nlinks[0] = lc_links(lc_self(), seen.links, 4);
    pids[1] = lc_spawn(link_dead_uncaught, &gone);
}

GR_TEST(link_to_dead_raises_noproc)
{
    reset();
    struct lc_reason why = gr_run(link_dead, NULL);
    ck_assert_msg(seen.flags[1] && !seen.flags[0],
                  "lc_link() to a dead pid, not trapping, must raise error "
                  "noproc (it %s)",
                  seen.flags[0] ? "returned" : "raised something else");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the caller that caught noproc ended with %s",
                  gr_reason_str(&why));
    gr_expect_int(seen.nlinks[0], 0,
                  "links of a caller that caught noproc from lc_link() to a "
                  "dead pid");
    assert_ended(pids[1], lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_NOPROC)),
                 "the process that did not catch it");
    ck_assert_msg(!seen.reached, "lc_link() to a dead pid returned");
}

static void link_dead_trapping(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    pids[1] = dead_pid();
    seen.ret[0] = lc_link(pids[1]);
    seen.nlinks[0] = lc_links(lc_self(), seen.links, 4);
    collect_exits(10);
}

GR_TEST(link_to_dead_while_trapping_gets_noproc_message)
{
    reset();
    struct lc_reason why = gr_run(link_dead_trapping, NULL);
    ck_assert_msg(seen.ret[0] == 0,
                  "lc_link() to a dead pid returned %s; a trapping "
                  "caller gets 0 and a message",
                  gr_err_str(seen.ret[0]));
    assert_exit_msg(pids[1], lc_reason(LC_A_NOPROC), "the trapping caller");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL),
                  "the trapping caller ended with %s", gr_reason_str(&why));
    gr_expect_int(seen.nlinks[0], 0,
                  "links of a trapping caller after lc_link() to a dead pid");
}

/* lc_spawn_link() links before the child can run: a child that crashes at
   once still reaches its trapping parent with its own reason. */
static void crash_now(void *arg)
{
    (void)arg;
    lc_exit(boom());
}

static void spawn_link_fast_crash(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    pids[1] = lc_spawn_link(crash_now, NULL);
    seen.nlinks[0] = lc_links(lc_self(), seen.links, 4);
    collect_exits(10);
}

GR_TEST(spawn_link_links_before_child_runs)
{
    reset();
    gr_run(spawn_link_fast_crash, NULL);
    ck_assert_msg(pids[1] != LC_NOPID, "lc_spawn_link() returned LC_NOPID");
    ck_assert_msg(seen.nlinks[0] == 1 && seen.links[0] == pids[1],
                  "right after lc_spawn_link() the parent lists %zu "
                  "link(s); want one, to the child",
                  seen.nlinks[0]);
    assert_exit_msg(pids[1], boom(), "the trapping parent");
}

/* --- Unlink -------------------------------------------------------------- */

static void link_then_unlink(void *arg)
{
    (void)arg;
    pids[0] = lc_self();
    pids[1] = lc_spawn(crash_later, NULL);
    seen.ret[0] = lc_link(pids[1]);
    seen.nlinks[0] = lc_links(pids[0], NULL, 0);
    seen.nlinks[1] = lc_links(pids[1], NULL, 0);
    seen.ret[1] = lc_unlink(pids[1]);
    seen.nlinks[2] = lc_links(pids[0], NULL, 0);
    seen.nlinks[3] = lc_links(pids[1], NULL, 0);
    lc_edges(count_link_edge, NULL);
    seen.ret[2] = lc_unlink(pids[1]); /* no link left: nothing to do */
    lc_sleep(20);                     /* the other process crashes */
    seen.flags[0] = true;
}

GR_TEST(unlink_cuts_both_ends)
{
    reset();
    struct lc_reason why = gr_run(link_then_unlink, NULL);
    ck_assert_msg(seen.ret[0] == 0 && seen.nlinks[0] == 1 &&
                          seen.nlinks[1] == 1,
                  "before lc_unlink() the two ends list %zu and %zu "
                  "link(s); want 1 and 1",
                  seen.nlinks[0], seen.nlinks[1]);
    ck_assert_msg(seen.ret[1] == 0 && seen.ret[2] == 0,
                  "lc_unlink() returned %s, then %s; want 0 and 0",
                  gr_err_str(seen.ret[1]), gr_err_str(seen.ret[2]));
    ck_assert_msg(seen.nlinks[2] == 0 && seen.nlinks[3] == 0,
                  "after lc_unlink() the two ends list %zu and %zu "
                  "link(s); want 0 and 0",
                  seen.nlinks[2], seen.nlinks[3]);
    ck_assert_msg(seen.edges == 0,
                  "the link edge is still in the edge table after "
                  "lc_unlink()");
    assert_ended(pids[1], boom(), "the unlinked process");
    ck_assert_msg(seen.flags[0] && gr_reason_is(&why, LC_A_NORMAL),
                  "the process that unlinked ended with %s when its former "
                  "peer crashed",
                  gr_reason_str(&why));
}

/* --- Sending exit signals ------------------------------------------------ */

static void signal_others(void *arg)
{
    struct lc_reason r = *(struct lc_reason *)arg;
    pids[0] = lc_self();
    pids[1] = lc_spawn(idle, NULL);
    pids[2] = lc_spawn(trapper, NULL);
    lc_pid gone = dead_pid(); /* both have started meanwhile */
    seen.ret[0] = lc_exit_signal(pids[1], r);
    seen.ret[1] = lc_exit_signal(pids[2], r);
    seen.ret[2] = lc_exit_signal(gone, r);
    lc_sleep(200);
}

GR_TEST(exit_signal_kills_or_is_trapped)
{
    reset();
    struct lc_reason shutdown = lc_reason(LC_A_SHUTDOWN);
    struct lc_reason why = gr_run(signal_others, &shutdown);
    ck_assert_msg(seen.ret[0] == 0 && seen.ret[1] == 0 && seen.ret[2] == 0,
                  "lc_exit_signal() returned %s, %s and %s (to a dead pid); "
                  "want 0 each time",
                  gr_err_str(seen.ret[0]), gr_err_str(seen.ret[1]),
                  gr_err_str(seen.ret[2]));
    assert_ended(pids[1], shutdown, "the non-trapping target");
    assert_exit_msg(pids[0], shutdown, "the trapping target");
    assert_ended(pids[2], lc_reason(LC_A_NORMAL), "the trapping target");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL), "the sender ended with %s",
                  gr_reason_str(&why));
}

GR_TEST(normal_signal_to_another_is_ignored)
{
    reset();
    struct lc_reason normal = lc_reason(LC_A_NORMAL);
    gr_run(signal_others, &normal);
    ck_assert_msg(seen.ret[0] == 0,
                  "lc_exit_signal(target, normal) returned %s",
                  gr_err_str(seen.ret[0]));
    assert_exit_msg(pids[0], normal, "the trapping target");
    assert_alive(pids[1], "the non-trapping target of a normal signal");
}

static void signal_self_plain(void *arg)
{
    (void)arg;
    lc_exit_signal(lc_self(), lc_reason(LC_A_NORMAL));
    seen.reached = true;
}

static void signal_self_trapping(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    seen.ret[0] = lc_exit_signal(lc_self(), lc_reason(LC_A_NORMAL));
    collect_exits(10);
}

static void signal_self(void *arg)
{
    (void)arg;
    pids[1] = lc_spawn(signal_self_plain, NULL);
    pids[2] = lc_spawn(signal_self_trapping, NULL);
}

GR_TEST(normal_signal_to_self)
{
    reset();
    gr_run(signal_self, NULL);
    assert_ended(pids[1], lc_reason(LC_A_NORMAL),
                 "the non-trapping sender of normal to itself");
    ck_assert_msg(!seen.reached,
                  "lc_exit_signal(self, normal) returned in "
                  "a process that does not trap exits; it must end it");
    gr_expect_err(
            seen.ret[0], 0,
            "lc_exit_signal(self, normal) in a trapping process returned");
    assert_exit_msg(pids[2], lc_reason(LC_A_NORMAL),
                    "the trapping sender of normal to itself");
    assert_ended(pids[2], lc_reason(LC_A_NORMAL), "the trapping sender");
}

/* --- kill and killed ---------------------------------------------------- */

/* A trapping process with a trapping and a non-trapping neighbour. */
static void kill_target(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    pids[2] = lc_spawn_link(trapper, NULL);
    pids[3] = lc_spawn_link(idle, NULL);
    wait_forever();
}

static void kill_self_trapping(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_exit_signal(lc_self(), lc_reason(LC_A_KILL));
    seen.reached = true;
}

static void send_kill(void *arg)
{
    (void)arg;
    pids[1] = lc_spawn(kill_target, NULL);
    lc_sleep(10); /* it traps and has linked its neighbours */
    lc_exit_signal(pids[1], lc_reason(LC_A_KILL));
    pids[4] = lc_spawn(kill_self_trapping, NULL);
    lc_sleep(200);
}

GR_TEST(kill_cannot_be_trapped_and_becomes_killed)
{
    reset();
    gr_run(send_kill, NULL);
    assert_ended(pids[1], lc_reason(LC_A_KILLED),
                 "the trapping target of lc_exit_signal(kill)");
    assert_ended(pids[3], lc_reason(LC_A_KILLED), "its non-trapping neighbour");
    assert_exit_msg(pids[1], lc_reason(LC_A_KILLED), "its trapping neighbour");
    assert_ended(pids[2], lc_reason(LC_A_NORMAL), "its trapping neighbour");
    assert_ended(pids[4], lc_reason(LC_A_KILLED),
                 "a trapping process that sent kill to itself");
    ck_assert_msg(!seen.reached, "lc_exit_signal(self, kill) returned");
}

static void exits_with_kill(void *arg)
{
    (void)arg;
    pids[2] = lc_spawn_link(trapper, NULL);
    pids[3] = lc_spawn_link(idle, NULL);
    lc_sleep(10);
    lc_exit(lc_reason(LC_A_KILL));
}

static void start_kill_exit(void *arg)
{
    (void)arg;
    pids[1] = lc_spawn(exits_with_kill, NULL);
}

GR_TEST(kill_through_a_link_stays_kill)
{
    reset();
    gr_run(start_kill_exit, NULL);
    assert_ended(pids[1], lc_reason(LC_A_KILL),
                 "the process that exited "
                 "with kill");
    assert_ended(pids[3], lc_reason(LC_A_KILL), "its non-trapping neighbour");
    assert_exit_msg(pids[1], lc_reason(LC_A_KILL), "its trapping neighbour");
    assert_ended(pids[2], lc_reason(LC_A_NORMAL), "its trapping neighbour");
}

/* --- A linked group (the chapter's figure) ------------------------------ */

/* A hub linked to two idle workers, a trapper and a pair whose end crashes:
   one crash takes every non-trapping member down. */
static void pair(void *arg)
{
    (void)arg;
    pids[4] = lc_self();
    pids[5] = lc_spawn_link(crash_later, NULL);
    wait_forever();
}

static void hub(void *arg)
{
    (void)arg;
    pids[0] = lc_self();
    pids[1] = lc_spawn_link(idle, NULL);
    pids[2] = lc_spawn_link(idle, NULL);
    pids[3] = lc_spawn_link(trapper, NULL);
    lc_spawn_link(pair, NULL);
    wait_forever();
}

static void start_group(void *arg)
{
    (void)arg;
    lc_spawn(hub, NULL);
    lc_sleep(200);
}

GR_TEST(linked_group_goes_down_together)
{
    reset();
    gr_run(start_group, NULL);
    static const char *who[] = {
        "the hub",    "worker 1", "worker 2", "", "the crasher's neighbour",
        "the crasher"
    };
    for (int i = 0; i < 6; i++) {
        if (i != 3) {
            assert_ended(pids[i], boom(), who[i]);
        }
    }
    assert_exit_msg(pids[0], boom(), "the trapping member");
    assert_ended(pids[3], lc_reason(LC_A_NORMAL), "the trapping member");
}
