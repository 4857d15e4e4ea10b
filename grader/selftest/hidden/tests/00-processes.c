/*
 * 00-processes.c - an instructor's hidden suite for chapter 0, as the
 * grader's self-test uses it: --hidden reads DIR/tests/NN-slug.c and
 * DIR/rubric/NN-slug.rubric, the same layout as grader/.
 */
#include "harness.h"

#include <string.h>

#include "lc/systems/echo.h"

static struct {
    int n;
    char text[32];
} seen;

static void echo_empty(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(echo_server, NULL);
    seen.n = echo_call(server, "", 0, seen.text, sizeof seen.text, 1000);
    lc_send(server, ECHO_STOP, NULL, 0);
}

GR_TEST(hidden_echo_of_nothing)
{
    memset(&seen, 0, sizeof seen);
    seen.n = -1;
    gr_run(echo_empty, NULL);
    ck_assert_int_eq(seen.n, 0);
}
