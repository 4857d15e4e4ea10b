/*
 * check_info.c - looking inside a running system (kernel/info.c,
 * kernel/dot.c): process info, the process list, the edge table with its
 * kept edges and ghosts, the tracer and its text format, the process dump,
 * and the DOT export.
 *
 * Everything here feeds figures and failure messages that are committed and
 * compared, so besides being right it must be byte-for-byte the same on
 * every run.
 */
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    struct lc_info in[4];
    int rc[8];
    lc_pid pid[4];
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

static void wait_forever(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void noop(void *arg)
{
    (void)arg;
}

/* --- Process info ------------------------------------------------------- */

static void look_at_self(void *arg)
{
    (void)arg;
    lc_send(lc_self(), 1, "12345678", 8);
    lc_send(lc_self(), 2, NULL, 0);
    lc_msg_free(lc_receive_tag(2, 0));
    lc_alloc(100);
    seen.rc[0] = lc_proc_info(lc_self(), &seen.in[0]);
    lc_sleep(50);
    seen.pid[0] = lc_spawn(wait_forever, NULL);
    lc_proc_info(seen.pid[0], &seen.in[1]);
    lc_msg_free(lc_receive_tag(99, LC_INFINITY));
}

START_TEST(process_info_describes_a_process)
{
    kt_init(NULL);
    lc_pid p = lc_spawn(look_at_self, NULL);
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_int_eq(in.state, LC_STATE_RUNNABLE); /* not run yet */
    ck_assert_uint_eq(in.reductions, 0);
    lc_run();

    const struct lc_info *me = &seen.in[0];
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_uint_eq(me->pid, p);
    ck_assert_uint_eq(me->parent, LC_NOPID);
    ck_assert_int_eq(me->state, LC_STATE_RUNNING);
    ck_assert_int_eq(me->role, LC_ROLE_WORKER);
    ck_assert_ptr_null(me->name);
    ck_assert_ptr_null(me->detail);
    ck_assert_uint_eq(me->mailbox_len, 1);
    ck_assert_uint_eq(me->memory, 100);
    ck_assert_uint_eq(me->stack_size, seen.in[1].stack_size);
    ck_assert_uint_gt(me->stack_touched, 0);
    ck_assert_uint_ge(me->reductions, 3); /* two sends and a receive */
    ck_assert_int_eq(me->started, 0);
    ck_assert_uint_eq(me->restarts, 0);

    const struct lc_info *child = &seen.in[1];
    ck_assert_uint_eq(child->parent, p);
    ck_assert_int_eq(child->started, 50);
    ck_assert_int_eq(child->state, LC_STATE_RUNNABLE);

    ck_assert_int_eq(lc_proc_info(seen.pid[0], &in), 0);
    ck_assert_int_eq(in.state, LC_STATE_WAITING);
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_int_eq(in.state, LC_STATE_WAITING);
}
END_TEST

START_TEST(what_a_layer_sets_for_introspection)
{
    kt_init(NULL);
    lc_pid p = lc_spawn(wait_forever, NULL);
    char name[16] = "sup";
    ck_assert_int_eq(lc_proc_set_name(p, name), 0);
    strcpy(name, "changed");
    ck_assert_int_eq(lc_proc_set_detail(p, "one_for_one 3/5s"), 0);
    ck_assert_int_eq(lc_proc_set_role(p, LC_ROLE_SUPERVISOR), 0);
    ck_assert_int_eq(lc_proc_set_restarts(p, 2), 0);
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_str_eq(in.name, "sup");
    ck_assert_str_eq(in.detail, "one_for_one 3/5s");
    ck_assert_int_eq(in.role, LC_ROLE_SUPERVISOR);
    ck_assert_uint_eq(in.restarts, 2);
    ck_assert_int_eq(lc_proc_set_name(p, NULL), 0);
    ck_assert_int_eq(lc_proc_set_detail(p, NULL), 0);
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_ptr_null(in.name);
    ck_assert_ptr_null(in.detail);

    lc_pid dead = lc_spawn(noop, NULL);
    lc_run();
    ck_assert_int_eq(lc_proc_info(dead, &in), LC_ENOPROC);
    ck_assert_int_eq(lc_proc_set_name(dead, "x"), LC_ENOPROC);
    ck_assert_int_eq(lc_proc_set_detail(dead, "x"), LC_ENOPROC);
    ck_assert_int_eq(lc_proc_set_role(dead, LC_ROLE_WORKER), LC_ENOPROC);
    ck_assert_int_eq(lc_proc_set_restarts(dead, 1), LC_ENOPROC);
}
END_TEST

START_TEST(the_process_list_is_in_slot_order)
{
    kt_init(NULL);
    lc_pid p[5];
    for (int i = 0; i < 5; i++) {
        p[i] = lc_spawn(i == 1 || i == 3 ? noop : wait_forever, NULL);
    }
    lc_run();
    lc_pid q = lc_spawn(wait_forever, NULL); /* reuses p[1]'s slot */
    lc_pid out[8];
    ck_assert_uint_eq(lc_proc_list(out, 8), 4);
    ck_assert_uint_eq(out[0], p[0]);
    ck_assert_uint_eq(out[1], q);
    ck_assert_uint_eq(out[2], p[2]);
    ck_assert_uint_eq(out[3], p[4]);
    lc_pid two[2] = { 0, 0 };
    ck_assert_uint_eq(lc_proc_list(two, 2), 4); /* the count, not the room */
    ck_assert_uint_eq(two[1], q);
    ck_assert_uint_eq(lc_proc_list(NULL, 0), 4);
}
END_TEST

/* --- Edges -------------------------------------------------------------- */

static char listing[1024];

static void list_edge(const struct lc_edge *e, void *ctx)
{
    static const char *const kinds[] = { "link", "monitor", "supervises",
                                         "registered" };
    (void)ctx;
    size_t n = strlen(listing);
    snprintf(listing + n, sizeof listing - n, "%s %s-%s%s%s%s ", kinds[e->kind],
             kt_pid(e->from), kt_pid(e->to), e->label ? ":" : "",
             e->label ? e->label : "", e->flags & LC_EDGE_KEEP ? "!" : "");
}

static const char *edges_now(void)
{
    listing[0] = '\0';
    lc_edges(list_edge, NULL);
    return listing;
}

START_TEST(edges_are_listed_oldest_first)
{
    kt_init(NULL);
    lc_pid a = lc_spawn(wait_forever, NULL);
    lc_pid b = lc_spawn(wait_forever, NULL);
    lc_pid c = lc_spawn(wait_forever, NULL);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_SUPERVISES, a, b, "b_id", 0), 0);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_LINK, c, a, NULL, 0), 0);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_MONITOR, b, c, NULL, 0), 0);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_MONITOR, c, b, NULL, 0), 0);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_REGISTERED, a, c, "key", 0), 0);
    ck_assert_str_eq(edges_now(),
                     "supervises <0.1.0>-<0.2.0>:b_id link <0.1.0>-<0.3.0> "
                     "monitor <0.2.0>-<0.3.0> monitor <0.3.0>-<0.2.0> "
                     "registered <0.1.0>-<0.3.0>:key ");
    /* A link has no direction: stored once, found from either end. */
    ck_assert_int_eq(lc_edge_add(LC_EDGE_LINK, a, c, "again", 0), 0);
    char label[8] = "new";
    ck_assert_int_eq(lc_edge_add(LC_EDGE_SUPERVISES, a, b, label, 0), 0);
    strcpy(label, "xxx"); /* labels are copied */
    ck_assert_uint_eq(lc_edges(list_edge, NULL), 5);
    ck_assert_str_eq(
            edges_now(),
            "supervises <0.1.0>-<0.2.0>:new link <0.1.0>-<0.3.0>:again "
            "monitor <0.2.0>-<0.3.0> monitor <0.3.0>-<0.2.0> "
            "registered <0.1.0>-<0.3.0>:key ");
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_LINK, c, a), 0);
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_LINK, a, c), LC_ENOENT);
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_MONITOR, b, c), 0);
    ck_assert_str_eq(edges_now(), "supervises <0.1.0>-<0.2.0>:new "
                                  "monitor <0.3.0>-<0.2.0> "
                                  "registered <0.1.0>-<0.3.0>:key ");
}
END_TEST

