# Let It Crash -- the one Makefile (non-recursive: every rule is here).
#
#   make                 install missing packages (if allowed), build, grade
#                        the exercises, draw the figures, build the handouts
#   make test            the kit's own tests (kernel, chapters, grader, docs,
#                        and test-student: a student's day with the kit)
#   make grade [CH=02]   grade the exercises in exercises/ (all or one chapter)
#   make bench           benchmarks, one line per measurement
#   make chaos           the to-do system killed 1,000 times, and its storm
#   make diagrams        every figure, drawn from live runs, into diagrams/
#   make handouts        HTML and PDF handouts into build/handouts/
#   make picture CH=02   your running system beside the reference, differences marked
#   make proof           the handouts as a reader sees them, as PNGs in build/proof/
#   make exercises       regenerate exercises/ from solutions/
#   make student-kit     the student edition (no solutions) in build/
#   make gradescope      the Gradescope autograder zip; make autolab: Autolab's files
#   make format | format-check | clean
#   SAN=1                build and test with AddressSanitizer + UBSan
#   V=1                  print the full compiler commands
#
# == Settings: change these to suit your machine ================================

CC       ?= cc
OPT      ?= -O2
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
# -fstack-clash-protection: a big stack frame must touch the guard page below a
# process's stack instead of jumping over it into its neighbour's.
CFLAGS_KIT = -std=c11 -D_GNU_SOURCE -g $(OPT) -fno-omit-frame-pointer \
            -fstack-clash-protection $(WARN) -Iinclude
# -lz: the to-do system's files carry zlib's CRC-32 (systems/todo/file.c).
LDFLAGS_KIT := -Wl,-z,now -lz
LTO      ?= -flto=auto -ffat-lto-objects
AR_KIT   ?= gcc-ar

ifeq ($(SAN),1)
  KIND     := san
  OPT      := -O1
  LTO      :=
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
  export ASAN_OPTIONS  := exitcode=86:detect_leaks=1:detect_stack_use_after_return=0
  export UBSAN_OPTIONS := exitcode=87:print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS  := exitcode=88
else
  KIND     := rel
  SANFLAGS :=
endif

# == End of settings ==============================================================

# Quiet by default: one short line per file built ("  CC  kernel/proc.c");
# V=1 prints the full commands instead.
ifeq ($(V),1)
  Q   :=
  say  = @true
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
  Q   := @
  say  = @true
else
  Q   := @
  say  = @printf '  %-5s %s\n' '$(1)' '$(2)'
endif

B        := build/$(KIND)
CFLAGS_ALL := $(CFLAGS_KIT) $(SANFLAGS)
# -fno-lto: the kernel's objects carry LTO code too (see "The kernel"); only
# the benchmarks want it, everything else links the ordinary code, faster.
LDALL    := $(LDFLAGS_KIT) $(SANFLAGS) -fno-lto
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

# CTX=ucontext builds the portable (slower) context switch instead of the
# assembly one: what an unknown architecture gets.
ARCH := $(shell uname -m)
ifeq ($(CTX),ucontext)
  CTX_ASM :=
  CFLAGS_ALL += -DLC_CTX_UCONTEXT
  B := build/$(KIND)-ucontext
else ifeq ($(ARCH),x86_64)
  CTX_ASM := kernel/ctx_x86_64.S
else ifeq ($(ARCH),aarch64)
  CTX_ASM := kernel/ctx_aarch64.S
  # GCC assumes a 64 KiB guard page on AArch64; ours is one 4 KiB page.
  CFLAGS_ALL += --param stack-clash-protection-guard-size=12
else
  CTX_ASM :=
  CFLAGS_ALL += -DLC_CTX_UCONTEXT
endif

.PHONY: all deps kernel test test-kernel test-systems test-chapters check-exercises check-aarch64 \
        examples test-examples ref-tests tools \
        exercises grade bench diagrams handouts format format-check \
        student-kit clean
.DELETE_ON_ERROR:
.SECONDARY:

# The student edition (no solutions/) builds what does not depend on the
# student's code; their chapters are built, and graded, by grade-brief, which
# reports a chapter that does not compile instead of stopping the build.
ifneq ($(wildcard solutions/*/*.c),)
all: deps kernel tools ref-tests examples lcsh $(KVLIVE) diagrams handouts grader \
     grade-brief
else
all: deps kernel tools examples grader grade-brief
endif
	@echo "build done: $(B)"

# -- Packages ----------------------------------------------------------------------
# The first build installs what the kit needs from Debian's packages, or says
# exactly which apt-get line to run. The stamp is redone when the list changes.

DEPS_STAMP := build/.deps-ok
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	@sh tools/deps.sh $(if $(wildcard solutions/*/*.c),,student)
	@mkdir -p $(@D) && touch $@

# -- The kernel ------------------------------------------------------------------

