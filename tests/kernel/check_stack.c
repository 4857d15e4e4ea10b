/*
 * check_stack.c - process stacks (kernel/stack.c): many processes each with
 * a stack of its own, the size classes, the guard page below every stack,
 * the warm pool, and a million processes alive at once.
 *
 * The million-process test is the kit's promise to the course ("processes
 * are cheap: start a million"), so it checks more than that they start: each
 * one must answer a message, and the resident memory must stay near one page
 * per process.
 *
 * Shared slots (kernel/stackshare.c) are tested with LC_STACK_PRIVATE=1, so
 * that every process but the first shares: its stack set aside while others
 * run must come back byte for byte at the same addresses, and its end,
 * however it comes, must free everything.
 */
#include "ktest.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- Many processes, each with its own stack ---------------------------- */

enum {
    MANY = 20000,
    WORDS = 512
};
static int intact_count;

static void keep_a_pattern(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u;
    volatile uint32_t words[WORDS];
    for (int i = 0; i < WORDS; i++) {
        words[i] = seed + (uint32_t)i;
    }
    for (int t = 0; t < 3; t++) {
        lc_yield(); /* everybody else writes their own pattern meanwhile */
    }
    bool ok = true;
    for (int i = 0; i < WORDS; i++) {
        ok &= words[i] == seed + (uint32_t)i;
    }
    intact_count += ok;
}

START_TEST(every_process_has_its_own_stack)
{
    intact_count = 0;
    kt_init(NULL);
    for (int i = 0; i < MANY; i++) {
        ck_assert_uint_ne(lc_spawn(keep_a_pattern, (void *)(intptr_t)i),
                          LC_NOPID);
    }
    ck_assert_uint_eq(lc_proc_list(NULL, 0), MANY);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(intact_count, MANY);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);
}
END_TEST

/* --- Sizes -------------------------------------------------------------- */

static const size_t asked[] = {
    1, /* below the minimum: the smallest class */
    LC_STACK_MIN,
    0 /* the default */,
    100000,
    1u << 20,
    8u << 20,
    LC_STACK_MAX,
};
static const size_t klass[] = {
    LC_STACK_MIN, LC_STACK_MIN, LC_STACK_SIZE, 128 * 1024,
    1u << 20,     8u << 20,     LC_STACK_MAX,
};

static struct {
    size_t stack_size;
    size_t touched_before, touched_after;
    int used;
} sz;

static void use_most_of_the_stack(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    struct lc_info in;
    lc_proc_info(lc_self(), &in);
    sz.stack_size = in.stack_size;
    sz.touched_before = in.stack_touched;
    volatile char use[n];
    memset((char *)use, 0x5a, n);
    lc_proc_info(lc_self(), &in);
    sz.touched_after = in.stack_touched;
    sz.used = use[0] + use[n - 1];
}

START_TEST(stack_sizes_come_in_classes)
{
    size_t want = klass[_i];
    size_t use = want - 12 * 1024; /* all but room for the calls above */
    memset(&sz, 0, sizeof sz);
    kt_init(NULL);
    struct lc_spawn_opts o = { .stack_size = asked[_i] };
    lc_pid p;
    ck_assert_int_eq(
            lc_spawn_opt(&p, use_most_of_the_stack, (void *)(uintptr_t)use, &o),
            0);
    lc_run();
    kt_assert_exit(p, LC_A_NORMAL);
    /* The PCB lives at the top of the slot, so a little less is usable. */
    ck_assert_msg(sz.stack_size <= want && sz.stack_size > want - 4096,
                  "asked %zu, class %zu: stack_size %zu", asked[_i], want,
                  sz.stack_size);
    ck_assert_int_eq(sz.used, 2 * 0x5a);
    ck_assert_uint_ge(sz.touched_after, use);
    ck_assert_uint_lt(sz.touched_before, sz.touched_after);
}
END_TEST

