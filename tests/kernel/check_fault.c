/*
 * check_fault.c - hardware faults end only the process that made them
 * (kernel/fault.c).
 *
 * The headline tests put one faulting process among a thousand others that
 * keep exchanging messages, yielding and checking the patterns they left on
 * their stacks and heaps: after the fault every one of them must finish its
 * work and end normally, and the faulting one must end with exactly the
 * reason fault.c promises. Then the faults OTP calls errors (null pointer,
 * division by zero) must reach the fault hook, where chapter 1 turns them
 * into catchable errors, and the others must not.
 */
#include "ktest.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

enum fault_kind {
    F_SEGV,
    F_BADARITH,
    F_OVERFLOW,
    F_NULL,
    F_WILD,
    NFAULTS
};

static int make_fault(int kind)
{
    switch (kind) {
        case F_SEGV:
            return kt_write_bad_page();
        case F_BADARITH:
            return kt_divide_by_zero();
        case F_OVERFLOW:
            return kt_overflow_stack();
        case F_NULL:
            return kt_read_null_page();
        default:
            return kt_read_wild_pointer();
    }
}

/* What each fault must end the process with: kind, value, where, text. */
static const struct {
    lc_atom kind;
    lc_atom value; /* LC_A_NONE: a bare reason */
    const char *where;
    const char *text;
} expected[NFAULTS] = {
    [F_SEGV] = { LC_A_SEGV, LC_A_NONE, "SIGSEGV at a bad address", "segv" },
    [F_BADARITH] = { LC_A_ERROR, LC_A_BADARITH,
                     "SIGFPE: integer division by zero (or overflow)",
                     "{badarith, \"SIGFPE: integer division by zero (or "
                     "overflow)\"}" },
    [F_OVERFLOW] = { LC_A_STACK_OVERFLOW, LC_A_NONE,
                     "SIGSEGV in the stack's guard page", "stack_overflow" },
    [F_NULL] = { LC_A_ERROR, LC_A_NULL_POINTER, "SIGSEGV in the null page",
                 "{null_pointer, \"SIGSEGV in the null page\"}" },
    [F_WILD] = { LC_A_SEGV, LC_A_NONE, "SIGSEGV at a bad address", "segv" },
};

static const char *const fault_names[NFAULTS] = {
    "segfault",     "division by zero", "stack overflow",
    "null pointer", "wild pointer",
};

/* Assert that 'r' is exactly the reason of fault 'kind'. */
static void assert_fault_reason(const struct lc_reason *r, int kind)
{
    const char *name = fault_names[kind];
    ck_assert_msg(r != NULL, "%s: the process did not end", name);
    ck_assert_msg(r->kind == expected[kind].kind, "%s: ended with %s", name,
                  kt_str(r));
    if (expected[kind].value == LC_A_NONE) {
        ck_assert_msg(r->value.type == LC_T_NONE, "%s: %s", name, kt_str(r));
    } else {
        ck_assert_msg(lc_term_eq(r->value, lc_atom_term(expected[kind].value)),
                      "%s: %s", name, kt_str(r));
    }
    ck_assert_uint_eq(r->via, 0);
    ck_assert_ptr_nonnull(r->where);
    ck_assert_str_eq(r->where, expected[kind].where);
    ck_assert_str_eq(kt_str(r), expected[kind].text);
}

/* --- One fault among a thousand processes ------------------------------- */

enum {
    BYSTANDERS = 1000,
    ROUNDS = 20,
    PATTERN = 64
};

static int rounds_done[BYSTANDERS];
static bool intact[BYSTANDERS];

static uint32_t pattern(int i, int j)
{
    return (uint32_t)i * 2654435761u + (uint32_t)j;
}

static void bystander(void *arg)
{
    int i = (int)(intptr_t)arg;
    volatile uint32_t on_stack[PATTERN];
    uint32_t *on_heap = lc_alloc(PATTERN * sizeof *on_heap);
    for (int j = 0; j < PATTERN; j++) {
        on_stack[j] = on_heap[j] = pattern(i, j);
    }
    for (int r = 0; r < ROUNDS; r++) {
        lc_send(lc_self(), r, &i, sizeof i);
        struct lc_msg *m = lc_receive_tag(r, LC_INFINITY);
        int got;
        memcpy(&got, m->data, sizeof got);
        lc_msg_free(m);
        if (got != i) {
            return;
        }
        rounds_done[i]++;
        lc_yield();
    }
    bool ok = true;
    for (int j = 0; j < PATTERN; j++) {
        ok &= on_stack[j] == pattern(i, j) && on_heap[j] == pattern(i, j);
    }
    intact[i] = ok;
}

static void faulter(void *arg)
{
    for (int r = 0; r < ROUNDS / 2; r++) {
        lc_yield(); /* fault in the middle of everybody's work */
    }
    make_fault((int)(intptr_t)arg);
    kt_say("survived the fault ");
}