KERNEL_SRC := $(wildcard kernel/*.c)
KERNEL_OBJ := $(KERNEL_SRC:%.c=$(B)/%.o) $(CTX_ASM:%.S=$(B)/%.o)
KERNEL_LIB := $(B)/libkernel.a

kernel: $(KERNEL_LIB)

# The kernel is compiled for link-time optimisation too (fat objects: a
# program linked without -flto gets ordinary code). The benchmarks link with
# -flto, so the hot paths of send and receive are inlined across files.
$(KERNEL_LIB): $(KERNEL_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)$(AR_KIT) rcs $@ $^

# The kernel's hot paths are a few dozen instructions each: in the optimised
# build they go without frame pointers (debuggers use the DWARF unwind
# tables), which saves a few percent on every send and receive.
KERNEL_FP := $(if $(filter san,$(KIND)),,-fomit-frame-pointer)
# No basic-block vectoriser in the kernel: it turns 'K.cur = K.active = next'
# into one 16-byte load and store of K, and that load cannot be served by
# the 8-byte store that queued 'next' a few instructions before -- the CPU
# then waits for the store to reach the cache, on every switch.
KERNEL_OPT := -fno-tree-slp-vectorize
$(B)/kernel/%.o: kernel/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) $(KERNEL_FP) $(KERNEL_OPT) $(LTO) -MMD -MP -c $< -o $@

$(B)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,AS,$<)
	$(Q)$(CC) $(SANFLAGS) -c $< -o $@

# -- The systems -----------------------------------------------------------------
# The kit-given code of the systems built on the layers (systems/NAME/*.c:
# the to-do system): an archive of its own, linked after the student's
# objects (it calls their layers) and before the kernel.

SYSTEMS_SRC := $(wildcard systems/*/*.c)
SYSTEMS_LIB := $(B)/libsystems.a

$(SYSTEMS_LIB): $(SYSTEMS_SRC:%.c=$(B)/%.o)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)$(AR_KIT) rcs $@ $^

# The live view (its rules come after the examples)
VIEW_LIB  := $(B)/libview.a
VIEW_LIBS  = $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lpthread
KVLIVE    := $(B)/view/kvlive

# -- Tools -----------------------------------------------------------------------

MKEXERCISE := build/tools/mkexercise
tools: $(MKEXERCISE)
$(MKEXERCISE): tools/mkexercise.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra $< -o $@

# -- Exercises: generated from the solutions ---------------------------------------