START_TEST(the_default_stack_size_is_configurable)
{
    struct lc_config cfg = { .stack_size = 256 * 1024 };
    kt_init(&cfg);
    lc_pid p = lc_spawn(use_most_of_the_stack, (void *)(uintptr_t)200000);
    lc_run();
    kt_assert_exit(p, LC_A_NORMAL);
    ck_assert_uint_gt(sz.stack_size, 256 * 1024 - 4096);
    ck_assert_uint_le(sz.stack_size, 256 * 1024);
}
END_TEST

/* --- Guard pages -------------------------------------------------------- */

static bool neighbour_ok;

static void neighbour(void *arg)
{
    (void)arg;
    volatile uint32_t words[256];
    for (int i = 0; i < 256; i++) {
        words[i] = 0xc0ffee00u + (uint32_t)i;
    }
    struct lc_msg *m = lc_receive(LC_INFINITY);
    bool ok = m->tag == 1;
    lc_msg_free(m);
    for (int i = 0; i < 256; i++) {
        ok &= words[i] == 0xc0ffee00u + (uint32_t)i;
    }
    neighbour_ok = ok;
}

static void overflow(void *arg)
{
    if (arg != NULL) {
        kt_big_frame();
    } else {
        kt_overflow_stack();
    }
}

/* The slot below an overflowing stack holds its neighbour's PCB: without a
   guard page the overflow would overwrite it. One variant overflows frame
   by frame, the other with a single frame far larger than the guard, which
   -fstack-clash-protection must make touch the guard instead of jumping
   over it. */
START_TEST(the_guard_page_stops_an_overflow_before_the_neighbour)
{
    neighbour_ok = false;
    kt_init(NULL);
    struct lc_spawn_opts o = { .stack_size = LC_STACK_MIN };
    lc_pid n, v;
    ck_assert_int_eq(lc_spawn_opt(&n, neighbour, NULL, &o), 0);
    ck_assert_int_eq(lc_spawn_opt(&v, overflow, (void *)(intptr_t)_i, &o), 0);
    lc_run_until_idle();
    ck_assert(lc_alive(n));
    lc_send(n, 1, NULL, 0);
    ck_assert_uint_eq(lc_run(), 0);
    kt_assert_exit(v, LC_A_STACK_OVERFLOW);
    kt_assert_exit(n, LC_A_NORMAL);
    ck_assert(neighbour_ok);
}
END_TEST

/* --- The warm pool ------------------------------------------------------ */

static int chain_left;

static void spawn_next(void *arg)
{
    (void)arg;
    char buf[2048];
    memset(buf, chain_left & 0xff, sizeof buf); /* dirty the stack */
    if (--chain_left > 0 && buf[0] == buf[sizeof buf - 1]) {
        lc_spawn(spawn_next, NULL);
    }
}

/* A hundred thousand processes one after another, each spawning the next:
   slots go back to the pool and come out again, dirty, many times. */
START_TEST(stacks_are_reused)
{
    enum {
        N = 100000
    };
    chain_left = N;
    kt_init(NULL);
    lc_spawn(spawn_next, NULL);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(chain_left, 0);
    ck_assert_uint_eq(kt_exits(), N);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);
}
END_TEST

/* --- A million processes ------------------------------------------------ */

enum {
    MILLION = 1000000
};
static lc_pid million[MILLION];
static unsigned char answered[MILLION];
static int answers;
static lc_pid collector;

static void answer_once(void *arg)
{
    int me = (int)(intptr_t)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    int asked_of;
    memcpy(&asked_of, m->data, sizeof asked_of);
    lc_msg_free(m);
    if (asked_of == me) {
        lc_send(collector, 1, &me, sizeof me);
    }
}

static void collect(void *arg)
{
    (void)arg;
    for (int k = 0; k < MILLION; k++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int who;
        memcpy(&who, m->data, sizeof who);
        lc_msg_free(m);
        if (who >= 0 && who < MILLION && !answered[who]) {
            answered[who] = 1;
            answers++;
        }
    }
}

