/*
 * kv_registry.c - the KV store's registry of named buckets (chapter 10;
 * kv.h).
 *
 * A generic server, registered as "kv_registry", that maps bucket names to
 * bucket processes. Clients look a bucket up by name and keep no pid of
 * their own: when a bucket is gone, its name must go too, or the next
 * lookup hands out a dead process.
 *
 * The choices, each with its reason:
 *  - create is a call, not a cast: a client that creates "shopping" and
 *    then looks it up must find it, so create answers once it is done;
 *  - the registry starts buckets through the bucket supervisor, never with
 *    a start_link of its own: a bucket linked to the registry would take
 *    it down when it crashes (or be taken down with it), and nobody would
 *    restart either one properly;
 *  - it monitors every bucket it creates: a monitor is one-way, so the
 *    registry hears of a bucket's end as a DOWN message -- and removes the
 *    name -- and does not die of it.
 *
 * The registry also draws itself: role LC_ROLE_REGISTRY, and an
 * LC_EDGE_REGISTERED edge labelled with the name to each bucket.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/systems/kv.h"

#define KV_BUCKETS_MAX 4096

enum {
    REG_LOOKUP = 1,
    REG_CREATE,
    REG_COUNT
};

struct entry {
    char name[KV_KEY_MAX];
    lc_pid pid;
    uint64_t ref; /* the monitor of the bucket */
};

struct registry {
    struct entry e[KV_BUCKETS_MAX];
    size_t n;
};

struct reg_rep {
    int rc;
    lc_pid pid;
    size_t n;
};

static int reg_init(void *arg, void **state, struct lc_reason *stop)
{
    struct registry *r = lc_alloc(sizeof *r);
    r->n = 0;
    *state = r;
    lc_proc_set_role(lc_self(), LC_ROLE_REGISTRY);
    return LC_GS_CONTINUE;
}

static struct entry *find(struct registry *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->e[i].name, name) == 0) {
            return &r->e[i];
        }
    }
    return NULL;
}

/* region: create */
/* Start a bucket named 'name' under the bucket supervisor, watch it, and
   remember it. */
static int create(struct registry *r, const char *name, lc_pid *pid)
{
    /* BEGIN SOLUTION(ch10): return LC_ENOSYS; */
    if (r->n == KV_BUCKETS_MAX) {
        return LC_EMAX;
    }
    int rc = kv_bucket_sup_start_bucket(name, pid);
    if (rc < 0) {
        return rc;
    }
    struct entry *e = &r->e[r->n++];
    snprintf(e->name, sizeof e->name, "%s", name);
    e->pid = *pid;
    e->ref = lc_monitor(*pid);
    lc_edge_add(LC_EDGE_REGISTERED, lc_self(), *pid, e->name, 0);
    return 0;
    /* END SOLUTION */
}
/* endregion */

static int reg_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    struct registry *r = state;
    const char *name = data;
    struct reg_rep rep = { .rc = 0, .pid = LC_NOPID, .n = r->n };
    struct entry *e = tag == REG_COUNT ? NULL : find(r, name);
    if (e != NULL) {
        rep.pid = e->pid;
    } else if (tag == REG_CREATE) {
        rep.rc = create(r, name, &rep.pid);
    }
    lc_gs_reply(from, &rep, sizeof rep);
    return LC_GS_CONTINUE;
}

/* region: down */
/* A bucket ended: forget its name. */
static int reg_info(void *state, const struct lc_msg *msg,
                    struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch10): return LC_GS_CONTINUE; */
    struct registry *r = state;
    if (msg->tag != LC_TAG_DOWN) {
        return LC_GS_CONTINUE;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->e[i].ref == msg->ref) {
            r->e[i] = r->e[--r->n];
            break;
        }
    }
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}
/* endregion */

static const struct lc_gs_ops registry_ops = {
    .init = reg_init,
    .handle_call = reg_call,
    .handle_info = reg_info,
};

int kv_registry_start_link(lc_pid *pid)
{
    struct lc_gs_opts o = { .name = KV_REGISTRY_NAME };
    return lc_gs_start_link(&registry_ops, NULL, &o, pid, NULL);
}

static struct reg_rep ask(int tag, const char *name)
{
    char q[KV_KEY_MAX] = { 0 };
    snprintf(q, sizeof q, "%s", name != NULL ? name : "");
    lc_pid reg = lc_whereis(KV_REGISTRY_NAME);
    struct lc_msg *m = lc_gs_call(reg, tag, q, sizeof q, LC_INFINITY);
    struct reg_rep rep;
    memcpy(&rep, m->data, sizeof rep);
    lc_msg_free(m);
    return rep;
}

lc_pid kv_lookup(const char *name)
{
    return ask(REG_LOOKUP, name).pid;
}

int kv_create(const char *name, lc_pid *pid)
{
    if (name == NULL || name[0] == '\0' || strlen(name) >= KV_KEY_MAX) {
        return LC_EINVAL;
    }
    struct reg_rep rep = ask(REG_CREATE, name);
    if (pid != NULL) {
        *pid = rep.pid;
    }
    return rep.rc;
}

size_t kv_count(void)
{
    return ask(REG_COUNT, NULL).n;
}
