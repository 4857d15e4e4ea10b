#!/bin/sh
# test-messages.sh - a failing test names its cause (make test-messages).
#
# Grades four broken copies of the reference's chapter 0 and the untouched
# exercises, and checks what the failures say:
#   - a NULL dereference in the echo server: "process <...> crashed:
#     null_pointer (SIGSEGV in the null page) at echo.c:LINE";
#   - a stub not written yet: "not written yet, and reached by this test:
#     echo_call()", and error codes by name (LC_ENOSYS, never -38);
#   - a wrong value: "expected 5, got 6", with what was called;
#   - a system where everyone waits: the processes left and what they wait
#     for;
#   - a process that loops forever: failed within seconds, not at the
#     grader's time limit, saying where it was.
# Usage: sh tools/test-messages.sh   (from the kit's top folder)
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-messages: FAIL: $*"; exit 1; }
sol=solutions/00-processes/echo.c

# broken NAME AWK: a submission whose echo.c is the reference edited by AWK
broken() {
    mkdir -p "$tmp/$1/00-processes"
    awk "$2" "$sol" > "$tmp/$1/00-processes/echo.c"
}
grade() { grader/grade 0 --submission "$tmp/$1" --quiet 2>&1 || true; }

# A NULL write as the server's first act.
broken null '{ print } /^void echo_server\(void \*arg\)/ { getline; print; print "    *(int *volatile)NULL = 1;" }'
out=$(grade null)
echo "$out" | grep -q "crashed: null_pointer (SIGSEGV in the null page) at echo.c:[0-9]" ||
    fail "a NULL dereference is not named with its line: $(echo "$out" | grep -m1 -A1 FAIL)"

# A reply one byte too long.
broken wrong '{ sub(/return got;/, "return got + 1;"); print }'
out=$(grade wrong)
echo "$out" | grep -q 'returned (the reply.s size): expected 5, got 6' ||
    fail "a wrong value is not expected/got: $(echo "$out" | grep -m1 -A1 FAIL)"

# A server that never answers and never ends: the caller waits forever.
broken waits '{ print } /^void echo_server\(void \*arg\)/ { getline; print; print "    for (;;) lc_msg_free(lc_receive_tag(12345, LC_INFINITY));" }'
out=$(grade waits)
echo "$out" | grep -q "waited for a message nobody would send" ||
    fail "a system where everyone waits is not described: $(echo "$out" | grep -m1 -A1 FAIL)"

# A server that computes forever.
broken spins '{ print } /^void echo_server\(void \*arg\)/ { getline; print; print "    for (volatile int spin = 1; spin;) {}" }'
t0=$(date +%s)
out=$(grade spins)
t1=$(date +%s)
echo "$out" | grep -q "still computing after" ||
    fail "a process that loops is not said to: $(echo "$out" | grep -m1 -A1 FAIL)"
echo "$out" | grep -q "it was running in process <[0-9.]*> at echo.c:[0-9]" ||
    fail "a stuck test does not say where: $(echo "$out" | grep -m1 -A1 FAIL)"

# The untouched exercise: stubs named, codes by name.
out=$(grader/grade 0 --quiet 2>&1 || true)
echo "$out" | grep -q "not written yet, and reached by this test: echo_call()" ||
    fail "the stubs reached are not named: $(echo "$out" | grep -m1 -A1 FAIL)"
echo "$out" | grep -q "got LC_ENOSYS" || fail "error codes are not named"
echo "$out" | grep -q -- "-38[^ ]" && fail "a bare -38: $(echo "$out" | grep -m1 -- -38)"
echo "messages: a crash, a stub, a wrong value, a wait and a loop (graded in $((t1 - t0)) s) are each named"