/* Resident memory per idle process that the test accepts: 2 KiB. The
   first 102,400 processes have a page of stack each (about 4.3 KB with the
   PCB and page tables), the others share slots and cost their PCB and the
   copy of their stack (about 650 bytes): about 1 KB in all.
   AddressSanitizer adds its shadow of each stack and of the heap, and
   redzones around every block. */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_BYTES_PER_PROC (8 * 1024)
#else
#define MAX_BYTES_PER_PROC (2 * 1024)
#endif

START_TEST(a_million_processes_alive_at_once)
{
    answers = 0;
    memset(answered, 0, sizeof answered);
    /* As a program that wants a million processes asks: stacks shared
       after the first 102,400 (lc_config.share_after). */
    kt_init(&(struct lc_config){ .share_after = 100u << 10 });
    size_t rss_before = kt_rss_kib();
    collector = lc_spawn(collect, NULL);
    for (int i = 0; i < MILLION; i++) {
        million[i] = lc_spawn(answer_once, (void *)(intptr_t)i);
        if (million[i] == LC_NOPID) {
            ck_abort_msg("spawn %d failed", i);
        }
    }
    ck_assert_uint_eq(lc_run_until_idle(), MILLION + 1);
    ck_assert_uint_eq(lc_proc_list(NULL, 0), MILLION + 1);
    size_t rss_alive = kt_rss_kib();
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(million[MILLION / 2], &in), 0);
    ck_assert_int_eq(in.state, LC_STATE_WAITING);

    for (int i = 0; i < MILLION; i++) {
        lc_send(million[i], 0, &i, sizeof i);
    }
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(answers, MILLION);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);

    double per_proc = (double)(rss_alive - rss_before) * 1024.0 / MILLION;
    const char *v = getenv("CK_VERBOSITY");
    if (v != NULL && strcmp(v, "verbose") == 0) {
        fprintf(stderr,
                "a million processes: %.0f bytes resident per process, "
                "%zu MiB with all alive, peak %zu MiB\n",
                per_proc, rss_alive / 1024, kt_peak_rss_kib() / 1024);
    }
    ck_assert_msg(per_proc <= MAX_BYTES_PER_PROC,
                  "%.0f bytes resident per idle process (at most %d)", per_proc,
                  MAX_BYTES_PER_PROC);
}
END_TEST

/* --- Shared slots
 * ---------------------------------------------------------------- */

/* More processes than stackshare.c has shared slots (1024), so that each
   slot is shared by several and every stack is set aside at least once.
   Slots are shared only with the assembly switch of x86-64; elsewhere
   these tests run with every process on a slot of its own. */
#if defined(__x86_64__) && !defined(LC_CTX_UCONTEXT)
#define SHARING 1
#else
#define SHARING 0
#endif
enum {
    SHARERS = 3000,
    DEPTH = 20 /* about 2 KiB of stack */
};

/* lc_init() with every process after the first on a shared slot. */
static void init_sharing(const struct lc_config *cfg)
{
    setenv("LC_STACK_PRIVATE", "1", 1);
    kt_init(cfg);
    unsetenv("LC_STACK_PRIVATE"); /* read by lc_init() only */
}

/* The same after a first runtime has come and gone, so that the C
   library's first-use allocations are out of the heap count: returns the
   bytes of heap in use just before. */
static size_t init_sharing_counted(void)
{
    for (int i = 0; i < 2; i++) { /* setenv() keeps what it allocated */
        setenv("LC_STACK_PRIVATE", "1", 1);
        unsetenv("LC_STACK_PRIVATE");
    }
    kt_init(NULL);
    lc_fini();
    size_t before = kt_heap_in_use();
    setenv("LC_STACK_PRIVATE", "1", 1);
    ck_assert_int_eq(lc_init(NULL), 0);
    unsetenv("LC_STACK_PRIVATE");
    return before;
}

struct frame {
    struct frame *up; /* the caller's frame: a pointer into this stack */
    uint32_t word[8]; /* a pattern of this process and depth */
    uint32_t *mine;   /* points into 'word' */
};

static int intact_sharers, set_aside;

static uint32_t pattern(int who, int depth, int i)
{
    return (uint32_t)who * 2654435761u + (uint32_t)depth * 40503u + (uint32_t)i;
}

