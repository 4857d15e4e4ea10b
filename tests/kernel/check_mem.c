/*
 * check_mem.c - memory and resources owned by a process (kernel/mem.c), and
 * the promise that makes "a restarted process starts clean" true in C:
 * everything a process owns is released however it ends -- a return,
 * lc_proc_exit(), lc_kill() while waiting or runnable, a hardware fault, or
 * lc_fini().
 *
 * Two witnesses check the release. Destructors count themselves, in every
 * build. And the heap itself: in the plain build the bytes malloc has handed
 * out must be back to what they were before the runtime started; under
 * SAN=1, LeakSanitizer checks the same at the end of each test.
 */
#include "ktest.h"

#include <stdlib.h>
#include <string.h>

static struct {
    int dtors;      /* count_dtor() calls */
    int freed;      /* free_obj() calls */
    char order[16]; /* destructor order */
    int handles[4];
    int rc[8];
    bool aligned;
    bool zeroed;
    size_t memory[4];
    bool dtor_saw_memory;
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

static void count_dtor(void *obj)
{
    (void)obj;
    seen.dtors++;
}

static void free_obj(void *obj)
{
    seen.freed++;
    free(obj);
}

static void note_dtor(void *obj)
{
    size_t n = strlen(seen.order);
    if (n < sizeof seen.order - 1) {
        seen.order[n] = *(const char *)obj;
    }
}

/* --- lc_alloc ----------------------------------------------------------- */

static size_t memory_of_self(void)
{
    struct lc_info in;
    lc_proc_info(lc_self(), &in);
    return in.memory;
}

static void use_memory(void *arg)
{
    (void)arg;
    seen.memory[0] = memory_of_self();
    bool aligned = true;
    void *p[8];
    for (int i = 0; i < 8; i++) {
        p[i] = lc_alloc((size_t)1 << (i * 2));
        aligned &= p[i] != NULL && (uintptr_t)p[i] % 16 == 0;
        memset(p[i], 0xab, (size_t)1 << (i * 2));
    }
    seen.aligned = aligned;
    seen.memory[1] = memory_of_self();
    unsigned char *z = lc_zalloc(4096);
    bool zeroed = z != NULL;
    for (int i = 0; zeroed && i < 4096; i++) {
        zeroed = z[i] == 0;
    }
    seen.zeroed = zeroed;
    lc_free(p[7]);
    lc_free(p[0]);
    lc_free(NULL);
    seen.memory[2] = memory_of_self();
    seen.rc[0] = lc_alloc(SIZE_MAX) == NULL;
}

START_TEST(alloc_free_and_the_memory_count)
{
    kt_init(NULL);
    ck_assert_ptr_null(lc_alloc(16)); /* outside any process */
    ck_assert_ptr_null(lc_zalloc(16));
    lc_spawn(use_memory, NULL);
    lc_run();
    size_t total = 0;
    for (int i = 0; i < 8; i++) {
        total += (size_t)1 << (i * 2);
    }
    ck_assert(seen.aligned);
    ck_assert(seen.zeroed);
    ck_assert_uint_eq(seen.memory[0], 0);
    ck_assert_uint_eq(seen.memory[1], total);
    ck_assert_uint_eq(seen.memory[2], total + 4096 - (1 << 14) - 1);
    ck_assert_int_eq(seen.rc[0], 1);
}
END_TEST

/* --- Resources ---------------------------------------------------------- */

static void use_resources(void *arg)
{
    (void)arg;
    static const char names[] = "abcd";
    for (int i = 0; i < 4; i++) {
        seen.handles[i] = lc_resource_add(note_dtor, (void *)&names[i]);
    }
    seen.rc[0] = lc_resource_release(seen.handles[1]); /* "b" now */
    seen.rc[1] = lc_resource_release(seen.handles[1]); /* gone */
    seen.rc[2] = lc_resource_release(9999);
    seen.rc[3] = lc_resource_add(NULL, NULL);
    size_t n = strlen(seen.order);
    seen.order[n] = '|'; /* what ran before the exit */
}

START_TEST(resources_run_newest_first_at_exit)
{
    kt_init(NULL);
    ck_assert_int_eq(lc_resource_add(count_dtor, NULL), LC_EPERM);
    ck_assert_int_eq(lc_resource_release(1), LC_ENOENT);
    lc_spawn(use_resources, NULL);
    lc_run();
    ck_assert_int_gt(seen.handles[0], 0);
    for (int i = 1; i < 4; i++) {
        ck_assert_int_gt(seen.handles[i], seen.handles[i - 1]);
    }
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], LC_ENOENT);
    ck_assert_int_eq(seen.rc[2], LC_ENOENT);
    ck_assert_int_eq(seen.rc[3], LC_EINVAL);
    ck_assert_str_eq(seen.order, "b|dca");
    ck_assert_int_eq(seen.dtors, 0);
}
END_TEST

