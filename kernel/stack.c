/*
 * stack.c - process stacks: one arena of fixed slots, guard pages, and a warm
 * pool.
 *
 * Every process needs a stack of its own. Three costs decide how to get one:
 *
 *  - A page the process touches for the first time costs a page fault
 *    (1-2 us on a virtual machine): far more than the rest of a spawn. So
 *    stacks are never unmapped: a dead process's slot goes on a LIFO free
 *    list and the next spawn reuses it with its top page still in RAM.
 *  - A stack overflow must hit a guard page, not the next process's stack.
 *    mprotect() would put each guard in a mapping of its own, and Linux
 *    allows vm.max_map_count (65530 by default) mappings: about 32,000
 *    stacks. Linux 6.13 and later can install a guard page inside a mapping
 *    (MADV_GUARD_INSTALL) without splitting it, so a million guarded stacks
 *    cost no mappings at all. On older kernels we use mprotect() while the
 *    mapping budget lasts, and say so once when it runs out.
 *  - Address space is plentiful (128 TiB) but RAM is not. Slots are reserved
 *    with MAP_NORESERVE, in chunks of about 256 MiB, and only the pages a
 *    process touches ever use memory.
 *
 * A slot, from low to high addresses:
 *
 *     [ guard page | stack (grows down) ...... | PCB | struct lc_stack ]
 *                  lo                          hi
 *
 * The PCB and this file's descriptor sit at the top, in the same page the
 * stack starts in: an idle process costs one page of RAM.
 *
 * Slots come in size classes, powers of two from LC_STACK_MIN to
 * LC_STACK_MAX; each class has its own chunks and its own pool.
 *
 * A million processes. A slot per process costs a page of RAM and, the
 * first time, a page fault and a guard page (a few microseconds on a
 * virtual machine): fine for the first hundred thousand, too much for a
 * million idle ones. So a program may ask (lc_config.share_after) that
 * once that many slots of the default class are in use, a new process of that
 * class gets a place on a shared slot instead, and a PCB apart (stackshare.c):
 * its stack is set aside, in a buffer just as big as what it uses, whenever
 * another process of the same slot runs. The processes spawned first -- the
 * servers, supervisors and workers of any ordinary program, and every process
 * of the benchmarks' rings -- keep a slot of their own and never pay for a
 * copy.
 */
#include "kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef LC_ASAN
#include <sanitizer/asan_interface.h>
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif

#define CLASS_MIN   14 /* 16 KiB */
#define CLASS_MAX   26 /* 64 MiB */
#define CHUNK_BYTES (256u << 20)
#define WARM_BYTES  (256u << 20) /* per class, kept without trimming */
/* Sharing is off unless the program asks (lc_config.share_after): a
   process on a shared slot must never lend another a pointer into its own
   stack, and the kit's own idioms (an init argument on the starter's
   stack, say) do. The million-process benchmark and test turn it on after
   102,400 processes -- room for a ring of 100,000 of their own slots --
   for about 1 KB per process at a million. LC_STACK_PRIVATE=N in the
   environment sets the same threshold (the tests use a small N to make
   processes share). */

struct chunk {
    struct chunk *next;
    char *base;      /* the mapping */
    size_t len;      /* its length */
    uint32_t nslots; /* slots it holds */
    uint32_t carved; /* slots handed out so far */
};

struct sclass {
    size_t slot;           /* bytes per slot, guard included */
    struct lc_stack *free; /* warm pool, LIFO */
    uint32_t nfree;        /* slots in the pool */
    uint32_t keep;         /* pool size above which slots are trimmed */
    struct chunk *chunks;  /* newest first; only the first has room */
    size_t ncarved;        /* slots cut out of them so far */
};

enum guard_mode {
    GUARD_INSTALL,
    GUARD_MPROTECT,
    GUARD_NONE
};

static struct {
    size_t page;
    size_t top; /* bytes above 'hi': the PCB and the descriptor */
    enum guard_mode guard;
    size_t dflt_size; /* the default stack size, and its class */
    int dflt_class;
    long guard_budget; /* mprotect guards still allowed */
    bool warned;
    size_t private_max; /* default-class slots before processes share */
    struct sclass cls[CLASS_MAX + 1];
} A;

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

static int class_of(size_t size)
{
    int c = CLASS_MIN;
    while (c < CLASS_MAX && ((size_t)1 << c) < size) {
        c++;
    }
    return ((size_t)1 << c) < size ? -1 : c;
}

