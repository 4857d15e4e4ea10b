/*
 * bucket.c - a KV bucket: a server that holds a map of keys to values
 * (kv.h).
 *
 * The Mix and OTP guide's bucket is an Agent: a process whose only job is
 * to keep a state and let others read and change it. The kit has no Agent,
 * and needs none: a generic server with a call per operation is exactly
 * that. The map is an array of pairs kept in the bucket's own memory
 * (lc_alloc()), searched linearly -- buckets in the course hold a handful
 * of keys, and the array dies with the bucket, so a crashed bucket leaks
 * nothing. It doubles when full.
 */
#include "lc/systems/kv.h"

#include <stdio.h>
#include <string.h>

enum {
    KV_PUT = 1,
    KV_GET,
    KV_DELETE,
    KV_SIZE
};

struct kv_pair {
    char key[KV_KEY_MAX];
    char value[KV_VALUE_MAX];
};

struct kv_bucket {
    struct kv_pair *pairs;
    size_t n, cap;
};

/* What a client sends and gets back. */
struct kv_req {
    char key[KV_KEY_MAX];
    char value[KV_VALUE_MAX];
};

struct kv_rep {
    int rc;
    size_t n;
    char value[KV_VALUE_MAX];
};

static int bucket_init(void *arg, void **state, struct lc_reason *stop)
{
    struct kv_bucket *b = lc_alloc(sizeof *b);
    b->cap = 8;
    b->n = 0;
    b->pairs = lc_alloc(b->cap * sizeof b->pairs[0]);
    *state = b;
    if (arg != NULL) {
        lc_proc_set_name(lc_self(), arg);
    }
    return LC_GS_CONTINUE;
}

static struct kv_pair *find(struct kv_bucket *b, const char *key)
{
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->pairs[i].key, key) == 0) {
            return &b->pairs[i];
        }
    }
    return NULL;
}

static void put(struct kv_bucket *b, const struct kv_req *q)
{
    struct kv_pair *p = find(b, q->key);
    if (p == NULL) {
        if (b->n == b->cap) {
            struct kv_pair *bigger = lc_alloc(2 * b->cap * sizeof *bigger);
            memcpy(bigger, b->pairs, b->n * sizeof *bigger);
            lc_free(b->pairs);
            b->pairs = bigger;
            b->cap *= 2;
        }
        p = &b->pairs[b->n++];
        memcpy(p->key, q->key, sizeof p->key);
    }
    memcpy(p->value, q->value, sizeof p->value);
}

static int bucket_call(void *state, int tag, const void *data, size_t size,
                       struct lc_gs_from from, struct lc_reason *stop)
{
    struct kv_bucket *b = state;
    const struct kv_req *q = data;
    struct kv_rep r = { .rc = 0 };
    struct kv_pair *p = tag == KV_SIZE ? NULL : find(b, q->key);
    switch (tag) {
        case KV_PUT:
            put(b, q);
            break;
        case KV_GET:
        case KV_DELETE:
            r.rc = p == NULL ? LC_ENOENT : 0;
            if (p != NULL) {
                memcpy(r.value, p->value, sizeof r.value);
            }
            if (p != NULL && tag == KV_DELETE) {
                *p = b->pairs[--b->n];
            }
            break;
        case KV_SIZE:
            r.n = b->n;
            break;
    }
    lc_gs_reply(from, &r, sizeof r);
    return LC_GS_CONTINUE;
}

const struct lc_gs_ops kv_bucket_ops = {
    .init = bucket_init,
    .handle_call = bucket_call,
};

int kv_bucket_start_link(const char *name, lc_pid *pid)
{
    return lc_gs_start_link(&kv_bucket_ops, (void *)name, NULL, pid, NULL);
}

static struct kv_rep ask(lc_pid b, int tag, const char *key, const char *value)
{
    struct kv_req q = { { 0 }, { 0 } };
    snprintf(q.key, sizeof q.key, "%s", key != NULL ? key : "");
    snprintf(q.value, sizeof q.value, "%s", value != NULL ? value : "");
    struct lc_msg *m = lc_gs_call(b, tag, &q, sizeof q, LC_INFINITY);
    struct kv_rep r;
    memcpy(&r, m->data, sizeof r);
    lc_msg_free(m);
    return r;
}

static int copy_out(const struct kv_rep *r, char *out, size_t n)
{
    if (r->rc == 0 && out != NULL && n > 0) {
        snprintf(out, n, "%s", r->value);
    }
    return r->rc;
}

int kv_bucket_put(lc_pid b, const char *key, const char *value)
{
    return ask(b, KV_PUT, key, value).rc;
}

int kv_bucket_get(lc_pid b, const char *key, char *out, size_t n)
{
    struct kv_rep r = ask(b, KV_GET, key, NULL);
    return copy_out(&r, out, n);
}

int kv_bucket_delete(lc_pid b, const char *key, char *out, size_t n)
{
    struct kv_rep r = ask(b, KV_DELETE, key, NULL);
    return copy_out(&r, out, n);
}

size_t kv_bucket_size(lc_pid b)
{
    return ask(b, KV_SIZE, NULL, NULL).n;
}
