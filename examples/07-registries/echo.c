/*
 * echo.c - chapter 7: the book's EchoServer, found through a registry.
 * Each echo server is a generic server started under the via name
 * {echo,id}; clients call it by that key and never see a pid. A killed
 * server's key is free at once, and a new server under the same key is
 * found by the same calls.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/registry.h"

/* region: echo */
enum {
    ECHO = 1
};

static int echo_init(void *arg, void **state, struct lc_reason *stop)
{
    return LC_GS_CONTINUE;
}

/* Answer a call with its own bytes. */
static int echo_call(void *state, int tag, const void *data, size_t size,
                     struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, data, size);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops echo_ops = {
    .init = echo_init,
    .handle_call = echo_call,
};

/* Start the echo server number 'id' under {echo,id}. */
static int echo_start(lc_pid reg, int id, lc_pid *pid)
{
    char key[LC_REG_KEY_MAX];
    lc_reg_key_int(key, "echo", id);
    return lc_reg_via_start(reg, key, &echo_ops, NULL, NULL, pid, NULL);
}

/* Call echo server 'id' with 'text'; print what comes back. */
static void echo(lc_pid reg, int id, const char *text)
{
    char key[LC_REG_KEY_MAX];
    lc_reg_key_int(key, "echo", id);
    struct lc_msg *m =
            lc_reg_via_call(reg, key, ECHO, text, strlen(text) + 1, 5000);
    char p[32];
    lc_pid_format(p, sizeof p, m->from);
    printf("%s answers \"%s\" (from %s)\n", key, (const char *)m->data, p);
    lc_msg_free(m);
}
/* endregion */

/* region: session */
static void session(void *arg)
{
    lc_pid reg;
    lc_reg_start_link(&(struct lc_reg_opts){ .name = "echo_registry" }, &reg,
                      NULL);
    lc_pid pid;
    for (int id = 1; id <= 2; id++) {
        echo_start(reg, id, &pid);
    }
    echo(reg, 1, "hello");
    echo(reg, 2, "world");

    int rc = echo_start(reg, 2, &pid);
    char p[32];
    lc_pid_format(p, sizeof p, pid);
    printf("start {echo,2} again: %s, held by %s\n", lc_err_name(rc), p);

    lc_exit_signal(lc_reg_whereis(reg, "{echo,2}"), lc_reason(LC_A_KILL));
    lc_sleep(10);
    printf("{echo,2} after the kill: %s\n",
           lc_reg_whereis(reg, "{echo,2}") ? "found" : "not registered");
    rc = echo_start(reg, 2, &pid);
    printf("start {echo,2} again: %s\n", rc == 0 ? "started" : lc_err_name(rc));
    echo(reg, 2, "back again");
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
