/*
 * kv.c - chapter 4: a small key-value store written as a generic server.
 * The callbacks hold everything particular to the store; the generic
 * server does the rest: the start handshake, the loop, calls and casts,
 * and the orderly end.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"

/* region: kv */
enum {
    KV_PUT = 1, /* cast: struct kv_pair */
    KV_GET = 2  /* call: a key; the reply is an int, -1 if absent */
};

#define KV_MAX 8

struct kv_pair {
    char key[16];
    int value;
};

struct kv {
    struct kv_pair pairs[KV_MAX];
    int n;
};

static int kv_init(void *arg, void **state, struct lc_reason *stop)
{
    struct kv *s = lc_zalloc(sizeof *s); /* dies with the server */
    if (s == NULL) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    *state = s;
    printf("t=%-5lld kv: init\n", (long long)lc_now());
    return LC_GS_CONTINUE;
}

static int kv_find(const struct kv *s, const char *key)
{
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->pairs[i].key, key) == 0) {
            return i;
        }
    }
    return -1;
}

static int kv_cast(void *state, int tag, const void *data, size_t size,
                   struct lc_reason *stop)
{
    struct kv *s = state;
    const struct kv_pair *p = data;
    int i = kv_find(s, p->key);
    if (i < 0 && s->n < KV_MAX) {
        i = s->n++;
    }
    if (i >= 0) {
        s->pairs[i] = *p; /* the state changes in place */
    }
    return LC_GS_CONTINUE;
}

static int kv_call(void *state, int tag, const void *data, size_t size,
                   struct lc_gs_from from, struct lc_reason *stop)
{
    struct kv *s = state;
    int i = kv_find(s, data);
    int value = i < 0 ? -1 : s->pairs[i].value;
    lc_gs_reply(from, &value, sizeof value);
    return LC_GS_CONTINUE;
}

static int kv_info(void *state, const struct lc_msg *msg,
                   struct lc_reason *stop)
{
    printf("t=%-5lld kv: unexpected message, tag %d\n", (long long)lc_now(),
           msg->tag);
    return LC_GS_CONTINUE;
}

static void kv_terminate(void *state, const struct lc_reason *why)
{
    char r[64];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld kv: terminate(%s) with %d key(s)\n", (long long)lc_now(),
           r, ((struct kv *)state)->n);
}

static const struct lc_gs_ops kv_ops = {
    .init = kv_init,
    .handle_call = kv_call,
    .handle_cast = kv_cast,
    .handle_info = kv_info,
    .terminate = kv_terminate,
};
/* endregion */

/* region: client */
/* The store's interface: what its users call, in their own processes. */
static int kv_start_link(lc_pid *pid)
{
    return lc_gs_start_link(&kv_ops, NULL, NULL, pid, NULL);
}

static void kv_put(lc_pid kv, const char *key, int value)
{
    struct kv_pair p = { .value = value };
    snprintf(p.key, sizeof p.key, "%s", key);
    lc_gs_cast(kv, KV_PUT, &p, sizeof p);
}

static int kv_get(lc_pid kv, const char *key)
{
    struct lc_msg *r = lc_gs_call(kv, KV_GET, key, strlen(key) + 1, 5000);
    int value;
    memcpy(&value, r->data, sizeof value);
    lc_msg_free(r);
    return value;
}

static void user(void *arg)
{
    (void)arg;
    lc_pid kv;
    kv_start_link(&kv);
    kv_put(kv, "apples", 3);
    kv_put(kv, "pears", 5);
    kv_put(kv, "apples", 4);
    printf("t=%-5lld apples: %d\n", (long long)lc_now(), kv_get(kv, "apples"));
    printf("t=%-5lld plums: %d\n", (long long)lc_now(), kv_get(kv, "plums"));
    lc_send(kv, 99, NULL, 0); /* not a call, not a cast */
    lc_gs_stop(kv, lc_reason(LC_A_NORMAL), LC_INFINITY);
    printf("t=%-5lld stopped; alive: %s\n", (long long)lc_now(),
           lc_alive(kv) ? "yes" : "no");
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(user, NULL);
    lc_run();
    lc_fini();
    return 0;
}