/* Recurse DEPTH frames, each linked to its caller's; wait at the bottom
   with a jmp_buf on the stack; then check every frame through the links
   and leave by longjmp(). */
static bool deep(int who, int depth, struct frame *up, jmp_buf *out)
{
    struct frame f = { .up = up };
    for (int i = 0; i < 8; i++) {
        f.word[i] = pattern(who, depth, i);
    }
    f.mine = &f.word[depth % 8];
    if (depth < DEPTH) {
        return deep(who, depth + 1, &f, out);
    }
    struct lc_info in;
    lc_msg_free(lc_receive(LC_INFINITY)); /* everyone else runs meanwhile */
    bool ok = true;
    int d = depth;
    for (const struct frame *g = &f; g != NULL; g = g->up, d--) {
        for (int i = 0; i < 8; i++) {
            ok &= g->word[i] == pattern(who, d, i);
        }
        ok &= g->mine == &g->word[d % 8] && *g->mine == pattern(who, d, d % 8);
    }
    ok &= d == -1;
    if (ok) {
        longjmp(*out, 1);
    }
    (void)in;
    return false;
}

static void keep_deep_frames(void *arg)
{
    int who = (int)(intptr_t)arg;
    jmp_buf out;
    volatile int jumped = 0;
    if (setjmp(out) == 0) {
        deep(who, 0, NULL, &out);
    } else {
        jumped = 1;
    }
    intact_sharers += jumped;
}

/* While every process waits at the bottom of its recursion, most of their
   stacks are set aside (stack_touched then counts the bytes of the copy,
   not pages); when each gets its message, its frames, the pointers between them
   and its jmp_buf must all be where and what they were. */
START_TEST(a_stack_set_aside_comes_back_intact)
{
    static lc_pid pid[SHARERS];
    intact_sharers = set_aside = 0;
    init_sharing(NULL);
    lc_spawn(keep_a_pattern, (void *)(intptr_t)1); /* the private one */
    for (int i = 0; i < SHARERS; i++) {
        pid[i] = lc_spawn(keep_deep_frames, (void *)(intptr_t)i);
        ck_assert_uint_ne(pid[i], LC_NOPID);
    }
    lc_run_until_idle();
    for (int i = 0; i < SHARERS; i++) {
        struct lc_info in;
        ck_assert_int_eq(lc_proc_info(pid[i], &in), 0);
        ck_assert_int_eq(in.state, LC_STATE_WAITING);
        /* Set aside: the bytes of the copy, not a count of pages. */
        if (in.stack_touched % 4096 != 0) {
            set_aside++;
        }
    }
    ck_assert_int_ge(set_aside, SHARING ? SHARERS - 1024 : 0);
    for (int i = 0; i < SHARERS; i++) {
        lc_send(pid[i], 1, NULL, 0);
    }
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(intact_sharers, SHARERS);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);
}
END_TEST

/* The same with the random scheduler: stacks go aside and come back in
   every order, and the stacks of processes that yield mid-work too. */
START_TEST(stacks_set_aside_in_any_order)
{
    intact_sharers = intact_count = 0;
    setenv("LC_STACK_PRIVATE", "1", 1);
    kt_init_chaos(0x5eed0000u + (uint64_t)_i);
    unsetenv("LC_STACK_PRIVATE");
    static lc_pid pid[SHARERS];
    for (int i = 0; i < SHARERS; i++) {
        pid[i] = lc_spawn(i % 2 ? keep_deep_frames : keep_a_pattern,
                          (void *)(intptr_t)i);
    }
    lc_run_until_idle();
    for (int i = 1; i < SHARERS; i += 2) {
        lc_send(pid[i], 1, NULL, 0);
    }
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(intact_sharers + intact_count, SHARERS);
}
END_TEST

static int released;

static void count_release(void *obj)
{
    (void)obj;
    released++;
}