START_TEST(edge_errors)
{
    kt_init(NULL);
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_LINK, 1, 2), LC_ENOENT);
    lc_pid a = lc_spawn(wait_forever, NULL);
    lc_pid dead = lc_spawn(noop, NULL);
    lc_run();
    ck_assert_int_eq(lc_edge_add(LC_EDGE_LINK, a, a, NULL, 0), LC_EINVAL);
    ck_assert_int_eq(lc_edge_add((enum lc_edge_kind)9, a, dead, NULL, 0),
                     LC_EINVAL);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_LINK, a, dead, NULL, 0), LC_ENOPROC);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_MONITOR, dead, a, NULL, 0),
                     LC_ENOPROC);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_MONITOR, a, LC_NOPID, NULL, 0),
                     LC_ENOPROC);
    ck_assert_uint_eq(lc_edges(list_edge, NULL), 0);
}
END_TEST

START_TEST(edges_go_with_either_end)
{
    kt_init(NULL);
    lc_pid a = lc_spawn(wait_forever, NULL);
    lc_pid b = lc_spawn(wait_forever, NULL);
    lc_pid c = lc_spawn(wait_forever, NULL);
    lc_edge_add(LC_EDGE_LINK, a, b, NULL, 0);
    lc_edge_add(LC_EDGE_MONITOR, b, c, NULL, 0);
    lc_edge_add(LC_EDGE_MONITOR, c, a, NULL, 0);
    lc_edge_add(LC_EDGE_LINK, a, c, NULL, 0);
    lc_run_until_idle();
    lc_kill(b, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_str_eq(edges_now(), "monitor <0.3.0>-<0.1.0> "
                                  "link <0.1.0>-<0.3.0> ");
    lc_kill(a, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_str_eq(edges_now(), "");
}
END_TEST

START_TEST(a_kept_edge_leaves_a_ghost)
{
    kt_init(NULL);
    lc_pid sup = lc_spawn(wait_forever, NULL);
    lc_pid child = lc_spawn(wait_forever, NULL);
    lc_pid other = lc_spawn(wait_forever, NULL);
    lc_proc_set_name(child, "temp_worker");
    lc_proc_set_detail(child, "temporary");
    ck_assert_int_eq(
            lc_edge_add(LC_EDGE_SUPERVISES, sup, child, "c1", LC_EDGE_KEEP), 0);
    ck_assert_int_eq(
            lc_edge_add(LC_EDGE_MONITOR, other, child, NULL, LC_EDGE_KEEP), 0);
    lc_edge_add(LC_EDGE_LINK, sup, child, NULL, 0); /* not kept */
    ck_assert_int_eq(lc_ghost_info(child, NULL, NULL), LC_ENOENT);
    lc_run_until_idle();
    struct lc_reason why = lc_reason_with(LC_A_SHUTDOWN, lc_int(5));
    lc_kill(child, why);
    lc_run_until_idle();

    ck_assert(!lc_alive(child));
    ck_assert_str_eq(edges_now(), "supervises <0.1.0>-<0.2.0>:c1! "
                                  "monitor <0.3.0>-<0.2.0>! ");
    struct lc_info ghost;
    struct lc_reason got;
    ck_assert_int_eq(lc_ghost_info(child, &ghost, &got), 0);
    ck_assert_str_eq(ghost.name, "temp_worker");
    ck_assert_pstr_eq(ghost.detail, "temporary");
    ck_assert_int_eq(ghost.state, LC_STATE_EXITING);
    ck_assert(lc_reason_eq(&got, &why));

    /* The ghost stays while a kept edge points to it. */
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_SUPERVISES, sup, child), 0);
    ck_assert_int_eq(lc_ghost_info(child, NULL, NULL), 0);
    lc_kill(other, lc_reason(LC_A_KILLED)); /* its edges go with it */
    lc_run_until_idle();
    ck_assert_str_eq(edges_now(), "");
    ck_assert_int_eq(lc_ghost_info(child, NULL, NULL), LC_ENOENT);
}
END_TEST

