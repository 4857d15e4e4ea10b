/*
 * mem.c - memory and resources that belong to a process.
 *
 * Each block from lc_alloc() carries a small header that links it into its
 * owner's list (a "pprev" list: each block points at the field that points at
 * it, so a block can be unlinked without knowing its owner or walking the
 * list). When the process ends, lc__mem_free_all() walks the list and frees
 * everything, which is how process memory "dies with the process".
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

void *lc_alloc(size_t n)
{
    struct lc_proc *p = K.cur;
    if (p == NULL || n > SIZE_MAX - sizeof(struct lc_block)) {
        return NULL;
    }
    struct lc_block *b = malloc(sizeof *b + n);
    if (b == NULL) {
        return NULL;
    }
    b->size = n;
    b->next = p->mem;
    b->pprev = &p->mem;
    if (p->mem != NULL) {
        p->mem->pprev = &b->next;
    }
    p->mem = b;
    p->memory += n;
    return b->data;
}

void *lc_zalloc(size_t n)
{
    void *q = lc_alloc(n);
    if (q != NULL) {
        memset(q, 0, n);
    }
    return q;
}

void lc_free(void *ptr)
{
    if (ptr == NULL) {
        return;
    }
    struct lc_block *b =
            (struct lc_block *)((char *)ptr - offsetof(struct lc_block, data));
    *b->pprev = b->next;
    if (b->next != NULL) {
        b->next->pprev = b->pprev;
    }
    if (K.cur != NULL && K.cur->memory >= b->size) {
        K.cur->memory -= b->size;
    }
    free(b);
}

void lc__mem_free_all(struct lc_proc *p)
{
    while (p->mem != NULL) {
        struct lc_block *b = p->mem;
        p->mem = b->next;
        free(b);
    }
    p->memory = 0;
}

int lc_resource_add(void (*dtor)(void *obj), void *obj)
{
    struct lc_proc *p = K.cur;
    if (p == NULL || K.in_hook) {
        return LC_EPERM;
    }
    if (dtor == NULL) {
        return LC_EINVAL;
    }
    struct lc_resource *r = malloc(sizeof *r);
    if (r == NULL) {
        return LC_ENOMEM;
    }
    r->dtor = dtor;
    r->obj = obj;
    r->handle = p->next_res++;
    r->next = p->res;
    p->res = r;
    return r->handle;
}

int lc_resource_release(int handle)
{
    struct lc_proc *p = K.cur;
    if (p == NULL) {
        return LC_ENOENT;
    }
    for (struct lc_resource **rr = &p->res; *rr != NULL; rr = &(*rr)->next) {
        struct lc_resource *r = *rr;
        if (r->handle == handle) {
            *rr = r->next;
            r->dtor(r->obj);
            free(r);
            return 0;
        }
    }
    return LC_ENOENT;
}