static void hold_and_wait(void *arg)
{
    char *mem = lc_alloc(1000);
    memset(mem, 1, 1000);
    lc_resource_add(count_release, NULL);
    if (arg != NULL) {
        char big[3000]; /* a deeper stack to set aside */
        memset(big, 2, sizeof big);
        lc_msg_free(lc_receive(LC_INFINITY));
        mem[0] = big[sizeof big - 1];
    }
    lc_msg_free(lc_receive(LC_INFINITY));
}

/* Killed while its stack is set aside (and, for some, before they ever
   ran): each runs its destructors and frees its memory and its copy. */
START_TEST(a_process_set_aside_can_be_killed)
{
    enum {
        N = 2500
    };
    static lc_pid pid[N];
    released = 0;
    size_t heap0 = init_sharing_counted();
    for (int i = 0; i < N; i++) {
        pid[i] = lc_spawn(hold_and_wait, (void *)(intptr_t)(i % 2));
    }
    lc_run_until_idle();
    lc_pid fresh = lc_spawn(hold_and_wait, NULL); /* never runs */
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(lc_kill(pid[i], lc_reason(LC_A_KILL)), 0);
    }
    lc_kill(fresh, lc_reason(LC_A_KILL));
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(released, N);
    for (int i = 0; i < N; i++) {
        kt_assert_exit(pid[i], LC_A_KILL);
    }
    kt_assert_exit(fresh, LC_A_KILL);
    lc_fini();
    if (kt_heap_measurable()) {
        ck_assert_uint_eq(kt_heap_in_use(), heap0);
    }
}
END_TEST

/* Processes still waiting, set aside or not, when the runtime stops. */
START_TEST(the_runtime_stops_with_stacks_set_aside)
{
    released = 0;
    size_t heap0 = init_sharing_counted();
    for (int i = 0; i < 2500; i++) {
        lc_spawn(hold_and_wait, (void *)(intptr_t)(i % 2));
    }
    ck_assert_uint_eq(lc_run_until_idle(), 2500);
    lc_fini();
    ck_assert_int_eq(released, 2500);
    if (kt_heap_measurable()) {
        ck_assert_uint_eq(kt_heap_in_use(), heap0);
    }
}
END_TEST

/* A process on a shared slot that overflows hits the slot's guard page:
   it ends with stack_overflow, and the processes whose stacks were set
   aside from that slot, or that share it later, do not notice. */
START_TEST(an_overflow_on_a_shared_slot_ends_only_that_process)
{
    static lc_pid pid[SHARERS];
    intact_sharers = 0;
    init_sharing(NULL);
    for (int i = 0; i < SHARERS; i++) {
        pid[i] = lc_spawn(keep_deep_frames, (void *)(intptr_t)i);
    }
    lc_run_until_idle();
    lc_pid v[4];
    for (int i = 0; i < 4; i++) {
        v[i] = lc_spawn(overflow, (void *)(intptr_t)(i % 2));
    }
    lc_run_until_idle();
    for (int i = 0; i < SHARERS; i++) {
        lc_send(pid[i], 1, NULL, 0);
    }
    ck_assert_uint_eq(lc_run(), 0);
    for (int i = 0; i < 4; i++) {
        kt_assert_exit(v[i], LC_A_STACK_OVERFLOW);
    }
    ck_assert_int_eq(intact_sharers, SHARERS);
}
END_TEST

/* A process on a shared slot that hands a new process the address of one
   of its locals is told, once, on stderr. */
static void ignore_parent_local(void *arg)
{
    (void)arg; /* reading it could find another process's stack */
}

static void pass_a_local(void *arg)
{
    (void)arg;
    int local = 42;
    lc_spawn(ignore_parent_local, &local);
    lc_spawn(ignore_parent_local, &local);
    lc_yield();
}