START_TEST(a_kept_edge_goes_with_its_from_end)
{
    kt_init(NULL);
    lc_pid sup = lc_spawn(wait_forever, NULL);
    lc_pid child = lc_spawn(wait_forever, NULL);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, child, NULL, LC_EDGE_KEEP);
    lc_run_until_idle();
    lc_kill(sup, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_str_eq(edges_now(), "");
    ck_assert(lc_alive(child));
    lc_kill(child, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_int_eq(lc_ghost_info(child, NULL, NULL), LC_ENOENT);
}
END_TEST

START_TEST(a_moved_edge_keeps_its_place)
{
    kt_init(NULL);
    lc_pid sup = lc_spawn(wait_forever, NULL);
    lc_pid a = lc_spawn(wait_forever, NULL);
    lc_pid b = lc_spawn(wait_forever, NULL);
    lc_pid c = lc_spawn(wait_forever, NULL);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, a, "a", LC_EDGE_KEEP);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, b, "b", LC_EDGE_KEEP);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, c, "c", LC_EDGE_KEEP);
    lc_run_until_idle();
    lc_kill(b, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_int_eq(lc_ghost_info(b, NULL, NULL), 0);
    lc_pid b2 = lc_spawn(wait_forever, NULL); /* "restarted" */
    ck_assert_int_eq(lc_edge_move(LC_EDGE_SUPERVISES, sup, b, b2), 0);
    ck_assert_str_eq(edges_now(), "supervises <0.1.0>-<0.2.0>:a! "
                                  "supervises <0.1.0>-<0.3.1>:b! "
                                  "supervises <0.1.0>-<0.4.0>:c! ");
    ck_assert_int_eq(lc_ghost_info(b, NULL, NULL), LC_ENOENT);
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_SUPERVISES, sup, b2), 0);
    ck_assert_int_eq(lc_edge_move(LC_EDGE_SUPERVISES, sup, b2, a), LC_ENOENT);
    ck_assert_int_eq(lc_edge_move(LC_EDGE_SUPERVISES, sup, a, c), LC_EEXIST);
    ck_assert_int_eq(lc_edge_move(LC_EDGE_LINK, sup, a, c), LC_EINVAL);
    lc_kill(b2, lc_reason(LC_A_KILLED));
    lc_run_until_idle();
    ck_assert_int_eq(lc_edge_move(LC_EDGE_SUPERVISES, sup, a, b2), LC_ENOPROC);
}
END_TEST

