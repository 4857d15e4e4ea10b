/*
 * check_mbox.c - messages, the mailbox and selective receive
 * (kernel/mbox.c): send, receive of any message, by tag, by reference and
 * by predicate, the order selective receive leaves behind, the receive
 * marker of lc_ref_make(), timeouts on the virtual clock, sends to dead
 * processes, and the mailbox's length.
 */
#include "ktest.h"

#include <stdlib.h>
#include <string.h>

static struct {
    int tags[64];
    int ntags;
    int values[64];
    lc_pid from[8];
    uint32_t size[8];
    char text[8][16];
    int64_t at[8];
    size_t len[8];
    bool got_null[8];
    uint64_t ref[8];
    int pred_calls;
    enum lc_state state;
    size_t waiting_len;
    bool ok;
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

/* Receive everything left (without waiting) and record the tags. */
static void drain_tags(void)
{
    struct lc_msg *m;
    while ((m = lc_receive(0)) != NULL) {
        if (seen.ntags < 64) {
            seen.tags[seen.ntags++] = m->tag;
        }
        lc_msg_free(m);
    }
}

static const char *tags_str(void)
{
    static char buf[256];
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < seen.ntags && n < sizeof buf - 8; i++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d", i ? " " : "",
                              seen.tags[i]);
    }
    return buf;
}

/* --- Send and receive --------------------------------------------------- */

static void send_self_in_order(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 5; i++) {
        lc_send(lc_self(), i, NULL, 0);
    }
    drain_tags();
}

START_TEST(messages_arrive_in_the_order_sent)
{
    kt_init(NULL);
    lc_spawn(send_self_in_order, NULL);
    lc_run();
    ck_assert_str_eq(tags_str(), "1 2 3 4 5");
}
END_TEST

static void receive_three(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        seen.from[i] = m->from;
        seen.size[i] = m->size;
        seen.tags[i] = m->tag;
        seen.ref[i] = m->ref;
        memcpy(seen.text[i], m->data, m->size < 16 ? m->size : 16);
        lc_msg_free(m);
    }
}

static void send_three(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    char buf[16] = "first";
    lc_send(to, 10, buf, 6);
    strcpy(buf, "XXXXX"); /* the message is a copy: this changes nothing */
    lc_send_ref(to, -3, 77, "second", 7);
    lc_send(to, 12, NULL, 0);
}

START_TEST(a_message_is_a_copy_with_sender_tag_and_ref)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(receive_three, NULL);
    lc_pid s = lc_spawn(send_three, &r);
    lc_run();
    ck_assert_uint_eq(seen.from[0], s);
    ck_assert_str_eq(seen.text[0], "first");
    ck_assert_uint_eq(seen.size[0], 6);
    ck_assert_int_eq(seen.tags[0], 10);
    ck_assert_uint_eq(seen.ref[0], 0);
    ck_assert_str_eq(seen.text[1], "second");
    ck_assert_int_eq(seen.tags[1], -3); /* layer tags are negative */
    ck_assert_uint_eq(seen.ref[1], 77);
    ck_assert_uint_eq(seen.size[2], 0);
    ck_assert_int_eq(seen.tags[2], 12);
}
END_TEST

START_TEST(a_send_from_outside_has_no_sender)
{
    kt_init(NULL);
    lc_pid r = lc_spawn(receive_three, NULL);
    lc_run_until_idle();
    ck_assert_int_eq(lc_send(r, 1, "a", 2), 0);
    ck_assert_int_eq(lc_send(r, 2, "b", 2), 0);
    ck_assert_int_eq(lc_send(r, 3, "c", 2), 0);
    lc_run();
    ck_assert_uint_eq(seen.from[0], LC_NOPID);
    ck_assert_str_eq(seen.text[2], "c");
}
END_TEST

static void receive_big(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    bool ok = m->size == n;
    for (size_t i = 0; ok && i < n; i++) {
        ok = m->data[i] == (unsigned char)(i * 7 + 1);
    }
    seen.ok = ok && ((uintptr_t)m->data % 16) == 0;
    lc_msg_free(m);
}