SOL_FILES := $(wildcard solutions/*/*.c)
EX_FILES  := $(SOL_FILES:solutions/%=exercises/%)

# An exercise a student edited is never lost: mkexercise keeps a copy
# (FILE.orig-<time>) before regenerating it, and says so. What it wrote last
# time is in build/exercises-last/ (seeded from git's HEAD when absent), so
# an exercise nobody touched is regenerated without a copy.
EX_LAST := build/exercises-last
exercises: $(MKEXERCISE)
ifneq ($(SOL_FILES),)
	@for f in $(SOL_FILES); do \
	  out=exercises/$${f#solutions/}; last=$(EX_LAST)/$${f#solutions/}; \
	  mkdir -p $$(dirname $$out) $$(dirname $$last); \
	  if [ ! -f $$last ]; then git show HEAD:$$out > $$last 2>/dev/null || rm -f $$last; fi; \
	  $(MKEXERCISE) gen $$f $$out $$last || exit 1; done
	@echo "exercises/ regenerated from solutions/"
else
	@echo "exercises: this edition has no solutions/ to generate them from; your files are untouched"
endif

check-exercises: $(MKEXERCISE)
	@st=0; for f in $(SOL_FILES); do \
	  $(MKEXERCISE) check $$f exercises/$${f#solutions/} || st=1; done; \
	  if [ $$st = 0 ]; then echo "exercises/ match solutions/"; fi; exit $$st

# -- Chapter tests against the reference ---------------------------------------------
# build/<v>/ref/NN-slug_test: the chapter's graded tests + the harness + the
# reference code of the chapter and of the chapters it uses (its rubric says
# which) + the kernel. The grader builds the same thing from a submission.

# The student edition has no solutions/: there the same rules build from
# exercises/ (the students' own code).
REF_DIR   := $(if $(wildcard solutions),solutions,exercises)
CHAPTERS  := $(patsubst grader/rubric/%.rubric,%,$(wildcard grader/rubric/*.rubric))
uses_of    = $(shell sed -n 's/^uses *= *//p' grader/rubric/$(1).rubric)
chdir_of   = $(wildcard $(REF_DIR)/$(1)-*)
REF_TESTS := $(CHAPTERS:%=$(B)/ref/%_test)
HARNESS_OBJ := $(B)/grader/harness.o
# The headers the graded tests include: the harness and what tests share.
TEST_HDRS := grader/harness.h grader/event_log.h grader/scratch.h grader/sup_tests.h \
             grader/todo_tests.h

ref-tests: $(REF_TESTS)

# The chapters' code is compiled once, to objects (so that a compile error
# in chapter 1 is printed once, not again for every chapter that uses it).
chapter_objs = $(patsubst %.c,$(B)/%.o,$(foreach u,$(call uses_of,$(1)),\
                 $(wildcard $(call chdir_of,$(u))/*.c)) $(wildcard $(REF_DIR)/$(1)/*.c))

define ref_rule
$(B)/ref/$(1)_test: grader/tests/$(1).c $(HARNESS_OBJ) $(SYSTEMS_LIB) $(KERNEL_LIB) \
    $(call chapter_objs,$(1)) $(TEST_HDRS)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(CFLAGS_ALL) $$(CHECK_CFLAGS) -Igrader -o $$@ grader/tests/$(1).c \
	  $(call chapter_objs,$(1)) $(HARNESS_OBJ) $(SYSTEMS_LIB) $(KERNEL_LIB) \
	  $$(LDALL) $$(CHECK_LIBS)
endef
$(foreach c,$(CHAPTERS),$(eval $(call ref_rule,$(c))))

test-chapters: $(REF_TESTS)
	@st=0; for t in $(REF_TESTS); do echo "== $$t"; \
	  CK_VERBOSITY=minimal $$t || st=1; done; exit $$st

# -- Example programs ----------------------------------------------------------------
# examples/NN-slug/NAME.c: a program the chapter runs and quotes. It links the
# reference code of its chapter and of the chapters that one uses, and
# examples/common. Its output must be exactly examples/NN-slug/NAME.out (the
# virtual clock makes it the same on every machine): `make test` checks.

EX_SRC    := $(filter-out examples/common/%,$(wildcard examples/*/*.c))
EX_BIN    := $(EX_SRC:%.c=$(B)/%)
EX_COMMON := $(wildcard examples/common/*.c)
EX_COMMON_H := $(wildcard examples/common/*.h)
ex_chapter = $(patsubst examples/%/,%,$(dir $(1)))
# (In the student edition the examples built are those that need no chapter
# code: they link without the student's, so a chapter that does not compile
# yet cannot stop make.)
ex_code    = $(if $(wildcard solutions/*/*.c),$(call chapter_objs,$(1)))

# The examples `make test` runs: all of them, or in the student edition the
# ones that need no chapter code (examples/standalone.list, written by
# make student-kit); the others would only show the state of the exercises.
EX_TESTED := $(if $(wildcard solutions/*/*.c),$(EX_SRC),$(filter $(EX_SRC),\
               $(shell cat examples/standalone.list 2>/dev/null)))

examples: $(EX_TESTED:%.c=$(B)/%)

define example_rule
$(B)/$(1:%.c=%): $(1) $(EX_COMMON) $(EX_COMMON_H) $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) $$(call ex_code,$(call ex_chapter,$(1)))
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(CFLAGS_ALL) -Iexamples/common -o $$@ $(1) $(EX_COMMON) \
	  $$(call ex_code,$(call ex_chapter,$(1))) $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) \
	  $$(LDALL) $$(VIEW_LIBS)
endef
$(foreach e,$(EX_SRC),$(eval $(call example_rule,$(e))))

test-examples: $(EX_TESTED:%.c=$(B)/%)
	@st=0; for e in $(EX_TESTED); do b=$(B)/$${e%.c}; \
	  if ! $$b 2>&1 | diff -u $${e%.c}.out - >/dev/null; then \
	    echo "FAIL: $$b does not print $${e%.c}.out:"; \
	    $$b 2>&1 | diff -u $${e%.c}.out - | head -20; st=1; fi; \
	done; [ $$st = 0 ] && echo "examples: $(words $(EX_TESTED)) print what the chapters show"; exit $$st

# -- The live view -----------------------------------------------------------------
# view/view.c (lc/view.h): the running system's tree in a web page, served by
# libmicrohttpd on 127.0.0.1. Any program links it with $(VIEW_LIB) $(VIEW_LIBS):
# the examples, the shell (`view PORT`) and kvlive, the KV store live.
#   make live [PORT=8080]   the KV store, live: open http://127.0.0.1:8080/
#   make test-live          load the page in headless Chromium, kill the
#                           registry, see the restart (skipped without it)

PORT      ?= 8080

$(VIEW_LIB): $(B)/view/view.o
	@rm -f $@
	$(AR_KIT) rcs $@ $^

$(KVLIVE): view/kvlive.c $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) $(call ex_code,10-applications)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ view/kvlive.c $(call ex_code,10-applications) \
	  $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) $(LDALL) $(VIEW_LIBS)

live: $(KVLIVE)
	$(KVLIVE) --port $(PORT)

# The student edition's kvlive runs the student's chapter 10: the kit's test
# of the view needs the reference.
ifeq ($(REF_DIR),solutions)
test-live: $(KVLIVE)
	@python3 tools/test-live.py $(KVLIVE)
else
test-live:
	@echo "test-live: skipped: it needs the reference (make live runs your KV store)"
endif

.PHONY: live test-live

# -- The to-do system as a program: the chaos test -------------------------------------
# build/<v>/tools/todo-cli: the whole to-do system (chapter 9) on a folder,
# commands on stdin, linked with the reference of every chapter there is.
# tools/chaos.py runs it as a child program and SIGKILLs it while it
# writes, then checks the files. `make chaos` is the long run (1,000 kills
# and the storm over 1,000 seeds); `make test-chaos`, in `make test`, the
# short one. Both work in $$TMPDIR, or in memory (/dev/shm) when unset:
# the calls to fsync still happen and are checked (the graded tests count
# the write's steps), but a killed program loses nothing fsync would have
# saved -- only a power cut does, which no test here can make.

TODO_CLI      := $(B)/tools/todo-cli
TODO_CLI_CODE  = $(wildcard $(REF_DIR)/0[1-9]-*/*.c)
CHAOS_TMP     := $(or $(TMPDIR),$(if $(wildcard /dev/shm),/dev/shm,/tmp))

$(TODO_CLI): tools/todo-cli.c $(TODO_CLI_CODE) $(SYSTEMS_LIB) $(KERNEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ tools/todo-cli.c $(TODO_CLI_CODE) \
	  $(SYSTEMS_LIB) $(KERNEL_LIB) $(LDALL)

test-chaos: $(TODO_CLI)
	@TMPDIR=$(CHAOS_TMP) python3 tools/chaos.py --cli $(TODO_CLI) --kills 50
	@TMPDIR=$(CHAOS_TMP) $(TODO_CLI) --storm 1001 20

# The long storm prints each failing seed and a summary; a failing seed
# there is reported (and replayed with todo-cli --storm SEED) without
# stopping the 1,000 kills, whose line ends the run and sets its status.
chaos: $(TODO_CLI)
	-@TMPDIR=$(CHAOS_TMP) $(TODO_CLI) --storm 1 1000
	@TMPDIR=$(CHAOS_TMP) python3 tools/chaos.py --cli $(TODO_CLI) --kills 1000

.PHONY: chaos test-chaos

# -- Kernel tests --------------------------------------------------------------------

KTEST_SRC := $(wildcard tests/kernel/*.c)
KTEST_BIN := $(B)/tests/kernel_tests

$(KTEST_BIN): $(KTEST_SRC:%.c=$(B)/%.o) $(KERNEL_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) -o $@ $^ $(LDALL) $(CHECK_LIBS)

# Check lists the suites one per line: join them into one line.
test-kernel: $(KTEST_BIN)
	@$(KTEST_BIN) > $(KTEST_BIN).log 2>&1; st=$$?; \
	  awk '/^Running suite\(s\):/ { s = $$0; j = 1; next } \
	       j && /^ [^ ]/ { s = s "," $$0; next } \
	       j { print s; j = 0 } { print } END { if (j) print s }' $(KTEST_BIN).log; \
	  exit $$st

# -- Tests of the systems' plain parts --------------------------------------------
# The to-do list, its file format and the atomic write (no processes: the
# chapters' graded tests run the processes).

STEST_SRC := $(wildcard tests/systems/*.c)
STEST_BIN := $(B)/tests/systems_tests

$(STEST_BIN): $(STEST_SRC:%.c=$(B)/%.o) $(SYSTEMS_LIB) $(KERNEL_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) -o $@ $^ $(LDALL) $(CHECK_LIBS)

test-systems: $(STEST_BIN)
	$(STEST_BIN)

# -- Benchmarks --------------------------------------------------------------------
# The C twins of the BEAM benchmark suite, same names and parameters, one line
# per measurement. RUNS=5 repeats every workload. Always the optimised build.

BENCH_BIN := build/rel/bench/bench
RUNS ?= 1
BENCH_WORKLOADS := "spawn_seq 1000000" "spawn_batch 1000000" "ring 1000 1000" \
                   "ring 100000 10" "pingpong 1000000" "memory 100000" \
                   "memory 1000000"

$(BENCH_BIN): bench/bench.c $(wildcard kernel/*.c kernel/*.h kernel/*.S include/lc/*.h include/lc/*/*.h)
	@$(MAKE) --no-print-directory SAN= build/rel/libkernel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_KIT) -fomit-frame-pointer -flto=auto -o $@ bench/bench.c \
	  build/rel/libkernel.a $(LDFLAGS_KIT)

# The OTP layers' workloads (gen_server calls, supervisor restarts, the
# registry, the dynamic supervisor, the to-do servers) need the code of
# chapters 1-8: a second program, linked with the reference layers and the
# kit's to-do code (its servers, for the todo workload; the students'
# to-do files are not part of it). sup_memory is a check,
# not a twin: RSS after the first 10k of a million restarts and at the end.
BENCH_OTP_BIN := build/rel/bench/bench_otp
BENCH_OTP_LAYERS = $(filter-out %/todo_system.c %/todo_database.c %/todo_pool.c %/todo_cache.c, \
                     $(wildcard $(REF_DIR)/0[1-8]-*/*.c $(REF_DIR)/10-*/*.c)) \
                   systems/kv/bucket.c
BENCH_OTP_WORKLOADS := "gen_server_call 1 1000000" "gen_server_call 100 10000" \
                       "sup_restart notify 100000 100000" \
                       "sup_restart notify 100000 100" "sup_memory 1000000" \
                       "registry 100000 1000000 1000000" "registry_memory 1000000" \
                       "dynsup 100000" "kv_app 10000" "kv_bucket 100 1000000" \
                       "todo 1000 1000000 100000 memory" "todo 100 20000 2000 disk"

# One partition: stackshare.c's trampoline is assembly at file scope, which
# only the partition holding that file sees (compiling the file without
# link-time optimisation instead costs the rings a third of their speed).
$(BENCH_OTP_BIN): bench/bench_otp.c $(BENCH_OTP_LAYERS) $(SYSTEMS_SRC) $(wildcard kernel/*.c kernel/*.h kernel/*.S include/lc/*.h include/lc/*/*.h)
	@$(MAKE) --no-print-directory SAN= build/rel/libkernel.a
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory SAN= build/rel/libsystems.a
	$(CC) $(CFLAGS_KIT) -fomit-frame-pointer -flto=auto -flto-partition=one -o $@ bench/bench_otp.c \
	  $(BENCH_OTP_LAYERS) build/rel/libsystems.a build/rel/libkernel.a $(LDFLAGS_KIT)

bench: $(BENCH_BIN) $(BENCH_OTP_BIN)
	@for r in $$(seq 1 $(RUNS)); do for w in $(BENCH_WORKLOADS); do \
	  taskset -c 0 $(BENCH_BIN) $$w 2>/dev/null || $(BENCH_BIN) $$w; done; \
	  for w in $(BENCH_OTP_WORKLOADS); do \
	  taskset -c 0 $(BENCH_OTP_BIN) $$w 2>/dev/null || $(BENCH_OTP_BIN) $$w; done; done

# -- The shell ------------------------------------------------------------------------
# shell/lcsh: a live system under a prompt (shell/shell.h). It links the
# layers of chapters 0 to 7 from the reference (the student edition: from
# exercises/); `make lcsh MINE=1` builds it on your own exercises/, and
# REF="01 02" takes those chapters from the reference, as the grader's
# catch-up does. `make test-sessions` runs every examples/NN-slug/NAME.lcsh
# with `lcsh -f` and compares the session with NAME.lcsh.out: the sessions
# the chapters show are ones that happened.

LCSH         := shell/lcsh
LCSH_BIN     := $(B)/shell/lcsh$(if $(filter 1,$(MINE)),-mine)
LCSH_IDS     := 00 01 02 03 04 05 06 07 08 09 10
LCSH_SRC     := $(wildcard shell/*.c)
lcsh_dir_of   = $(wildcard $(if $(and $(filter 1,$(MINE)),$(filter-out $(REF),$(1))),exercises,$(REF_DIR))/$(1)-*)
LCSH_CODE    := $(foreach c,$(LCSH_IDS),$(wildcard $(call lcsh_dir_of,$(c))/*.c))
EDIT_CFLAGS   = $(shell pkg-config --cflags libedit 2>/dev/null)
EDIT_LIBS     = $(shell pkg-config --libs libedit 2>/dev/null || echo -ledit)
SESSIONS     := $(wildcard examples/*/*.lcsh tests/shell/*.lcsh)

$(LCSH_BIN): $(LCSH_SRC) shell/shell.h $(LCSH_CODE) $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) $(EDIT_CFLAGS) -I. -o $@ $(LCSH_SRC) $(LCSH_CODE) \
	  $(VIEW_LIB) $(SYSTEMS_LIB) $(KERNEL_LIB) $(LDALL) $(EDIT_LIBS) $(VIEW_LIBS)

$(LCSH): $(LCSH_BIN)
	@cp $< $@

lcsh: $(LCSH)

# Each session runs in a fresh scratch folder (a to-do session's `todo
# start data` finds no list left by an earlier run).
test-sessions: $(LCSH_BIN)
	@st=0; top=$$(pwd); for s in $(SESSIONS); do \
	  rm -rf $(B)/sessions && mkdir -p $(B)/sessions; \
	  if ! (cd $(B)/sessions && $$top/$(LCSH_BIN) -f $$top/$$s 2>&1) | diff -u $$s.out - >/dev/null; then \
	    echo "FAIL: lcsh -f $$s does not print $$s.out:"; \
	    rm -rf $(B)/sessions && mkdir -p $(B)/sessions; \
	    (cd $(B)/sessions && $$top/$(LCSH_BIN) -f $$top/$$s 2>&1) | diff -u $$s.out - | head -20; st=1; fi; \
	done; [ $$st = 0 ] && echo "sessions: $(words $(SESSIONS)) shell sessions happen as the chapters show"; exit $$st

test-shell: $(LCSH_BIN)
	@LCSH=$(LCSH_BIN) python3 tools/test-lcsh.py

.PHONY: lcsh test-sessions test-shell

# -- AArch64, under emulation (maintainers) -----------------------------------------
# Cross-compiles the kernel with the example programs of chapter 0 and runs
# them under qemu-aarch64: the AArch64 context switch and fault handling.
# Needs: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user

A64_CC := aarch64-linux-gnu-gcc
check-aarch64:
	@command -v $(A64_CC) >/dev/null && command -v qemu-aarch64 >/dev/null || \
	  { echo "needs: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"; exit 1; }
	@mkdir -p build/aarch64
	@st=0; for e in hello selective crash; do \
	  $(A64_CC) $(CFLAGS_KIT) --param stack-clash-protection-guard-size=12 -static \
	    -o build/aarch64/$$e examples/00-processes/$$e.c kernel/*.c kernel/ctx_aarch64.S || exit 1; \
	  LC_GUARD=mprotect qemu-aarch64 build/aarch64/$$e > build/aarch64/$$e.out 2>&1; \
	  if diff -q examples/00-processes/$$e.out build/aarch64/$$e.out >/dev/null; then echo "aarch64 $$e: same output"; \
	  elif [ $$e = crash ]; then echo "aarch64 crash: differs as expected (integer division by zero does not trap on AArch64):"; \
	    diff examples/00-processes/$$e.out build/aarch64/$$e.out; \
	  else echo "aarch64 $$e: differs:"; diff examples/00-processes/$$e.out build/aarch64/$$e.out; st=1; fi; done; exit $$st

# == Figures, handouts, pictures, proofs ========================================
# (one section: diagrams, picture, handouts, proof, test-docs)
#
#   make diagrams        run every example (reference build) with LC_FIGURE_DIR
#                        set; each ex_figure() becomes diagrams/NN-slug-WHAT.dot,
#                        rendered as .svg (handouts) and .png (150 dpi). Only
#                        changed figures are redrawn; the same run gives the
#                        same bytes (tools/diagrams.sh).
#   make picture CH=NN   your system beside the reference, for chapter NN:
#                        build/picture/NN-slug/*.png (tools/picture.sh);
#                        REF="01 02" uses the reference for earlier chapters
#   make handouts        build/handouts/NN-slug.{html,pdf} per chapter and
#                        book.{html,pdf}: one Markdown, one stylesheet
#                        (handouts/), listings included from tested files
#   make proof           the handouts as a reader sees them, in build/proof/:
#                        the HTML in headless Chromium, the PDF pages as PNG
#   make test-docs       every chapter has its handouts; every figure and every
#                        listing a chapter cites exists

PICTURE     := build/tools/picture
HANDOUT_DIR := build/handouts
CHAPTER_MD  := $(sort $(wildcard chapters/[0-9][0-9]-*.md))
HANDOUT_SRC := $(wildcard handouts/*.lua handouts/*.css handouts/*.html \
                 handouts/book.md handouts/*.theme)
HANDOUTS    := $(foreach c,$(CHAPTER_MD:chapters/%.md=%),$(HANDOUT_DIR)/$(c).html \
                 $(HANDOUT_DIR)/$(c).pdf) \
               $(if $(CHAPTER_MD),$(HANDOUT_DIR)/book.html $(HANDOUT_DIR)/book.pdf)
PANDOC_HTML := pandoc --from=markdown --standalone --self-contained --toc \
               --toc-depth=2 --highlight-style=handouts/code.theme \
               --template=handouts/template.html --css=handouts/handout.css
DOC_FILTERS := --lua-filter=handouts/include.lua --lua-filter=handouts/crossref.lua
# the files a chapter quotes and the figures it shows (absent ones are left to
# the filter, which names them in one line)
doc_deps     = $(wildcard $(shell sed -n -e 's/.*include="\([^"]*\)".*/\1/p' \
                 -e 's/.*](\(diagrams\/[-A-Za-z0-9_.]*\)).*/\1/p' $(1)))

# The stamp's time changes only when a figure does: handouts depend on it.
FIGURES_STAMP := build/figures.stamp

# The student edition (make student-kit) has no solutions/: there the figures
# in diagrams/ stay the ones drawn from the reference (make picture compares
# a student's drawings with them), and the handouts, which quote the
# reference in places, come with the kit instead of being built.
REFERENCE := $(wildcard solutions/*/*.c)

# The picture of the kit itself, in chapter 0: which module calls which, as
# the compiler sees the kernel and the reference layers (tools/modules.sh).
MODULES_DOT := $(B)/modules/00-processes-modules.dot
$(MODULES_DOT): tools/modules.sh $(KERNEL_SRC) $(CTX_ASM) $(REFERENCE) \
    $(wildcard kernel/*.h include/lc/*.h include/lc/*/*.h)
	@CC="$(CC)" CFLAGS="$(CFLAGS_KIT)" sh tools/modules.sh $@ $(KERNEL_SRC) \
	  $(CTX_ASM) $(REFERENCE)

ifneq ($(REFERENCE),)
diagrams: $(EX_BIN) $(MODULES_DOT)
	@sh tools/diagrams.sh $(B) $(FIGURES_STAMP) $(EX_SRC) $(MODULES_DOT)
$(FIGURES_STAMP): diagrams ;
handouts: $(HANDOUTS)
test-docs: handouts
	@sh tools/check-docs.sh $(HANDOUT_DIR)
else
diagrams:
	@echo "diagrams: the figures in diagrams/ are the reference's; make picture CH=NN draws yours beside them"
handouts:
	@echo "handouts: this edition comes with them ready in doc/ (building them needs the reference)"
test-docs:
	@sh tools/check-docs.sh --student-edition $(HANDOUT_DIR)
endif

# The tool reads DOT with Graphviz's graph library (cgraph) and escapes
# label text with the kernel's lc_dot_html(): it links the optimised kernel,
# whatever the build (a tool, not something to sanitise).
$(PICTURE): tools/picture.c $(wildcard kernel/*.c kernel/*.h kernel/*.S include/lc/*.h include/lc/*/*.h) | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory SAN= build/rel/libkernel.a
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Iinclude \
	  $$(pkg-config --cflags libcgraph) $< -o $@ build/rel/libkernel.a \
	  $$(pkg-config --libs libcgraph) -fno-lto

picture: $(PICTURE) $(KERNEL_LIB) $(SYSTEMS_LIB) $(if $(REFERENCE),diagrams)
	@B=$(B) CC="$(CC)" CFLAGS="$(CFLAGS_ALL)" LDFLAGS="$(LDALL)" \
	  KERNEL_LIB=$(KERNEL_LIB) SYSTEMS_LIB=$(SYSTEMS_LIB) PICTURE=$(PICTURE) REF="$(REF)" \
	  sh tools/picture.sh "$(CH)"

define handout_rule
$(HANDOUT_DIR)/$(1).html: $(FIGURES_STAMP) chapters/$(1).md $(HANDOUT_SRC) \
    $(call doc_deps,chapters/$(1).md)
	@mkdir -p $$(@D)
	$$(call say,HTML,$$@)
	$$(Q)$$(PANDOC_HTML) $$(DOC_FILTERS) chapters/$(1).md -o $$@
endef
$(foreach c,$(CHAPTER_MD:chapters/%.md=%),$(eval $(call handout_rule,$(c))))

$(HANDOUT_DIR)/book.html: $(FIGURES_STAMP) handouts/book.md $(CHAPTER_MD) \
    $(HANDOUT_SRC) $(foreach c,$(CHAPTER_MD),$(call doc_deps,$(c)))
	@mkdir -p $(@D)
	$(call say,HTML,$@)
	$(Q)$(PANDOC_HTML) -M chapter-files="$(CHAPTER_MD)" \
	  --lua-filter=handouts/book.lua $(DOC_FILTERS) handouts/book.md -o $@

$(HANDOUT_DIR)/%.pdf: $(HANDOUT_DIR)/%.html
	$(call say,PDF,$@)
	$(Q)weasyprint -q $< $@

proof: handouts
	@sh tools/proof.sh $(HANDOUT_DIR) build/proof

.PHONY: picture proof test-docs

# == Grader, grade, student kit =================================================
# (one section: grader/grade, make grade, make test-grader, make student-kit)
#
#   grader/grade         the grader (grader/*.c but the harness). It reads its
#                        compiler settings from build/grade/gr-config.h, made
#                        here from the settings above, so that it builds a
#                        submission the way this Makefile builds the reference.
#   make grade [CH=NN]   grade exercises/ (grader/grade --help for the rest)
#   make test-grader     the grader's own tests (grader/selftest/selftest.py)
#   make student-kit     build/student-kit/ and build/student-kit.tar.gz: the
#                        kit without solutions/ and the grader's self-tests

GRADE      := grader/grade
GRADE_SRC  := $(filter-out grader/harness.c,$(wildcard grader/*.c))
GRADE_CONF := build/grade/gr-config.h
GR_VERSION := $(shell cat VERSION 2>/dev/null || \
                git describe --always --tags 2>/dev/null || echo dev)
GR_CFLAGS  := $(filter-out -Werror -I% -O%,$(CFLAGS_KIT))
GR_OPT_REL := $(if $(filter 1,$(SAN)),-O2,$(OPT))
GR_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
GR_ASAN    := exitcode=86:detect_leaks=1:detect_stack_use_after_return=0:hard_rss_limit_mb=3072
GR_UBSAN   := exitcode=87:print_stacktrace=1:halt_on_error=1
GR_LSAN    := exitcode=88

# Rewritten only when a setting changes, so the grader is rebuilt only then.
$(GRADE_CONF): FORCE | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@printf '%s\n' '/* Made by the Makefile: the settings the grader compiles with. */' \
	  '#define GR_CC "$(CC)"' '#define GR_CFLAGS "$(GR_CFLAGS)"' \
	  '#define GR_OPT_REL "$(GR_OPT_REL)"' '#define GR_OPT_SAN "-O1"' \
	  '#define GR_SANFLAGS "$(GR_SAN)"' '#define GR_LDFLAGS "$(LDFLAGS_KIT)"' \
	  '#define GR_CHECK_CFLAGS "$(CHECK_CFLAGS)"' \
	  '#define GR_CHECK_LIBS "$(CHECK_LIBS)"' \
	  '#define GR_ASAN_OPTIONS "$(GR_ASAN)"' \
	  '#define GR_UBSAN_OPTIONS "$(GR_UBSAN)"' \
	  '#define GR_LSAN_OPTIONS "$(GR_LSAN)"' \
	  '#define GR_KIT_VERSION "$(GR_VERSION)"' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# JSON with jansson, XML with libxml2, the tests' system-call filter with
# libseccomp (pkg-config runs when the recipe does,
# after the packages are installed).
GR_LIBS = $(shell pkg-config --cflags --libs jansson libxml-2.0 libseccomp)
$(GRADE): $(GRADE_SRC) $(wildcard grader/*.h) $(GRADE_CONF) | $(DEPS_STAMP)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Ibuild/grade -o $@ $(GRADE_SRC) \
	  $(GR_LIBS)

grade: $(GRADE) $(KERNEL_LIB) $(SYSTEMS_LIB) $(HARNESS_OBJ)
	@$(GRADE) $(CH)

# What `make` shows: the table of scores, not every failing test.
grade-brief: $(GRADE) $(KERNEL_LIB) $(SYSTEMS_LIB) $(HARNESS_OBJ)
	@$(GRADE) --brief $(CH)

test-grader: $(GRADE) $(KERNEL_LIB) $(SYSTEMS_LIB) $(HARNESS_OBJ)
	@python3 grader/selftest/selftest.py

# The student edition: the kit without the reference, with the student's
# README and the handouts in doc/ (tools/student-kit.sh says what is in it).
# Its Makefile builds the chapters' test binaries from exercises/ (REF_DIR).
STUDENT_KIT := build/student-kit
student-kit: $(if $(REFERENCE),handouts) $(KERNEL_LIB)
	@sh tools/student-kit.sh $(STUDENT_KIT) "$(GR_VERSION)" $(HANDOUT_DIR) \
	  $(KERNEL_LIB) "$(CC)" "$(LDALL)"

FORCE:
.PHONY: grader grade-brief test-grader FORCE
grader: $(GRADE)

# -- The kit's own tests ---------------------------------------------------------------

# The student edition tests what a student can run: the kernel, the
# systems, the examples that need no chapter code, the docs; then it shows
# their grade, as information (unwritten exercises are no failure of the
# kit).
ifneq ($(wildcard solutions/*/*.c),)
test: deps check-exercises format-check test-kernel test-systems test-chapters \
      test-examples test-sessions test-shell test-live test-docs test-grader \
      test-student test-chaos
	@echo "make test: all passed"
else
test: deps test-kernel test-systems test-examples test-docs
	@$(MAKE) --no-print-directory grade-brief
	@echo "make test: all passed (your grade above is information, not a test)"
endif

# A student's day: no edit of theirs is lost; make prints little; the student
# edition, unpacked from its tarball, passes its own make and make test; a
# failing test names
# its cause; hints cite sections that exist; every report format is read
# back by a real consumer (JUNIT_XSD=FILE adds a JUnit schema).
test-student: test-keep-edits test-quiet-build test-hints test-messages \
              test-formats test-student-kit

test-keep-edits: $(MKEXERCISE)
	@sh tools/test-keep-edits.sh $(MKEXERCISE)

test-hints:
	@python3 tools/check-hints.py

test-quiet-build: $(KERNEL_LIB) $(HARNESS_OBJ)
	@sh tools/test-quiet-build.sh $(KERNEL_LIB) $(HARNESS_OBJ)

test-messages test-formats: $(GRADE) $(KERNEL_LIB) $(HARNESS_OBJ)
	@sh tools/$@.sh

test-student-kit:
	@sh tools/test-student-kit.sh

.PHONY: test-student test-keep-edits test-quiet-build test-hints test-messages \
        test-formats test-student-kit

# The grader's build command is long: silent like every other unless V=1.
ifneq ($(V),1)
.SILENT: $(GRADE)
endif

# -- Grading platforms -------------------------------------------------------------------
# make gradescope: build/gradescope/autograder.zip; make autolab: the two
# files of an Autolab lab in build/autolab/ (tools/platforms/package.sh).
# gradable is what they build on the platform: the grader and what it links.

gradable: $(GRADE) $(KERNEL_LIB) $(HARNESS_OBJ)

gradescope:
	@sh tools/platforms/package.sh gradescope "$(GR_VERSION)"

autolab:
	@sh tools/platforms/package.sh autolab "$(GR_VERSION)"

.PHONY: gradable gradescope autolab

# -- Formatting ------------------------------------------------------------------------

# `make format` rewrites the kit's sources in place, but never exercises/:
# those are the students' files. In the full kit they are generated from
# solutions/, already formatted (tools/mkexercise.c writes its stubs one
# statement a line), so format regenerates them; `make format-check` checks
# them with the rest.
FORMAT_SRC := $(wildcard include/lc/*.h include/lc/*/*.h kernel/*.c kernel/*.h grader/*.c \
                systems/*/*.c systems/*/*.h \
                grader/*.h grader/tests/*.c solutions/*/*.c tests/*/*.c \
                tools/*.c bench/*.c examples/*/*.c view/*.c shell/viewcmd.c)
format:
	clang-format -i $(FORMAT_SRC)
	@if [ -n "$(REFERENCE)" ]; then $(MAKE) --no-print-directory exercises; fi
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC) $(wildcard exercises/*/*.c)

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' 2>/dev/null)