static void read_block(void *obj)
{
    seen.dtor_saw_memory = strcmp(obj, "still here") == 0;
}

static void dtor_reads_memory(void *arg)
{
    (void)arg;
    char *block = lc_alloc(32);
    strcpy(block, "still here");
    lc_resource_add(read_block, block);
}

START_TEST(destructors_run_before_memory_is_freed)
{
    kt_init(NULL);
    lc_spawn(dtor_reads_memory, NULL);
    lc_run();
    ck_assert(seen.dtor_saw_memory);
}
END_TEST

/* A destructor that sends, on the process's last reduction: the message
   must go out, and the ending process must not get a turn again (nobody
   may see it alive after its exit hooks have run). Four ways to end. */
static lc_pid dtor_to, dtor_victim;
static bool victim_hooked;

static void send_from_dtor(void *obj)
{
    (void)obj;
    lc_send(dtor_to, 42, "bye", 4);
    seen.dtors++;
}

static void deep_then_exit(int depth)
{
    volatile char pad[600];
    pad[0] = 1;
    if (depth < 0) {
        return;
    }
    if (depth == 0) {
        lc_proc_exit(lc_reason(LC_A_NORMAL)); /* 12 KiB down a 16 KiB stack */
    }
    deep_then_exit(depth - 1);
    seen.rc[3] += pad[0];
}

static void ends_with_sending_dtor(void *arg)
{
    int how = (int)(intptr_t)arg;
    lc_resource_add(send_from_dtor, NULL);
    if (how == 1) {
        deep_then_exit(18);
    } else if (how == 2) {
        lc_receive(LC_INFINITY);
    } else if (how == 3) {
        kt_overflow_stack();
    }
}

static void receive_bye(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    seen.rc[0] = m->tag;
    lc_msg_free(m);
}

static void watch_victim(void *arg)
{
    int how = (int)(intptr_t)arg;
    if (how == 2) {
        lc_kill(dtor_victim, lc_reason(LC_A_KILLED));
    }
    for (int i = 0; i < 20 && !victim_hooked; i++) {
        lc_yield();
    }
    seen.rc[1] = victim_hooked;
    seen.rc[2] = lc_alive(dtor_victim);
}

static void note_victim(lc_pid pid, const struct lc_reason *why)
{
    (void)why;
    if (pid == dtor_victim) {
        victim_hooked = true;
    }
}

START_TEST(a_destructor_may_send)
{
    static const char *const how[] = { "return", "deep exit", "kill",
                                       "stack overflow" };
    struct lc_config cfg = { .reductions = 1 };
    kt_init(&cfg);
    kt_on_exit = note_victim;
    victim_hooked = false;
    dtor_to = lc_spawn(receive_bye, NULL);
    struct lc_spawn_opts o = { .stack_size = LC_STACK_MIN };
    ck_assert_int_eq(lc_spawn_opt(&dtor_victim, ends_with_sending_dtor,
                                  (void *)(intptr_t)_i, &o),
                     0);
    lc_spawn(watch_victim, (void *)(intptr_t)_i);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(seen.dtors, 1);
    ck_assert_int_eq(seen.rc[0], 42);
    ck_assert_msg(seen.rc[1], "%s: the exit hooks never ran", how[_i]);
    ck_assert_msg(!seen.rc[2],
                  "%s: the process was alive again after its "
                  "exit hooks",
                  how[_i]);
}
END_TEST

