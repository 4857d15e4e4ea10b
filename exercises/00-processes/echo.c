/*
 * echo.c - chapter 0's warm-up, on the bare kernel (the contracts are in
 * include/lc/systems/echo.h).
 *
 * Every function here is a few lines of spawn, send and receive. Read them
 * with chapters/00-processes.md beside you: each one shows one idea of the
 * chapter -- a server loop, a call with a timeout, state that belongs to one
 * process, a conversation between two processes, and selective receive.
 */
#include "lc/systems/echo.h"

#include <string.h>

void echo_server(void *arg)
{
    (void)arg;
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    return LC_ENOSYS;
}

void counter_server(void *arg)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    (void)arg;
}

int counter_add(lc_pid counter, int64_t n)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    return LC_ENOSYS;
}

int counter_get(lc_pid counter, int64_t *value, int64_t timeout_ms)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    return LC_ENOSYS;
}

void pingpong_server(void *arg)
{
    (void)arg;
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
}

void pingpong_client(void *arg)
{
    (void)arg;
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
}

lc_pid pingpong_start(lc_pid reporter, int rounds)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    return LC_NOPID;
}

struct lc_msg *receive_urgent_first(int64_t timeout_ms)
{
    /* TODO(ch00): write this (see its contract comment). */
    LC_TODO("ch00");
    return NULL;
}
