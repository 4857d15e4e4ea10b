# Let It Crash -- the one Makefile (non-recursive: every rule is here).
#
#   make                 install missing packages (if allowed), build, grade
#                        the exercises, draw the figures, build the handouts
#   make test            the kit's own tests (kernel, chapters, grader, docs)
#   make grade [CH=02]   grade the exercises in exercises/ (all or one chapter)
#   make bench           benchmarks, one line per measurement
#   make diagrams        every figure, drawn from live runs, into diagrams/
#   make handouts        HTML and PDF handouts into build/handouts/
#   make exercises       regenerate exercises/ from solutions/
#   make student-kit     the student edition (no solutions) in build/
#   make format | format-check | clean
#   SAN=1                build and test with AddressSanitizer + UBSan
#
# == Settings: change these to suit your machine ================================

CC       ?= cc
OPT      ?= -O2
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
# -fstack-clash-protection: a big stack frame must touch the guard page below a
# process's stack instead of jumping over it into its neighbour's.
CFLAGS_KIT := -std=c11 -D_GNU_SOURCE -g $(OPT) -fno-omit-frame-pointer \
            -fstack-clash-protection $(WARN) -Iinclude
LDFLAGS_KIT := -Wl,-z,now
LTO      ?= -flto=auto -ffat-lto-objects
AR_KIT   ?= gcc-ar

ifeq ($(SAN),1)
  V        := san
  OPT      := -O1
  LTO      :=
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
  export ASAN_OPTIONS  := exitcode=86:detect_leaks=1:detect_stack_use_after_return=0
  export UBSAN_OPTIONS := exitcode=87:print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS  := exitcode=88
else
  V        := rel
  SANFLAGS :=
endif

# == End of settings ==============================================================

B        := build/$(V)
CFLAGS_ALL := $(CFLAGS_KIT) $(SANFLAGS)
LDALL    := $(LDFLAGS_KIT) $(SANFLAGS)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

# CTX=ucontext builds the portable (slower) context switch instead of the
# assembly one: what an unknown architecture gets.
ARCH := $(shell uname -m)
ifeq ($(CTX),ucontext)
  CTX_ASM :=
  CFLAGS_ALL += -DLC_CTX_UCONTEXT
  B := build/$(V)-ucontext
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

.PHONY: all deps kernel test test-kernel test-chapters check-exercises check-aarch64 \
        examples test-examples ref-tests tools \
        exercises grade bench diagrams handouts format format-check \
        student-kit clean
.DELETE_ON_ERROR:
.SECONDARY:

all: deps kernel tools ref-tests examples
	@echo "build done: $(B)"

# -- Packages ----------------------------------------------------------------------
# The first build installs what the kit needs from Debian's packages, or says
# exactly which apt-get line to run. The stamp is redone when the list changes.

DEPS_STAMP := build/.deps-ok
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	@sh tools/deps.sh
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
	$(AR_KIT) rcs $@ $^

$(B)/kernel/%.o: kernel/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(LTO) -MMD -MP -c $< -o $@

$(B)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) -c $< -o $@

# -- Tools -----------------------------------------------------------------------

MKEXERCISE := build/tools/mkexercise
tools: $(MKEXERCISE)
$(MKEXERCISE): tools/mkexercise.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra $< -o $@

# -- Exercises: generated from the solutions ---------------------------------------