START_TEST(big_messages)
{
    kt_init(NULL);
    size_t n = 16u << 20; /* the largest allowed */
    unsigned char *buf = malloc(n + 1);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < n + 1; i++) {
        buf[i] = (unsigned char)(i * 7 + 1);
    }
    lc_pid r = lc_spawn(receive_big, (void *)(uintptr_t)n);
    int too_big = lc_send(r, 1, buf, n + 1);
    int no_data = lc_send(r, 1, NULL, 4);
    int ok = lc_send(r, 1, buf, n);
    free(buf);
    lc_run();
    ck_assert_int_eq(too_big, LC_EINVAL);
    ck_assert_int_eq(no_data, LC_EINVAL);
    ck_assert_int_eq(ok, 0);
    ck_assert(seen.ok);
}
END_TEST

static void flood_receiver(void *arg)
{
    int n = (int)(intptr_t)arg;
    int64_t sum = 0;
    bool in_order = true;
    for (int i = 0; i < n; i++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int v;
        memcpy(&v, m->data, sizeof v);
        in_order &= v == i;
        sum += v;
        lc_msg_free(m);
    }
    seen.ok = in_order && sum == (int64_t)n * (n - 1) / 2;
    seen.len[0] = lc_mailbox_len();
}

START_TEST(a_long_mailbox_stays_in_order)
{
    enum {
        N = 200000
    };
    kt_init(NULL);
    lc_pid r = lc_spawn(flood_receiver, (void *)(intptr_t)N);
    for (int i = 0; i < N; i++) {
        lc_send(r, 0, &i, sizeof i);
    }
    struct lc_info in;
    lc_proc_info(r, &in);
    ck_assert_uint_eq(in.mailbox_len, N);
    lc_run();
    ck_assert(seen.ok);
    ck_assert_uint_eq(seen.len[0], 0);
}
END_TEST

/* --- Selective receive -------------------------------------------------- */

static void pick_tag_two(void *arg)
{
    (void)arg;
    int tags[] = { 1, 2, 3, 2, 1 };
    for (int i = 0; i < 5; i++) {
        lc_send(lc_self(), tags[i], &i, sizeof i);
    }
    struct lc_msg *m = lc_receive_tag(2, 0);
    memcpy(&seen.values[0], m->data, sizeof(int)); /* which 2? */
    lc_msg_free(m);
    seen.got_null[0] = lc_receive_tag(9, 0) == NULL;
    drain_tags();
}

START_TEST(receive_by_tag_takes_the_first_match)
{
    kt_init(NULL);
    lc_spawn(pick_tag_two, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 1); /* the first 2, sent second */
    ck_assert(seen.got_null[0]);
    ck_assert_str_eq(tags_str(), "1 3 2 1");
}
END_TEST

static bool value_over(const struct lc_msg *m, const void *ctx)
{
    int v;
    seen.pred_calls++;
    memcpy(&v, m->data, sizeof v);
    return v > *(const int *)ctx;
}

static void pick_by_predicate(void *arg)
{
    (void)arg;
    int vals[] = { 5, 12, 7, 30, 11 };
    for (int i = 0; i < 5; i++) {
        lc_send(lc_self(), 100 + i, &vals[i], sizeof(int));
    }
    int limit = 10;
    struct lc_msg *m = lc_receive_match(value_over, &limit, 0);
    seen.values[0] = m ? m->tag : -1;
    lc_msg_free(m);
    limit = 20;
    m = lc_receive_match(value_over, &limit, 0);
    seen.values[1] = m ? m->tag : -1;
    lc_msg_free(m);
    limit = 100;
    seen.got_null[0] = lc_receive_match(value_over, &limit, 0) == NULL;
    drain_tags();
}

START_TEST(receive_by_predicate)
{
    kt_init(NULL);
    lc_spawn(pick_by_predicate, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 101); /* 12 */
    ck_assert_int_eq(seen.values[1], 103); /* 30 */
    ck_assert(seen.got_null[0]);
    ck_assert_str_eq(tags_str(), "100 102 104");
}
END_TEST

static lc_pid picky;

static void wait_for_nine(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive_tag(9, LC_INFINITY);
    seen.values[0] = m->tag;
    lc_msg_free(m);
    drain_tags();
}

static void tease_then_send_nine(void *arg)
{
    (void)arg;
    lc_send(picky, 1, NULL, 0);
    lc_send(picky, 2, NULL, 0);
    lc_yield();
    lc_yield();
    struct lc_info in;
    lc_proc_info(picky, &in);
    seen.state = in.state;
    seen.waiting_len = in.mailbox_len;
    lc_send(picky, 9, NULL, 0);
    lc_send(picky, 3, NULL, 0);
}