static size_t count_edges(void)
{
    size_t n = 0;
    listing[0] = '\0';
    n = lc_edges(list_edge, NULL);
    return n;
}

/* Thousands of edges, a hundred from and to each process: each is found
   again by (kind, from, to), and an absent one is not, whichever of its two
   processes has the shorter list. */
START_TEST(many_edges)
{
    enum {
        P = 100
    };
    kt_init(NULL);
    lc_pid p[P];
    for (int i = 0; i < P; i++) {
        p[i] = lc_spawn(wait_forever, NULL);
    }
    int added = 0;
    for (int i = 0; i < P; i++) {
        for (int j = 0; j < P; j += 3) {
            if (i != j) {
                ck_assert_int_eq(
                        lc_edge_add(LC_EDGE_MONITOR, p[i], p[j], NULL, 0), 0);
                added++;
            }
        }
    }
    ck_assert_uint_eq(count_edges(), (size_t)added);
    ck_assert_int_eq(lc_edge_add(LC_EDGE_MONITOR, p[5], p[9], NULL, 0), 0);
    ck_assert_uint_eq(count_edges(), (size_t)added); /* the same edge */
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_MONITOR, p[9], p[5]), LC_ENOENT);
    ck_assert_int_eq(lc_edge_remove(LC_EDGE_LINK, p[5], p[9]), LC_ENOENT);
    for (int i = 0; i < P; i++) {
        for (int j = 0; j < P; j += 3) {
            if (i != j) {
                ck_assert_int_eq(lc_edge_remove(LC_EDGE_MONITOR, p[i], p[j]),
                                 0);
            }
        }
    }
    ck_assert_uint_eq(count_edges(), 0);
}
END_TEST