static void one_fault_among_a_thousand(int kind)
{
    memset(rounds_done, 0, sizeof rounds_done);
    memset(intact, 0, sizeof intact);
    kt_init(NULL);
    for (int i = 0; i < BYSTANDERS / 2; i++) {
        lc_spawn(bystander, (void *)(intptr_t)i);
    }
    lc_pid f = lc_spawn(faulter, (void *)(intptr_t)kind);
    for (int i = BYSTANDERS / 2; i < BYSTANDERS; i++) {
        lc_spawn(bystander, (void *)(intptr_t)i);
    }
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_str_eq(kt_said(), "");
    assert_fault_reason(kt_exit_of(f), kind);
    ck_assert_uint_eq(kt_exits(), BYSTANDERS + 1);
    ck_assert_msg(kt_abnormal_exits() == 1, "%zu processes ended abnormally",
                  kt_abnormal_exits());
    for (int i = 0; i < BYSTANDERS; i++) {
        ck_assert_msg(rounds_done[i] == ROUNDS && intact[i],
                      "bystander %d: %d of %d rounds, memory %s", i,
                      rounds_done[i], ROUNDS, intact[i] ? "intact" : "damaged");
    }
}

START_TEST(a_segfault_ends_only_its_process)
{
    one_fault_among_a_thousand(F_SEGV);
}
END_TEST

START_TEST(a_division_by_zero_ends_only_its_process)
{
    one_fault_among_a_thousand(F_BADARITH);
}
END_TEST

START_TEST(a_stack_overflow_ends_only_its_process)
{
    one_fault_among_a_thousand(F_OVERFLOW);
}
END_TEST

START_TEST(a_null_pointer_ends_only_its_process)
{
    one_fault_among_a_thousand(F_NULL);
}
END_TEST

/* A garbage pointer such as 0xdead0000beef0000 is not canonical on x86-64:
   the CPU reports a general-protection fault, and the kernel hands the
   handler address 0. It is a wild pointer, not a null one. */
START_TEST(a_wild_pointer_is_a_segfault_not_a_null_pointer)
{
    kt_init(NULL);
    lc_pid f = lc_spawn(faulter, (void *)(intptr_t)F_WILD);
    lc_run();
    assert_fault_reason(kt_exit_of(f), F_WILD);
}
END_TEST

/* Every kind of fault, a thousand times in a row: the handler leaves the
   signal unblocked and the alternate stack free each time. */
static void fault_now(void *arg)
{
    make_fault((int)(intptr_t)arg);
}

static void nothing(void *arg)
{
    (void)arg;
}

START_TEST(a_thousand_faults_in_a_row)
{
    enum {
        N = 1000
    };
    static lc_pid pids[N];
    kt_init(NULL);
    for (int i = 0; i < N; i++) {
        pids[i] = lc_spawn(fault_now, (void *)(intptr_t)(i % NFAULTS));
    }
    lc_pid after = lc_spawn(nothing, NULL);
    ck_assert_uint_eq(lc_run(), 0);
    for (int i = 0; i < N; i++) {
        assert_fault_reason(kt_exit_of(pids[i]), i % NFAULTS);
    }
    kt_assert_exit(after, LC_A_NORMAL);
}
END_TEST

/* --- The fault hook ----------------------------------------------------- */

static jmp_buf catch_point;
static struct lc_reason hook_saw[8];
static volatile int hook_calls;

static void catch_fault(struct lc_reason r)
{
    hook_saw[hook_calls % 8] = r;
    hook_calls++;
    longjmp(catch_point, 1);
}

static int caught[2];
static bool after_catch_ok;

static void fault_and_catch(void *arg)
{
    (void)arg;
    volatile int i = 0;
    setjmp(catch_point);
    while (i < 100) {
        int kind = i % 2 ? F_NULL : F_BADARITH;
        i++;
        caught[kind == F_NULL]++;
        make_fault(kind);
        caught[kind == F_NULL] -= 1000; /* never: the fault came first */
    }
    /* The process goes on as if nothing happened. */
    lc_send(lc_self(), 7, "ok", 3);
    struct lc_msg *m = lc_receive_tag(7, 0);
    after_catch_ok = m != NULL && strcmp((char *)m->data, "ok") == 0;
    lc_msg_free(m);
}

START_TEST(catchable_faults_reach_the_fault_hook)
{
    hook_calls = 0;
    lc_fault_hook_set(catch_fault);
    kt_init(NULL);
    lc_pid p = lc_spawn(fault_and_catch, NULL);
    lc_spawn(bystander, (void *)(intptr_t)0);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(hook_calls, 100);
    ck_assert_int_eq(caught[0], 50);
    ck_assert_int_eq(caught[1], 50);
    assert_fault_reason(&hook_saw[0], F_BADARITH);
    assert_fault_reason(&hook_saw[1], F_NULL);
    ck_assert(after_catch_ok);
    kt_assert_exit(p, LC_A_NORMAL);
}
END_TEST