START_TEST(a_pointer_into_a_shared_stack_is_reported)
{
    if (!kt_forking || !SHARING) {
        return; /* stderr is redirected in a forked child only */
    }
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    fflush(stderr);
    dup2(fileno(log), STDERR_FILENO);
    init_sharing(NULL);
    lc_spawn(pass_a_local, NULL); /* the second process: it shares */
    lc_spawn(pass_a_local, NULL);
    ck_assert_uint_eq(lc_run(), 0);
    fflush(stderr);
    char text[1024] = "";
    rewind(log);
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = '\0';
    const char *hit = strstr(text, "passed a pointer into its stack");
    ck_assert_msg(hit != NULL, "no warning: \"%s\"", text);
    ck_assert_ptr_null(strstr(hit + 1, "passed a pointer into its stack"));
}
END_TEST

/* Sharing changes where stacks are, never what runs when: the same chaos
   seed gives the same trace with every process on a slot of its own and
   with all of them sharing. */
static uint64_t trace_hash;

static void hash_event(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    char line[256];
    int n = lc_event_format(line, sizeof line, ev);
    trace_hash = kt_fnv(trace_hash, line, n > 0 ? (size_t)n : 0);
}

static void relay(void *arg)
{
    int left = (int)(intptr_t)arg;
    char pad[512];
    memset(pad, left, sizeof pad);
    while (left-- > 0) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        lc_pid to;
        memcpy(&to, m->data, sizeof to);
        lc_msg_free(m);
        if (to != LC_NOPID) {
            lc_send(to, 1, &to, sizeof to);
        }
        lc_yield();
    }
    ck_assert_int_eq(pad[0], pad[sizeof pad - 1]);
}

static uint64_t run_relays(bool share, uint64_t seed)
{
    enum {
        R = 2000
    };
    static lc_pid pid[R];
    trace_hash = KT_FNV_INIT;
    if (share) {
        setenv("LC_STACK_PRIVATE", "1", 1);
    }
    kt_init_chaos(seed);
    unsetenv("LC_STACK_PRIVATE");
    lc_trace_set(hash_event, NULL);
    for (int i = 0; i < R; i++) {
        pid[i] = lc_spawn(relay, (void *)(intptr_t)3);
    }
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < R; i++) {
            lc_pid to = pid[(i * 7 + k) % R];
            lc_send(pid[i], 1, &to, sizeof to);
        }
    }
    lc_run();
    lc_fini();
    return trace_hash;
}

START_TEST(sharing_does_not_change_the_run)
{
    uint64_t own = run_relays(false, 42);
    ck_assert_uint_eq(run_relays(true, 42), own);
    ck_assert_uint_eq(run_relays(true, 42), own);
    ck_assert_uint_ne(run_relays(true, 43), own);
}
END_TEST

Suite *stack_suite(void)
{
    Suite *s = suite_create("stack");
    TCase *tc = kt_tcase("stacks", 30);
    tcase_add_test(tc, every_process_has_its_own_stack);
    tcase_add_loop_test(tc, stack_sizes_come_in_classes, 0,
                        (int)(sizeof asked / sizeof asked[0]));
    tcase_add_test(tc, the_default_stack_size_is_configurable);
    tcase_add_loop_test(
            tc, the_guard_page_stops_an_overflow_before_the_neighbour, 0, 2);
    tcase_add_test(tc, stacks_are_reused);
    suite_add_tcase(s, tc);

    tc = kt_tcase("shared", 30);
    tcase_add_test(tc, a_stack_set_aside_comes_back_intact);
    tcase_add_loop_test(tc, stacks_set_aside_in_any_order, 0, 3);
    tcase_add_test(tc, a_process_set_aside_can_be_killed);
    tcase_add_test(tc, the_runtime_stops_with_stacks_set_aside);
    tcase_add_test(tc, an_overflow_on_a_shared_slot_ends_only_that_process);
    tcase_add_test(tc, sharing_does_not_change_the_run);
    tcase_add_test(tc, a_pointer_into_a_shared_stack_is_reported);
    suite_add_tcase(s, tc);

    tc = kt_tcase("million", 60);
    tcase_set_tags(tc, "slow"); /* CK_EXCLUDE_TAGS=slow skips it */
    tcase_add_test(tc, a_million_processes_alive_at_once);
    suite_add_tcase(s, tc);
    return s;
}