/* --- The tracer --------------------------------------------------------- */

static char trace[4096];
static uint64_t last_seq;
static bool seq_ok;

static void trace_lines(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    char line[256];
    lc_event_format(line, sizeof line, ev);
    size_t n = strlen(trace);
    snprintf(trace + n, sizeof trace - n, "%s\n", line);
    seq_ok &= ev->seq == last_seq + 1;
    last_seq = ev->seq;
}

static lc_pid traced_b;

static void traced_b_fn(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void traced_a_fn(void *arg)
{
    (void)arg;
    traced_b = lc_spawn(traced_b_fn, NULL);
    lc_send(traced_b, 5, NULL, 0);
    lc_receive(10);
    lc_edge_add(LC_EDGE_LINK, lc_self(), traced_b, NULL, 0);
    lc_edge_remove(LC_EDGE_LINK, traced_b, lc_self());
    lc_trace_note(lc_self(), traced_b, "restart");
    lc_kill(traced_b, lc_reason(LC_A_SHUTDOWN));
}

START_TEST(the_tracer_reports_each_event_as_a_line)
{
    trace[0] = '\0';
    last_seq = 0;
    seq_ok = true;
    kt_init(NULL);
    lc_trace_note(1, 2, "no tracer: nothing happens");
    lc_trace_set(trace_lines, NULL);
    lc_spawn(traced_a_fn, NULL);
    lc_run();
    lc_trace_set(NULL, NULL);
    lc_spawn(noop, NULL); /* not traced any more */
    lc_run();
    ck_assert_str_eq(trace, "     0 ms  <0.1.0> spawned by <0.0.0>\n"
                            "     0 ms  <0.2.0> spawned by <0.1.0>\n"
                            "     0 ms  <0.1.0> send 5 to <0.2.0>\n"
                            "     0 ms  <0.2.0> receive 5 from <0.1.0>\n"
                            "    10 ms  <0.1.0> timeout\n"
                            "    10 ms  <0.1.0> link <0.2.0>\n"
                            "    10 ms  <0.1.0> unlink <0.2.0>\n"
                            "    10 ms  <0.1.0> restart <0.2.0>\n"
                            "    10 ms  <0.1.0> kill <0.2.0>: shutdown\n"
                            "    10 ms  <0.1.0> exit normal\n"
                            "    10 ms  <0.2.0> exit shutdown\n");
    ck_assert(seq_ok);
}
END_TEST

START_TEST(event_format_is_snprintf)
{
    struct lc_event ev = { .seq = 1,
                           .time = 1234,
                           .kind = LC_EV_SEND,
                           .pid = 1,
                           .other = 2,
                           .tag = 7 };
    const char *full = "  1234 ms  <0.1.0> send 7 to <0.2.0>";
    char buf[64];
    ck_assert_int_eq(lc_event_format(buf, sizeof buf, &ev), (int)strlen(full));
    ck_assert_str_eq(buf, full);
    ck_assert_int_eq(lc_event_format(NULL, 0, &ev), (int)strlen(full));
    for (size_t n = 1; n < strlen(full); n++) {
        memset(buf, '#', sizeof buf);
        ck_assert_int_eq(lc_event_format(buf, n, &ev), (int)strlen(full));
        ck_assert_msg(strlen(buf) == n - 1 && strncmp(buf, full, n - 1) == 0,
                      "with room for %zu bytes: \"%s\"", n, buf);
    }
}
END_TEST

START_TEST(trace_print_writes_lines)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    kt_init(NULL);
    lc_trace_set(lc_trace_print, f);
    lc_spawn(noop, NULL);
    lc_run();
    lc_trace_set(NULL, NULL);
    fclose(f);
    ck_assert_str_eq(text, "     0 ms  <0.1.0> spawned by <0.0.0>\n"
                           "     0 ms  <0.1.0> exit normal\n");
    free(text);
}
END_TEST

/* --- The process dump --------------------------------------------------- */