START_TEST(other_messages_do_not_wake_a_selective_receive)
{
    kt_init(NULL);
    picky = lc_spawn(wait_for_nine, NULL);
    lc_spawn(tease_then_send_nine, NULL);
    lc_run();
    ck_assert_int_eq(seen.state, LC_STATE_WAITING);
    ck_assert_uint_eq(seen.waiting_len, 2);
    ck_assert_int_eq(seen.values[0], 9);
    ck_assert_str_eq(tags_str(), "1 2 3");
}
END_TEST

static bool is_tag_five(const struct lc_msg *m, const void *ctx)
{
    (void)ctx;
    seen.pred_calls++;
    return m->tag == 5;
}

static void wait_with_predicate(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        lc_send(lc_self(), i, NULL, 0);
    }
    struct lc_msg *m = lc_receive_match(is_tag_five, NULL, LC_INFINITY);
    seen.values[0] = m->tag;
    lc_msg_free(m);
}

static void send_four_then_five(void *arg)
{
    (void)arg;
    lc_send(picky, 4, NULL, 0);
    lc_yield();
    lc_send(picky, 5, NULL, 0);
}

/* A woken receive goes on from where it stopped: the messages it already
   looked at cannot have started to match. */
START_TEST(a_woken_receive_scans_only_new_messages)
{
    kt_init(NULL);
    picky = lc_spawn(wait_with_predicate, NULL);
    lc_spawn(send_four_then_five, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 5);
    ck_assert_msg(seen.pred_calls == 5,
                  "the predicate ran %d times for 5 "
                  "messages",
                  seen.pred_calls);
}
END_TEST

/* --- References and the receive marker ---------------------------------- */

static void echo_ref(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    lc_send_ref(m->from, 50, m->ref, "reply", 6);
    lc_msg_free(m);
}

static void call_behind_many(void *arg)
{
    lc_pid server = *(lc_pid *)arg;
    for (int i = 0; i < 1000; i++) {
        lc_send(lc_self(), i, NULL, 0);
    }
    uint64_t ref = lc_ref_make();
    lc_send_ref(server, 1, ref, NULL, 0);
    struct lc_msg *m = lc_receive_ref(ref, 100);
    seen.ok =
            m != NULL && m->ref == ref && strcmp((char *)m->data, "reply") == 0;
    lc_msg_free(m);
    seen.len[0] = lc_mailbox_len();
    bool in_order = true;
    for (int i = 0; i < 1000; i++) {
        m = lc_receive(0);
        in_order &= m != NULL && m->tag == i;
        lc_msg_free(m);
    }
    seen.got_null[0] = in_order;
}

START_TEST(a_call_finds_its_reply_behind_other_messages)
{
    kt_init(NULL);
    static lc_pid server;
    server = lc_spawn(echo_ref, NULL);
    lc_spawn(call_behind_many, &server);
    lc_run();
    ck_assert(seen.ok);
    ck_assert_uint_eq(seen.len[0], 1000);
    ck_assert(seen.got_null[0]);
}
END_TEST

START_TEST(references_are_unique)
{
    kt_init(NULL);
    uint64_t a = lc_ref_make(), b = lc_ref_make(), c = lc_ref_make();
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_ne(b, c);
    ck_assert_uint_ne(a, c);
}
END_TEST

static void older_ref(void *arg)
{
    (void)arg;
    uint64_t r1 = lc_ref_make();
    uint64_t r2 = lc_ref_make(); /* moves the marker to r2 */
    lc_send(lc_self(), 1, NULL, 0);
    lc_send_ref(lc_self(), 2, r1, NULL, 0);
    lc_send_ref(lc_self(), 3, r2, NULL, 0);
    struct lc_msg *m = lc_receive_ref(r1, 0);
    seen.values[0] = m ? m->tag : -1;
    lc_msg_free(m);
    m = lc_receive_ref(r2, 0);
    seen.values[1] = m ? m->tag : -1;
    lc_msg_free(m);
    drain_tags();
}

START_TEST(an_older_reference_is_still_found)
{
    kt_init(NULL);
    lc_spawn(older_ref, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 2);
    ck_assert_int_eq(seen.values[1], 3);
    ck_assert_str_eq(tags_str(), "1");
}
END_TEST