/* --- Released on every kind of exit ------------------------------------- */

enum exit_kind {
    EXIT_RETURN,
    EXIT_PROC_EXIT,
    EXIT_KILL_WAITING,
    EXIT_KILL_RUNNABLE,
    EXIT_KILL_SELF,
    EXIT_SEGV,
    EXIT_NULL_POINTER,
    EXIT_BADARITH,
    EXIT_STACK_OVERFLOW,
    EXIT_FINI,
    NKINDS
};

static const char *const kind_names[NKINDS] = {
    "return",         "lc_proc_exit", "lc_kill waiting", "lc_kill runnable",
    "kill self",      "segv",         "null pointer",    "division by zero",
    "stack overflow", "lc_fini",
};

static lc_pid partner;

static void hold_everything(int kind)
{
    lc_pid self = lc_self();
    for (int i = 0; i < 12; i++) {
        char *b = lc_alloc((size_t)24 << i);
        memset(b, i, (size_t)24 << i);
    }
    lc_zalloc(1 << 20);
    lc_resource_add(free_obj, malloc(100));
    lc_resource_add(count_dtor, NULL);
    char buf[400];
    memset(buf, 'm', sizeof buf);
    for (int i = 0; i < 6; i++) {
        lc_send(self, i, buf, (size_t)40 + 70 * (size_t)i); /* all classes */
    }
    for (int i = 0; i < 3; i++) {
        lc_receive(0); /* held, never freed */
    }
    lc_proc_set_name(self, "victim");
    lc_proc_set_detail(self, "holds everything");
    lc_edge_add(LC_EDGE_LINK, self, partner, "l", 0);
    lc_edge_add(LC_EDGE_SUPERVISES, partner, self, "child", LC_EDGE_KEEP);
    lc_send_after(1000, self, 9, buf, 300); /* pending when it ends */
    (void)kind;
}

static void victim(void *arg)
{
    int kind = (int)(intptr_t)arg;
    hold_everything(kind);
    switch (kind) {
        case EXIT_PROC_EXIT:
            lc_proc_exit(lc_reason(LC_A_SHUTDOWN));
        case EXIT_KILL_WAITING:
        case EXIT_FINI:
            lc_receive_tag(12345, 1000000); /* with a timer armed */
            break;
        case EXIT_KILL_RUNNABLE:
            lc_yield();
            lc_yield();
            break;
        case EXIT_KILL_SELF:
            lc_kill(lc_self(), lc_reason(LC_A_SHUTDOWN));
            break;
        case EXIT_SEGV:
            kt_write_bad_page();
            break;
        case EXIT_NULL_POINTER:
            kt_read_null_page();
            break;
        case EXIT_BADARITH:
            kt_divide_by_zero();
            break;
        case EXIT_STACK_OVERFLOW:
            kt_overflow_stack();
            break;
        default:
            break;
    }
}

static void wait_forever(void *arg)
{
    (void)arg;
    lc_receive(LC_INFINITY);
}

static void kill_it(void *arg)
{
    lc_kill(*(lc_pid *)arg, lc_reason(LC_A_KILLED));
}

/* One full runtime around a victim of 'kind'; returns the victim's pid. */
static lc_pid run_victim(int kind)
{
    lc_init(NULL);
    partner = lc_spawn(wait_forever, NULL);
    static lc_pid v;
    v = lc_spawn(victim, (void *)(intptr_t)kind);
    if (kind == EXIT_KILL_RUNNABLE) {
        lc_spawn(kill_it, &v); /* runs while the victim is in the queue */
    }
    lc_run_until_idle();
    if (kind == EXIT_KILL_WAITING) {
        lc_kill(v, lc_reason(LC_A_KILLED));
        lc_run_until_idle();
    }
    if (kind != EXIT_FINI) {
        lc_run(); /* the pending send_after fires and is dropped */
    }
    lc_fini();
    return v;
}