static void count_only(struct lc_reason r)
{
    hook_saw[0] = r;
    hook_calls++;
    lc_proc_exit(lc_reason_with(lc_atom_intern("caught"), r.value));
}

START_TEST(the_fault_hook_may_end_the_process_its_way)
{
    hook_calls = 0;
    lc_fault_hook_set(count_only);
    kt_init(NULL);
    lc_pid p = lc_spawn(fault_now, (void *)(intptr_t)F_BADARITH);
    lc_run();
    ck_assert_int_eq(hook_calls, 1);
    ck_assert_ptr_nonnull(kt_exit_of(p));
    ck_assert_str_eq(kt_str(kt_exit_of(p)), "{caught, badarith}");
}
END_TEST

START_TEST(fatal_faults_skip_the_fault_hook)
{
    hook_calls = 0;
    lc_fault_hook_set(count_only);
    kt_init(NULL);
    lc_pid a = lc_spawn(fault_now, (void *)(intptr_t)F_SEGV);
    lc_pid b = lc_spawn(fault_now, (void *)(intptr_t)F_OVERFLOW);
    lc_pid c = lc_spawn(fault_now, (void *)(intptr_t)F_WILD);
    lc_run();
    ck_assert_int_eq(hook_calls, 0);
    assert_fault_reason(kt_exit_of(a), F_SEGV);
    assert_fault_reason(kt_exit_of(b), F_OVERFLOW);
    assert_fault_reason(kt_exit_of(c), F_WILD);
}
END_TEST

/* --- The tracer --------------------------------------------------------- */

static char events[1024];

static void trace_kinds(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == LC_EV_FAULT || ev->kind == LC_EV_EXIT) {
        size_t n = strlen(events);
        snprintf(events + n, sizeof events - n, "%s:%s:%s ",
                 ev->kind == LC_EV_FAULT ? "fault" : "exit", kt_pid(ev->pid),
                 kt_str(&ev->reason));
    }
}

START_TEST(the_tracer_reports_faults)
{
    events[0] = '\0';
    kt_init(NULL);
    lc_trace_set(trace_kinds, NULL);
    lc_spawn(fault_now, (void *)(intptr_t)F_OVERFLOW);
    lc_spawn(fault_now, (void *)(intptr_t)F_BADARITH);
    lc_run();
    ck_assert_str_eq(events,
                     "fault:<0.1.0>:stack_overflow exit:<0.1.0>:stack_overflow "
                     "fault:<0.2.0>:{badarith, \"SIGFPE: integer division by "
                     "zero (or overflow)\"} exit:<0.2.0>:{badarith, \"SIGFPE: "
                     "integer division by zero (or overflow)\"} ");
}
END_TEST

/* --- Faults no process owns: a bug of the program, which must die ------- */

START_TEST(a_fault_outside_processes_kills_the_program)
{
    kt_init(NULL);
    kt_quiet();
    kt_write_bad_page();
}
END_TEST

static void fault_in_hook(lc_pid pid, const struct lc_reason *why)
{
    (void)pid;
    (void)why;
    kt_write_bad_page();
}

START_TEST(a_fault_in_an_exit_hook_kills_the_program)
{
    kt_init(NULL);
    kt_quiet();
    kt_on_exit = fault_in_hook;
    lc_spawn(nothing, NULL);
    lc_run();
}
END_TEST

Suite *fault_suite(void)
{
    Suite *s = suite_create("fault");
    TCase *tc = kt_tcase("isolation", 30);
    tcase_add_test(tc, a_segfault_ends_only_its_process);
    tcase_add_test(tc, a_division_by_zero_ends_only_its_process);
    tcase_add_test(tc, a_stack_overflow_ends_only_its_process);
    tcase_add_test(tc, a_null_pointer_ends_only_its_process);
    tcase_add_test(tc, a_wild_pointer_is_a_segfault_not_a_null_pointer);
    tcase_add_test(tc, a_thousand_faults_in_a_row);
    suite_add_tcase(s, tc);

    tc = kt_tcase("hook", 10);
    tcase_add_test(tc, catchable_faults_reach_the_fault_hook);
    tcase_add_test(tc, the_fault_hook_may_end_the_process_its_way);
    tcase_add_test(tc, fatal_faults_skip_the_fault_hook);
    tcase_add_test(tc, the_tracer_reports_faults);
    suite_add_tcase(s, tc);

    if (kt_forking) {
        tc = kt_tcase("unowned", 10);
        tcase_add_test_raise_signal(
                tc, a_fault_outside_processes_kills_the_program, SIGSEGV);
        tcase_add_test_raise_signal(
                tc, a_fault_in_an_exit_hook_kills_the_program, SIGSEGV);
        suite_add_tcase(s, tc);
    }
    return s;
}
