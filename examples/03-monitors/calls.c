/*
 * calls.c - chapter 3: exits travel through calls. A small server answers
 * lookups with lc_reply() and crashes on a request it cannot handle. Each
 * client calls it with lc_call(): one gets its answer, one is taken down
 * by the server's crash, one catches the failure of a call to the server
 * that is now dead, and one gives up on another server that never
 * answers.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/monitors.h"

enum {
    LOOKUP = 1 /* payload: a key, as a string */
};

static bool finished; /* lc_fini() ends the rest: not worth a line */

/* The kernel calls this whenever a process ends: log the crashes. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    if (!lc_reason_is_clean(why) && !finished) {
        char p[32], r[160];
        lc_pid_format(p, sizeof p, pid);
        lc_reason_format(r, sizeof r, why);
        printf("t=%-5lld %s crashed: %s\n", (long long)lc_now(), p, r);
    }
}

static lc_pid db, mute;

/* region: server */
/* Answers LOOKUP "alice" and "bob"; any other key is a bug: crash. */
static void db_server(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        const char *key = (const char *)m->data;
        int age = strcmp(key, "alice") == 0 ? 34
                  : strcmp(key, "bob") == 0 ? 27
                                            : -1;
        if (age < 0) {
            lc_error(lc_atom_term(lc_atom_intern("unknown_key")));
        }
        lc_reply(m, &age, sizeof age);
        lc_msg_free(m);
    }
}

static int lookup(lc_pid server, const char *key)
{
    struct lc_msg *r = lc_call(server, LOOKUP, key, strlen(key) + 1, 1000);
    int age;
    memcpy(&age, r->data, sizeof age);
    lc_msg_free(r);
    return age;
}
/* endregion */

/* region: clients */
static void client_ok(void *arg)
{
    printf("t=%-5lld %s is %d\n", (long long)lc_now(), (const char *)arg,
           lookup(db, arg));
}

static void client_unlucky(void *arg)
{
    lc_sleep(50);
    printf("t=%-5lld %s is %d\n", (long long)lc_now(), (const char *)arg,
           lookup(db, arg)); /* never printed */
}

/* A lookup that catches the failure of its call, and says what it was. */
static void careful_lookup(lc_pid server, const char *key)
{
    LC_TRY
    {
        lookup(server, key);
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        char why[160];
        lc_reason_format(why, sizeof why, &e->reason);
        printf("t=%-5lld caught %s\n", (long long)lc_now(), why);
    }
    LC_END_TRY;
}

static void client_careful(void *arg)
{
    lc_sleep(100); /* after the crash */
    careful_lookup(db, arg);
}

static void client_patient(void *arg)
{
    careful_lookup(mute, arg); /* a server that never answers */
}
/* endregion */

/* A server that takes requests and never answers. */
static void mute_server(void *arg)
{
    (void)arg;
    for (;;) {
        lc_msg_free(lc_receive(LC_INFINITY));
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    db = lc_spawn(db_server, NULL);
    mute = lc_spawn(mute_server, NULL);
    lc_spawn(client_ok, "alice");
    lc_spawn(client_unlucky, "carol"); /* the key that crashes the server */
    lc_spawn(client_careful, "bob");
    lc_spawn(client_patient, "bob");
    lc_run();
    finished = true;
    lc_fini();
    return 0;
}