static void marker_survives_takes(void *arg)
{
    (void)arg;
    lc_send(lc_self(), 1, NULL, 0);
    lc_send(lc_self(), 2, NULL, 0);
    uint64_t ref = lc_ref_make();      /* marks the end: after message 2 */
    lc_msg_free(lc_receive_tag(2, 0)); /* the marked message goes */
    lc_send(lc_self(), 3, NULL, 0);
    lc_send_ref(lc_self(), 4, ref, NULL, 0);
    lc_send_ref(lc_self(), 5, ref, NULL, 0);
    struct lc_msg *m = lc_receive_ref(ref, 0);
    seen.values[0] = m ? m->tag : -1;
    lc_msg_free(m);
    m = lc_receive_ref(ref, 0); /* the same reference again */
    seen.values[1] = m ? m->tag : -1;
    lc_msg_free(m);
    seen.got_null[0] = lc_receive_ref(ref, 0) == NULL;
    drain_tags();
}

START_TEST(the_marker_survives_taking_the_marked_message)
{
    kt_init(NULL);
    lc_spawn(marker_survives_takes, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 4);
    ck_assert_int_eq(seen.values[1], 5);
    ck_assert(seen.got_null[0]);
    ck_assert_str_eq(tags_str(), "1 3");
}
END_TEST

static void marker_last_taken(void *arg)
{
    (void)arg;
    lc_send(lc_self(), 1, NULL, 0);
    uint64_t ref = lc_ref_make();
    lc_msg_free(lc_receive(0)); /* the mailbox is empty again */
    lc_send(lc_self(), 2, NULL, 0);
    lc_send_ref(lc_self(), 3, ref, NULL, 0);
    struct lc_msg *m = lc_receive_ref(ref, 0);
    seen.values[0] = m ? m->tag : -1;
    lc_msg_free(m);
    drain_tags();
}

START_TEST(the_marker_survives_an_emptied_mailbox)
{
    kt_init(NULL);
    lc_spawn(marker_last_taken, NULL);
    lc_run();
    ck_assert_int_eq(seen.values[0], 3);
    ck_assert_str_eq(tags_str(), "2");
}
END_TEST

static void wait_on_ref(void *arg)
{
    (void)arg;
    uint64_t ref = lc_ref_make();
    seen.ref[0] = ref;
    struct lc_msg *m = lc_receive_ref(ref, LC_INFINITY);
    seen.values[0] = m->tag;
    seen.at[0] = lc_now();
    lc_msg_free(m);
    drain_tags();
}

static void reply_late(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    lc_send(to, 1, NULL, 0);
    lc_send_ref(to, 2, seen.ref[0] + 1000, NULL, 0); /* another reference */
    lc_sleep(10);
    lc_send_ref(to, 3, seen.ref[0], NULL, 0);
}

START_TEST(a_receive_by_reference_waits_for_its_own)
{
    kt_init(NULL);
    static lc_pid w;
    w = lc_spawn(wait_on_ref, NULL);
    lc_spawn(reply_late, &w);
    lc_run();
    ck_assert_int_eq(seen.values[0], 3);
    ck_assert_int_eq(seen.at[0], 10);
    ck_assert_str_eq(tags_str(), "1 2");
}
END_TEST

/* --- Timeouts ----------------------------------------------------------- */

static void poll_empty(void *arg)
{
    (void)arg;
    seen.got_null[0] = lc_receive(0) == NULL;
    seen.got_null[1] = lc_receive_tag(1, 0) == NULL;
    seen.got_null[2] = lc_receive_ref(1, 0) == NULL;
    seen.got_null[3] = lc_receive_match(is_tag_five, NULL, 0) == NULL;
    seen.at[0] = lc_now();
    kt_say("polled ");
}

START_TEST(timeout_zero_polls)
{
    kt_init(NULL);
    lc_spawn(poll_empty, NULL);
    lc_spawn(poll_empty, NULL);
    lc_run();
    for (int i = 0; i < 4; i++) {
        ck_assert(seen.got_null[i]);
    }
    ck_assert_int_eq(seen.at[0], 0);
    ck_assert_str_eq(kt_said(), "polled polled ");
    ck_assert_int_eq(lc_now(), 0);
}
END_TEST

static void time_out_thrice(void *arg)
{
    (void)arg;
    seen.got_null[0] = lc_receive(250) == NULL;
    seen.at[0] = lc_now();
    seen.got_null[1] = lc_receive_tag(3, 10) == NULL;
    seen.at[1] = lc_now();
    seen.got_null[2] = lc_receive_ref(12345, 1) == NULL;
    seen.at[2] = lc_now();
}

START_TEST(timeouts_end_at_the_exact_virtual_time)
{
    kt_init(NULL);
    lc_spawn(time_out_thrice, NULL);
    lc_run();
    ck_assert(seen.got_null[0] && seen.got_null[1] && seen.got_null[2]);
    ck_assert_int_eq(seen.at[0], 250);
    ck_assert_int_eq(seen.at[1], 260);
    ck_assert_int_eq(seen.at[2], 261);
}
END_TEST