/* How many mprotect() guards the mapping limit leaves room for: each one
   splits a mapping into two more. Keep 4096 mappings for everything else. */
static long mprotect_budget(void)
{
    long max = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld", &max) != 1) {
            max = 65530;
        }
        fclose(f);
    }
    return max > 8192 ? (max - 4096) / 2 : 0;
}

int lc__stack_init(size_t default_size, size_t share_after)
{
    A.page = (size_t)sysconf(_SC_PAGESIZE);
    A.top = round_up(sizeof(struct lc_proc), 64) +
            round_up(sizeof(struct lc_stack), 64);
    /* LC_GUARD=mprotect forces the older way, to test it on a new kernel. */
    const char *mode = getenv("LC_GUARD");
    A.guard = GUARD_INSTALL;
    A.guard_budget = -1;
    if (mode != NULL && strcmp(mode, "mprotect") == 0) {
        A.guard = GUARD_MPROTECT;
        A.guard_budget = mprotect_budget();
    }
    for (int c = CLASS_MIN; c <= CLASS_MAX; c++) {
        size_t stack = (size_t)1 << c;
        A.cls[c] = (struct sclass){
            .slot = A.page + stack,
            .keep = WARM_BYTES / stack > 16 ? WARM_BYTES / stack : 16,
        };
    }
    A.dflt_size = default_size;
    A.dflt_class = class_of(default_size);
    if (A.dflt_class < 0) {
        return LC_EINVAL;
    }
    const char *max = getenv("LC_STACK_PRIVATE");
    A.private_max = max != NULL && *max != '\0' ? strtoul(max, NULL, 10)
                    : share_after > 0           ? share_after
                                                : SIZE_MAX;
    if (!lc__share_enabled()) {
        A.private_max = SIZE_MAX;
    }
    return lc__share_init();
}

static void unmap_chunks(struct chunk *ch, size_t slot)
{
    while (ch != NULL) {
        struct chunk *next = ch->next;
#ifdef LC_ASAN
        /* The shadow memory outlives munmap(): clean what the slots used,
           or the next runtime's fresh slots, mapped at the same addresses,
           would start poisoned. */
        __asan_unpoison_memory_region(ch->base, (size_t)ch->carved * slot);
#else
        (void)slot;
#endif
        munmap(ch->base, ch->len);
        free(ch);
        ch = next;
    }
}

void lc__stack_fini(void)
{
    lc__share_fini();
    for (int c = CLASS_MIN; c <= CLASS_MAX; c++) {
        unmap_chunks(A.cls[c].chunks, A.cls[c].slot);
    }
    memset(&A, 0, sizeof A);
}

/* Map a new chunk for class 'sc', as big as the system lets us. With strict
   overcommit (vm.overcommit_memory=2) MAP_NORESERVE is ignored and a big
   reservation can fail: halve it until it fits. */
static struct chunk *map_chunk(struct sclass *sc)
{
    struct chunk *ch = malloc(sizeof *ch);
    if (ch == NULL) {
        return NULL;
    }
    size_t n = CHUNK_BYTES / sc->slot;
    for (n = n ? n : 1; n >= 1; n /= 2) {
        void *base = mmap(NULL, n * sc->slot, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base != MAP_FAILED) {
            *ch = (struct chunk){ .next = sc->chunks,
                                  .base = base,
                                  .len = n * sc->slot,
                                  .nslots = (uint32_t)n };
            sc->chunks = ch;
            return ch;
        }
    }
    free(ch);
    return NULL;
}

static void warn_no_guard(void)
{
    if (!A.warned) {
        A.warned = true;
        fprintf(stderr,
                "lc: vm.max_map_count leaves no room for more guard pages; "
                "new stacks have none (stack overflows will not be caught). "
                "Raise it: sysctl vm.max_map_count=%d\n",
                4 * 1024 * 1024);
    }
}

/* Make the first page of a slot fault on any access. */
static bool install_guard(char *guard)
{
    if (A.guard == GUARD_INSTALL) {
        if (madvise(guard, A.page, MADV_GUARD_INSTALL) == 0) {
            return true;
        }
        A.guard = GUARD_MPROTECT; /* kernel older than 6.13 */
        A.guard_budget = mprotect_budget();
    }
    if (A.guard == GUARD_MPROTECT) {
        if (A.guard_budget > 0 && mprotect(guard, A.page, PROT_NONE) == 0) {
            A.guard_budget--;
            return true;
        }
        A.guard = GUARD_NONE;
    }
    warn_no_guard();
    return false;
}