static const lc_atom expected_kind[NKINDS] = {
    [EXIT_RETURN] = LC_A_NORMAL,
    [EXIT_PROC_EXIT] = LC_A_SHUTDOWN,
    [EXIT_KILL_WAITING] = LC_A_KILLED,
    [EXIT_KILL_RUNNABLE] = LC_A_KILLED,
    [EXIT_KILL_SELF] = LC_A_SHUTDOWN,
    [EXIT_SEGV] = LC_A_SEGV,
    [EXIT_NULL_POINTER] = LC_A_ERROR,
    [EXIT_BADARITH] = LC_A_ERROR,
    [EXIT_STACK_OVERFLOW] = LC_A_STACK_OVERFLOW,
    [EXIT_FINI] = LC_A_KILLED,
};

START_TEST(everything_is_released_on_every_kind_of_exit)
{
    int kind = _i;
    run_victim(kind); /* warm up: first-use allocations of the C library */
    reset();
    size_t before = kt_heap_in_use();
    lc_pid v = run_victim(kind);
    size_t after = kt_heap_in_use();

    const struct lc_reason *why = kt_exit_of(v);
    ck_assert_msg(why != NULL, "%s: the victim did not end", kind_names[kind]);
    ck_assert_msg(why->kind == expected_kind[kind], "%s: ended with %s",
                  kind_names[kind], kt_str(why));
    ck_assert_msg(seen.dtors == 1 && seen.freed == 1,
                  "%s: %d of 2 destructors ran", kind_names[kind],
                  seen.dtors + seen.freed);
    if (kt_heap_measurable()) {
        ck_assert_msg(after == before,
                      "%s: %zd bytes of heap not released after lc_fini()",
                      kind_names[kind], (ssize_t)(after - before));
    }
}
END_TEST

/* Many processes allocate and end in every order; the heap comes back. */
static void alloc_and_wait(void *arg)
{
    int i = (int)(intptr_t)arg;
    lc_alloc((size_t)16 + (size_t)i * 8);
    lc_resource_add(count_dtor, NULL);
    lc_send(lc_self(), 0, "x", 1);
    if (i % 3 == 0) {
        lc_receive(LC_INFINITY);
        lc_receive(LC_INFINITY);
    } else if (i % 3 == 1) {
        lc_sleep(i);
    }
}

START_TEST(many_processes_release_everything)
{
    enum {
        N = 3000
    };
    kt_init(NULL);
    lc_fini();
    size_t before = kt_heap_in_use();
    lc_init(NULL);
    for (int i = 0; i < N; i++) {
        lc_spawn(alloc_and_wait, (void *)(intptr_t)i);
    }
    size_t left = lc_run();
    lc_fini();
    size_t after = kt_heap_in_use();
    ck_assert_uint_eq(left, N / 3);
    ck_assert_int_eq(seen.dtors, N);
    if (kt_heap_measurable()) {
        ck_assert_msg(after == before, "%zd bytes not released",
                      (ssize_t)(after - before));
    }
}
END_TEST

Suite *mem_suite(void)
{
    Suite *s = suite_create("mem");
    TCase *tc = kt_tcase("alloc", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, alloc_free_and_the_memory_count);
    tcase_add_test(tc, resources_run_newest_first_at_exit);
    tcase_add_test(tc, destructors_run_before_memory_is_freed);
    tcase_add_loop_test(tc, a_destructor_may_send, 0, 4);
    suite_add_tcase(s, tc);

    tc = kt_tcase("release", 20);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_loop_test(tc, everything_is_released_on_every_kind_of_exit, 0,
                        NKINDS);
    tcase_add_test(tc, many_processes_release_everything);
    suite_add_tcase(s, tc);
    return s;
}