static void receive_within(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(1000);
    seen.got_null[0] = m == NULL;
    seen.at[0] = lc_now();
    lc_msg_free(m);
}

static void send_after_sleep(void *arg)
{
    lc_sleep(100);
    lc_send(*(lc_pid *)arg, 1, NULL, 0);
}

START_TEST(a_message_before_the_timeout_cancels_it)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(receive_within, NULL);
    lc_spawn(send_after_sleep, &r);
    lc_run();
    ck_assert(!seen.got_null[0]);
    ck_assert_int_eq(seen.at[0], 100);
    ck_assert_msg(lc_now() == 100,
                  "the clock ran on to %lld: the cancelled "
                  "timeout was left behind",
                  (long long)lc_now());
}
END_TEST

static bool never(const struct lc_msg *m, const void *ctx)
{
    (void)m;
    (void)ctx;
    return false;
}

static void wait_selectively(void *arg)
{
    int how = (int)(intptr_t)arg;
    struct lc_msg *m = how == 0   ? lc_receive_tag(5, 300)
                       : how == 1 ? lc_receive_ref(5, 300)
                                  : lc_receive_match(never, NULL, 300);
    seen.got_null[how] = m == NULL;
    seen.at[how] = lc_now();
    seen.len[how] = lc_mailbox_len();
    lc_msg_free(m);
}

static void pester(void *arg)
{
    const lc_pid *to = arg;
    for (int t = 0; t < 2; t++) {
        lc_sleep(100);
        for (int i = 0; i < 3; i++) {
            lc_send(to[i], 1, NULL, 0);
        }
    }
}

/* A timeout counts from the start of the receive: messages that do not
   match do not restart it (Erlang's `after`). */
START_TEST(other_messages_do_not_restart_a_timeout)
{
    kt_init(NULL);
    static lc_pid r[3];
    for (int i = 0; i < 3; i++) {
        r[i] = lc_spawn(wait_selectively, (void *)(intptr_t)i);
    }
    lc_spawn(pester, r);
    lc_run();
    static const char *const how[] = { "tag", "ref", "predicate" };
    for (int i = 0; i < 3; i++) {
        ck_assert(seen.got_null[i]);
        ck_assert_msg(seen.at[i] == 300,
                      "receive by %s with timeout 300 "
                      "ended at %lld",
                      how[i], (long long)seen.at[i]);
        ck_assert_uint_eq(seen.len[i], 2);
    }
}
END_TEST

static void wait_forever_then_count(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    seen.at[0] = lc_now();
    lc_msg_free(m);
}

static void send_much_later(void *arg)
{
    lc_sleep(1000000);
    lc_send(*(lc_pid *)arg, 1, NULL, 0);
}

START_TEST(infinity_never_times_out)
{
    kt_init(NULL);
    lc_pid alone = lc_spawn(wait_forever_then_count, NULL);
    ck_assert_uint_eq(lc_run(), 1);
    ck_assert_int_eq(lc_now(), 0);
    ck_assert(lc_alive(alone));
    static lc_pid w;
    w = lc_spawn(wait_forever_then_count, NULL);
    lc_spawn(send_much_later, &w);
    ck_assert_uint_eq(lc_run(), 1);
    ck_assert_int_eq(seen.at[0], 1000000);
}
END_TEST

static void late_message_stays(void *arg)
{
    (void)arg;
    seen.got_null[0] = lc_receive_tag(7, 50) == NULL;
    lc_sleep(100);
    seen.len[0] = lc_mailbox_len();
    drain_tags();
}

static void send_seven_at_60(void *arg)
{
    lc_sleep(60);
    lc_send(*(lc_pid *)arg, 7, NULL, 0);
}

START_TEST(a_message_after_the_timeout_waits_in_the_mailbox)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(late_message_stays, NULL);
    lc_spawn(send_seven_at_60, &r);
    lc_run();
    ck_assert(seen.got_null[0]);
    ck_assert_uint_eq(seen.len[0], 1);
    ck_assert_str_eq(tags_str(), "7");
}
END_TEST

/* --- Dead receivers and the mailbox's length ---------------------------- */

static void noop(void *arg)
{
    (void)arg;
}