/* Cut the next slot out of the class's newest chunk. */
static struct lc_stack *carve(int c)
{
    struct sclass *sc = &A.cls[c];
    struct chunk *ch = sc->chunks;
    if (ch == NULL || ch->carved == ch->nslots) {
        ch = map_chunk(sc);
        if (ch == NULL) {
            return NULL;
        }
    }
    char *base = ch->base + (size_t)ch->carved++ * sc->slot;
    sc->ncarved++;
    char *end = base + sc->slot;
    struct lc_stack *s = (struct lc_stack *)(end - round_up(sizeof *s, 64));
    s->lo = base + A.page;
    s->hi = end - A.top;
    s->pcb = (struct lc_proc *)s->hi;
    s->cls = (uint8_t)c;
    s->shared = 0;
    s->guarded = install_guard(base);
    return s;
}

/* A slot of class 'c': a warm one from the pool, or a new one. (Inline:
   it is the whole of a spawn's stack work.) */
static inline __attribute__((always_inline)) struct lc_stack *slot_get(int c)
{
    struct sclass *sc = &A.cls[c];
    struct lc_stack *s = sc->free;
    if (s != NULL) {
        sc->free = s->next;
        sc->nfree--;
#ifdef LC_ASAN
        /* A process that died in the middle of a call left its frames'
           redzones poisoned in the shadow memory; the next owner must not
           trip over them. (A fresh slot's shadow is clean already.) */
        __asan_unpoison_memory_region(s->lo, (size_t)(s->hi - s->lo));
#endif
    } else {
        s = carve(c);
        if (s == NULL) {
            return NULL;
        }
    }
    s->next = NULL;
    return s;
}

struct lc_stack *lc__stack_get(size_t size)
{
    int c = size == A.dflt_size ? A.dflt_class : class_of(size);
    if (c < 0) {
        return NULL;
    }
    /* Share only when no warm slot is left and a new one would pass the
       cap: slots are never unmapped, so every slot carved is then in use.
       A spawn that reuses a warm slot pays for no test at all. */
    struct sclass *sc = &A.cls[c];
    if (sc->free == NULL && c == A.dflt_class && sc->ncarved >= A.private_max) {
        struct lc_stack *s = lc__share_get();
        if (s != NULL) {
            return s;
        }
    }
    return slot_get(c);
}

struct lc_stack *lc__stack_slot(void)
{
    return slot_get(A.dflt_class);
}

void lc__stack_put(struct lc_stack *s)
{
    if (s->shared) {
        lc__share_put(s);
        return;
    }
    struct sclass *sc = &A.cls[s->cls];
    if (sc->nfree >= sc->keep && !K.stopping) { /* lc_fini() unmaps all */
        /* Enough warm stacks: give this one's RAM back, all but the top
           page, which holds the descriptor (and is touched again at once by
           the next spawn anyway). */
        char *top_page = (char *)((uintptr_t)s->hi & ~(uintptr_t)(A.page - 1));
        if (top_page > s->lo) {
            madvise(s->lo, (size_t)(top_page - s->lo), MADV_DONTNEED);
        }
    }
    s->next = sc->free;
    sc->free = s;
    sc->nfree++;
}

bool lc__stack_in_guard(const struct lc_stack *s, const void *addr)
{
    const char *a = addr;
    return a >= s->lo - A.page && a < s->lo;
}

size_t lc__stack_touched(const struct lc_stack *s)
{
    if (s->shared) {
        return lc__share_touched(s);
    }
    char *lo = s->lo;
    size_t len = round_up((size_t)(s->hi - lo), A.page);
    size_t npages = len / A.page;
    unsigned char vec[1024];
    size_t touched = 0;
    for (size_t i = 0; i < npages; i += sizeof vec) {
        size_t n = npages - i < sizeof vec ? npages - i : sizeof vec;
        if (mincore(lo + i * A.page, n * A.page, vec) != 0) {
            return 0;
        }
        for (size_t j = 0; j < n; j++) {
            touched += vec[j] & 1;
        }
    }
    return touched * A.page;
}