SOL_FILES := $(wildcard solutions/*/*.c)
EX_FILES  := $(SOL_FILES:solutions/%=exercises/%)

exercises: $(MKEXERCISE)
	@for f in $(SOL_FILES); do \
	  out=exercises/$${f#solutions/}; mkdir -p $$(dirname $$out); \
	  $(MKEXERCISE) gen $$f $$out || exit 1; done
	@echo "exercises/ regenerated from solutions/"

check-exercises: $(MKEXERCISE)
	@st=0; for f in $(SOL_FILES); do \
	  $(MKEXERCISE) check $$f exercises/$${f#solutions/} || st=1; done; \
	  if [ $$st = 0 ]; then echo "exercises/ match solutions/"; fi; exit $$st

# -- Chapter tests against the reference ---------------------------------------------
# build/<v>/ref/NN-slug_test: the chapter's graded tests + the harness + the
# reference code of the chapter and of the chapters it uses (its rubric says
# which) + the kernel. The grader builds the same thing from a submission.

CHAPTERS  := $(patsubst grader/rubric/%.rubric,%,$(wildcard grader/rubric/*.rubric))
uses_of    = $(shell sed -n 's/^uses *= *//p' grader/rubric/$(1).rubric)
chdir_of   = $(wildcard solutions/$(1)-*)
REF_TESTS := $(CHAPTERS:%=$(B)/ref/%_test)
HARNESS_OBJ := $(B)/grader/harness.o

ref-tests: $(REF_TESTS)

define ref_rule
$(B)/ref/$(1)_test: grader/tests/$(1).c $(HARNESS_OBJ) $(KERNEL_LIB) \
    $(foreach u,$(call uses_of,$(1)),$(wildcard $(call chdir_of,$(u))/*.c)) \
    $(wildcard solutions/$(1)/*.c) grader/harness.h
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_ALL) $$(CHECK_CFLAGS) -Igrader -o $$@ grader/tests/$(1).c \
	  $$(foreach u,$$(call uses_of,$(1)),$$(wildcard $$(call chdir_of,$$(u))/*.c)) \
	  $$(wildcard solutions/$(1)/*.c) $(HARNESS_OBJ) $(KERNEL_LIB) \
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
ex_chapter = $(patsubst examples/%/,%,$(dir $(1)))
ex_code    = $(foreach u,$(call uses_of,$(1)),$(wildcard $(call chdir_of,$(u))/*.c)) \
             $(wildcard solutions/$(1)/*.c)

examples: $(EX_BIN)

define example_rule
$(B)/$(1:%.c=%): $(1) $(EX_COMMON) $(KERNEL_LIB) $$(call ex_code,$(call ex_chapter,$(1)))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_ALL) -Iexamples/common -o $$@ $(1) $(EX_COMMON) \
	  $$(call ex_code,$(call ex_chapter,$(1))) $(KERNEL_LIB) $$(LDALL)
endef
$(foreach e,$(EX_SRC),$(eval $(call example_rule,$(e))))

test-examples: $(EX_BIN)
	@st=0; for e in $(EX_SRC); do b=$(B)/$${e%.c}; \
	  if ! $$b 2>&1 | diff -u $${e%.c}.out - >/dev/null; then \
	    echo "FAIL: $$b does not print $${e%.c}.out:"; \
	    $$b 2>&1 | diff -u $${e%.c}.out - | head -20; st=1; fi; \
	done; [ $$st = 0 ] && echo "examples: $(words $(EX_SRC)) print what the chapters show"; exit $$st

# -- Kernel tests --------------------------------------------------------------------

KTEST_SRC := $(wildcard tests/kernel/*.c)
KTEST_BIN := $(B)/tests/kernel_tests

$(KTEST_BIN): $(KTEST_SRC:%.c=$(B)/%.o) $(KERNEL_LIB)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDALL) $(CHECK_LIBS)

test-kernel: $(KTEST_BIN)
	$(KTEST_BIN)

# -- Benchmarks --------------------------------------------------------------------
# The C twins of the BEAM benchmark suite, same names and parameters, one line
# per measurement. RUNS=5 repeats every workload. Always the optimised build.

BENCH_BIN := build/rel/bench/bench
RUNS ?= 1
BENCH_WORKLOADS := "spawn_seq 1000000" "spawn_batch 1000000" "ring 1000 1000" \
                   "ring 100000 10" "pingpong 1000000" "memory 100000" \
                   "memory 1000000"

$(BENCH_BIN): bench/bench.c $(wildcard kernel/*.c kernel/*.h kernel/*.S include/lc/*.h)
	@$(MAKE) --no-print-directory SAN= build/rel/libkernel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_KIT) -flto=auto -o $@ bench/bench.c build/rel/libkernel.a $(LDFLAGS_KIT)

bench: $(BENCH_BIN)
	@for r in $$(seq 1 $(RUNS)); do for w in $(BENCH_WORKLOADS); do \
	  taskset -c 0 $(BENCH_BIN) $$w 2>/dev/null || $(BENCH_BIN) $$w; done; done

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

# -- The kit's own tests ---------------------------------------------------------------

test: deps check-exercises test-kernel test-chapters test-examples
	@echo "make test: all passed"

# -- Formatting ------------------------------------------------------------------------

FORMAT_SRC := $(wildcard include/*/*.h kernel/*.c kernel/*.h grader/*.c \
                grader/*.h grader/tests/*.c solutions/*/*.c tests/*/*.c \
                tools/*.c bench/*.c examples/*/*.c)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