static void send_to_dead(void *arg)
{
    lc_pid dead = *(lc_pid *)arg;
    seen.values[0] = lc_send(dead, 1, "lost", 5);
    seen.values[1] = lc_send_ref(dead, 1, 9, "lost", 5);
    seen.values[2] = lc_send(LC_NOPID, 1, "lost", 5);
}

START_TEST(a_send_to_a_dead_process_is_dropped)
{
    kt_init(NULL);
    static lc_pid dead;
    dead = lc_spawn(noop, NULL);
    lc_run();
    lc_pid heir = lc_spawn(wait_forever_then_count, NULL); /* same entry */
    lc_spawn(send_to_dead, &dead);
    ck_assert_uint_eq(lc_run(), 1);
    ck_assert_int_eq(seen.values[0], 0);
    ck_assert_int_eq(seen.values[1], 0);
    ck_assert_int_eq(seen.values[2], 0);
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(heir, &in), 0);
    ck_assert_uint_eq(in.mailbox_len, 0);
}
END_TEST

static void count_mailbox(void *arg)
{
    (void)arg;
    seen.len[0] = lc_mailbox_len();
    for (int i = 0; i < 4; i++) {
        lc_send(lc_self(), i, "abcdefgh", 8);
    }
    seen.len[1] = lc_mailbox_len();
    struct lc_msg *held = lc_receive_tag(2, 0); /* held, not waiting */
    seen.len[2] = lc_mailbox_len();
    struct lc_info in;
    lc_proc_info(lc_self(), &in);
    seen.len[3] = in.mailbox_len;
    seen.len[4] = in.memory;
    lc_msg_free(held);
    lc_proc_info(lc_self(), &in);
    seen.len[5] = in.memory;
    lc_msg_free(NULL); /* ignored */
    lc_msg_free(lc_receive(0));
    seen.len[6] = lc_mailbox_len();
}

START_TEST(mailbox_length)
{
    kt_init(NULL);
    ck_assert_uint_eq(lc_mailbox_len(), 0); /* outside any process */
    lc_spawn(count_mailbox, NULL);
    lc_run();
    ck_assert_uint_eq(seen.len[0], 0);
    ck_assert_uint_eq(seen.len[1], 4);
    ck_assert_uint_eq(seen.len[2], 3);
    ck_assert_uint_eq(seen.len[3], 3);
    ck_assert_uint_ge(seen.len[4], 8); /* a held message counts as memory */
    ck_assert_uint_eq(seen.len[4] - seen.len[5], 8);
    ck_assert_uint_eq(seen.len[6], 2);
}
END_TEST

Suite *mbox_suite(void)
{
    Suite *s = suite_create("mbox");
    TCase *tc = kt_tcase("send", 20);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, messages_arrive_in_the_order_sent);
    tcase_add_test(tc, a_message_is_a_copy_with_sender_tag_and_ref);
    tcase_add_test(tc, a_send_from_outside_has_no_sender);
    tcase_add_test(tc, big_messages);
    tcase_add_test(tc, a_long_mailbox_stays_in_order);
    tcase_add_test(tc, a_send_to_a_dead_process_is_dropped);
    tcase_add_test(tc, mailbox_length);
    suite_add_tcase(s, tc);

    tc = kt_tcase("selective", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, receive_by_tag_takes_the_first_match);
    tcase_add_test(tc, receive_by_predicate);
    tcase_add_test(tc, other_messages_do_not_wake_a_selective_receive);
    tcase_add_test(tc, a_woken_receive_scans_only_new_messages);
    suite_add_tcase(s, tc);

    tc = kt_tcase("refs", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, references_are_unique);
    tcase_add_test(tc, a_call_finds_its_reply_behind_other_messages);
    tcase_add_test(tc, an_older_reference_is_still_found);
    tcase_add_test(tc, the_marker_survives_taking_the_marked_message);
    tcase_add_test(tc, the_marker_survives_an_emptied_mailbox);
    tcase_add_test(tc, a_receive_by_reference_waits_for_its_own);
    suite_add_tcase(s, tc);

    tc = kt_tcase("timeouts", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, timeout_zero_polls);
    tcase_add_test(tc, timeouts_end_at_the_exact_virtual_time);
    tcase_add_test(tc, a_message_before_the_timeout_cancels_it);
    tcase_add_test(tc, other_messages_do_not_restart_a_timeout);
    tcase_add_test(tc, infinity_never_times_out);
    tcase_add_test(tc, a_message_after_the_timeout_waits_in_the_mailbox);
    suite_add_tcase(s, tc);
    return s;
}