static void hold_and_wait(void *arg)
{
    (void)arg;
    lc_send(lc_self(), 1, "abcdefgh", 8);
    lc_send(lc_self(), 2, NULL, 0);
    lc_receive_tag(1, 0); /* held: 8 bytes */
    lc_msg_free(lc_receive_tag(3, LC_INFINITY));
}

START_TEST(procdump_prints_one_line_per_process)
{
    kt_init(NULL);
    lc_pid a = lc_spawn(hold_and_wait, NULL);
    lc_proc_set_name(a, "holder");
    lc_spawn(noop, NULL);
    lc_run_until_idle();
    struct lc_spawn_opts o = { .name = "late", .parent = a };
    lc_pid c;
    lc_spawn_opt(&c, noop, NULL, &o);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    lc_procdump(f);
    fclose(f);
    ck_assert_str_eq(
            text,
            "pid            state     parent         name                   "
            "mbox   memory       reds\n"
            "<0.1.0>        waiting   <0.0.0>        holder                 "
            "   1        8          4\n"
            "<0.2.1>        runnable  <0.1.0>        late                   "
            "   0        0          0\n");
    free(text);
}
END_TEST

/* --- DOT ---------------------------------------------------------------- */

/* A small supervision tree with a worker that has exited (kept edge), a
   link, a monitor and a registration: every element a figure can show. */
static void build_system(void)
{
    lc_pid app = lc_spawn(wait_forever, NULL);
    lc_pid sup = lc_spawn(wait_forever, NULL);
    lc_pid w1 = lc_spawn(wait_forever, NULL);
    lc_pid w2 = lc_spawn(wait_forever, NULL);
    lc_pid reg = lc_spawn(wait_forever, NULL);
    lc_pid temp = lc_spawn(wait_forever, NULL);
    lc_spawn(wait_forever, NULL); /* lonely */
    lc_proc_set_role(app, LC_ROLE_APPLICATION);
    lc_proc_set_name(app, "kv_app");
    lc_proc_set_role(sup, LC_ROLE_SUPERVISOR);
    lc_proc_set_name(sup, "kv_sup");
    lc_proc_set_detail(sup, "one_for_one 3/5s");
    lc_proc_set_name(w1, "cache \"hot\" <1>");
    lc_proc_set_restarts(w2, 2);
    lc_proc_set_role(reg, LC_ROLE_REGISTRY);
    lc_edge_add(LC_EDGE_SUPERVISES, app, sup, "sup", 0);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, w1, "w1", 0);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, w2, "w2", 0);
    lc_edge_add(LC_EDGE_SUPERVISES, sup, temp, "temp", LC_EDGE_KEEP);
    lc_edge_add(LC_EDGE_LINK, w2, w1, NULL, 0);
    lc_edge_add(LC_EDGE_MONITOR, w1, w2, NULL, 0);
    lc_edge_add(LC_EDGE_REGISTERED, reg, w2, "key:2", 0);
    lc_run_until_idle();
    lc_kill(temp, lc_reason_with(LC_A_SHUTDOWN, lc_atom_term(LC_A_OK)));
    lc_run_until_idle();
}

static char *dot_of(const struct lc_dot_opts *o, int *rc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    *rc = lc_dot_write(f, o);
    fclose(f);
    return text;
}

/* The whole drawing, from a fresh runtime. */
static char *draw_fresh(const struct lc_dot_opts *o)
{
    kt_init(NULL);
    build_system();
    int rc;
    char *text = dot_of(o, &rc);
    ck_assert_int_eq(rc, 0);
    lc_fini();
    return text;
}

START_TEST(dot_output_is_byte_stable)
{
    struct lc_dot_opts all = { .title = "kv \"store\"",
                               .links = true,
                               .monitors = true,
                               .supervision = true,
                               .registrations = true,
                               .lonely = true,
                               .legend = true };
    char *first = draw_fresh(&all);
    /* Move the heap and the stack arena around: nothing may depend on an
       address. */
    void *junk[64];
    for (int i = 0; i < 64; i++) {
        junk[i] = malloc((size_t)1 << (i % 20));
    }
    struct lc_config other = { .stack_size = 128 * 1024 };
    kt_init(&other);
    lc_spawn(noop, NULL);
    lc_run();
    lc_fini();
    char *second = draw_fresh(&all);
    for (int i = 0; i < 64; i++) {
        free(junk[i]);
    }
    ck_assert_str_eq(first, second);
    ck_assert_ptr_null(strstr(first, "0x"));
    free(first);
    free(second);
}
END_TEST

