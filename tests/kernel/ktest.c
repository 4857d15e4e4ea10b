/*
 * ktest.c - the fixture and the helpers every kernel suite uses (ktest.h).
 *
 * One exit hook, installed once for the whole program, records every exit of
 * every runtime into a table that the fixture clears before each test. Exit
 * hooks cannot be removed, so this one must be harmless when no test looks
 * at it: it only copies the reason.
 */
#include "ktest.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lc/kernel/testing.h"

bool kt_forking = true;
void (*kt_on_exit)(lc_pid pid, const struct lc_reason *why);

/* --- Exits -------------------------------------------------------------- */

#define MAX_EXITS 8192

static struct {
    struct {
        lc_pid pid;
        struct lc_reason why;
    } tab[MAX_EXITS];
    size_t n;        /* exits seen (may exceed MAX_EXITS) */
    size_t abnormal; /* ... whose reason is not `normal` */
} exits;

static void record_exit(lc_pid pid, const struct lc_reason *why)
{
    if (exits.n < MAX_EXITS) {
        exits.tab[exits.n].pid = pid;
        exits.tab[exits.n].why = *why;
    }
    exits.n++;
    if (!lc_reason_is(why, LC_A_NORMAL)) {
        exits.abnormal++;
    }
    if (kt_on_exit != NULL) {
        kt_on_exit(pid, why);
    }
}
LC_ON_EXIT(record_exit)

const struct lc_reason *kt_exit_of(lc_pid pid)
{
    size_t n = exits.n < MAX_EXITS ? exits.n : MAX_EXITS;
    for (size_t i = n; i-- > 0;) {
        if (exits.tab[i].pid == pid) {
            return &exits.tab[i].why;
        }
    }
    return NULL;
}

size_t kt_exits(void)
{
    return exits.n;
}

size_t kt_abnormal_exits(void)
{
    return exits.abnormal;
}

const char *kt_str(const struct lc_reason *r)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    lc_reason_format(buf[i], sizeof buf[i], r);
    return buf[i];
}

/* --- The log ------------------------------------------------------------ */

static char said[16384];
static size_t nsaid;

void kt_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(said + nsaid, sizeof said - nsaid, fmt, ap);
    va_end(ap);
    if (n > 0) {
        nsaid += (size_t)n < sizeof said - nsaid ? (size_t)n
                                                 : sizeof said - 1 - nsaid;
    }
}

const char *kt_said(void)
{
    return said;
}

const char *kt_pid(lc_pid pid)
{
    static char buf[4][32];
    static int i;
    i = (i + 1) % 4;
    lc_pid_format(buf[i], sizeof buf[i], pid);
    return buf[i];
}

/* --- The fixture -------------------------------------------------------- */

static void setup(void)
{
    memset(&exits, 0, sizeof exits);
    said[0] = '\0';
    nsaid = 0;
    kt_on_exit = NULL;
    lc_fault_hook_set(NULL);
}

/* End whatever runtime the test left, even in the middle of a process. */
static void teardown(void)
{
    lc_test_recover();
    lc_fini();
    lc_fault_hook_set(NULL);
    kt_on_exit = NULL;
}

TCase *kt_tcase(const char *name, double seconds)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, seconds * KT_SLOW);
    return tc;
}

void kt_init(const struct lc_config *cfg)
{
    int err = lc_init(cfg);
    ck_assert_msg(err == 0, "lc_init: %s", lc_err_name(err));
}

void kt_init_chaos(uint64_t seed)
{
    struct lc_config cfg = { .chaos = true, .seed = seed };
    kt_init(&cfg);
}

/* --- Measurements ------------------------------------------------------- */

/* A "Name:   1234 kB" line of /proc/self/status. */
static size_t status_kib(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        return 0;
    }
    char line[256];
    size_t kib = 0, len = strlen(name);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            kib = strtoull(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

size_t kt_rss_kib(void)
{
    return status_kib("VmRSS");
}

size_t kt_peak_rss_kib(void)
{
    return status_kib("VmHWM");
}

bool kt_heap_measurable(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    /* malloc's per-thread cache keeps freed blocks counted as in use; main()
       turns it off (see there). Without that the count is not exact. */
    const char *t = getenv(KT_TUNABLES);
    return t != NULL && strstr(t, KT_NO_TCACHE) != NULL;
#endif
}

size_t kt_heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#endif
}

uint64_t kt_fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

void kt_quiet(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
}

/* --- Faults ------------------------------------------------------------- */

#define NO_SAN __attribute__((noinline, no_sanitize("address", "undefined")))

static volatile int zero = 0, one = 1;
static volatile uintptr_t null_address = 8; /* opaque to the compiler */
static volatile uintptr_t wild_address = 0xdead0000beef0000ull;
static volatile int recursion_limit = 1 << 30;

NO_SAN int kt_divide_by_zero(void)
{
    return one / zero;
}

NO_SAN int kt_read_null_page(void)
{
    return *(volatile int *)null_address;
}

NO_SAN int kt_write_bad_page(void)
{
    static void *page;
    if (page == NULL) {
        page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (page == MAP_FAILED) {
        return -1;
    }
    *(volatile int *)page = 1;
    return 0;
}

NO_SAN int kt_read_wild_pointer(void)
{
    return *(volatile int *)wild_address;
}

NO_SAN static int recurse(volatile char *prev, int depth)
{
    volatile char buf[1024];
    buf[0] = (char)depth;
    buf[1023] = prev != NULL ? prev[0] : 0;
    if (depth >= recursion_limit) {
        return buf[0];
    }
    return recurse(buf, depth + 1) + buf[512];
}

int kt_overflow_stack(void)
{
    return recurse(NULL, 0);
}

NO_SAN int kt_big_frame(void)
{
    volatile char big[256 * 1024];
    big[0] = 1;
    big[sizeof big - 1] = 2;
    return big[0] + big[sizeof big - 1];
}