START_TEST(dot_draws_what_was_asked)
{
    kt_init(NULL);
    build_system();
    int rc;
    char *all = dot_of(NULL, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert(strncmp(all, "digraph", 7) == 0);
    ck_assert_uint_eq(all[strlen(all) - 2], '}');
    /* Nodes are named by slot and generation; lonely ones are left out by
       default; the exited worker is drawn from its ghost. */
    ck_assert_ptr_nonnull(strstr(all, "p1_0 "));
    ck_assert_ptr_nonnull(strstr(all, "p6_0 "));
    ck_assert_ptr_null(strstr(all, "p7_0"));
    ck_assert_ptr_nonnull(strstr(all, "exited"));
    ck_assert_ptr_nonnull(strstr(all, "{shutdown, ok}"));
    /* Labels are escaped: the name with quotes and angle brackets. */
    ck_assert_ptr_null(strstr(all, "\"hot\" <1>"));
    ck_assert_ptr_nonnull(strstr(all, "p2_0 -> p3_0"));
    ck_assert_ptr_nonnull(strstr(all, "p3_0 -> p4_0")); /* link, stored */
    ck_assert_ptr_nonnull(strstr(all, "p5_0 -> p4_0"));
    ck_assert_ptr_null(strstr(all, "legend"));
    free(all);

    struct lc_dot_opts links_only = { .links = true,
                                      .lonely = true,
                                      .legend = true };
    char *some = dot_of(&links_only, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(some, "p3_0 -> p4_0"));
    ck_assert_ptr_null(strstr(some, "p2_0 -> p3_0"));
    ck_assert_ptr_null(strstr(some, "p5_0 -> p4_0"));
    ck_assert_ptr_nonnull(strstr(some, "p7_0 ")); /* lonely, asked for */
    ck_assert_ptr_nonnull(strstr(some, "legend"));
    free(some);
}
END_TEST

START_TEST(dot_reports_a_write_error)
{
    kt_init(NULL);
    build_system();
    FILE *ro = fopen("/dev/null", "r");
    ck_assert_ptr_nonnull(ro);
    ck_assert_int_eq(lc_dot_write(ro, NULL), LC_EINVAL);
    fclose(ro);
}
END_TEST

Suite *info_suite(void)
{
    Suite *s = suite_create("info");
    TCase *tc = kt_tcase("processes", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, process_info_describes_a_process);
    tcase_add_test(tc, what_a_layer_sets_for_introspection);
    tcase_add_test(tc, the_process_list_is_in_slot_order);
    tcase_add_test(tc, procdump_prints_one_line_per_process);
    suite_add_tcase(s, tc);

    tc = kt_tcase("edges", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, edges_are_listed_oldest_first);
    tcase_add_test(tc, edge_errors);
    tcase_add_test(tc, edges_go_with_either_end);
    tcase_add_test(tc, a_kept_edge_leaves_a_ghost);
    tcase_add_test(tc, a_kept_edge_goes_with_its_from_end);
    tcase_add_test(tc, a_moved_edge_keeps_its_place);
    tcase_add_test(tc, many_edges);
    suite_add_tcase(s, tc);

    tc = kt_tcase("trace", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, the_tracer_reports_each_event_as_a_line);
    tcase_add_test(tc, event_format_is_snprintf);
    tcase_add_test(tc, trace_print_writes_lines);
    suite_add_tcase(s, tc);

    tc = kt_tcase("dot", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, dot_output_is_byte_stable);
    tcase_add_test(tc, dot_draws_what_was_asked);
    tcase_add_test(tc, dot_reports_a_write_error);
    suite_add_tcase(s, tc);
    return s;
}
