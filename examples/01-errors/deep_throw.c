/*
 * deep_throw.c - chapter 1: lc_throw() as a non-local return. A recursive
 * search through a tree stops at the first match and hands the answer
 * straight back to the top, past every call in between.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

struct node {
    int value;
    const struct node *left, *right;
};

static int visited;

/* region: search */
/* Walk the tree; at the first negative value, throw it to the top. */
static void walk(const struct node *n)
{
    if (n == NULL) {
        return;
    }
    visited++;
    if (n->value < 0) {
        lc_throw(lc_int(n->value));
    }
    walk(n->left);
    walk(n->right);
}

/* The first negative value in the tree, or 0 if there is none. */
static int first_negative(const struct node *root)
{
    volatile int found = 0;
    LC_TRY
    {
        walk(root);
    }
    LC_CATCH(LC_CLASS_THROW, e)
    {
        found = (int)e->value.u.i;
    }
    LC_END_TRY;
    return found;
}
/* endregion */

static void main_process(void *arg)
{
    (void)arg;
    static const struct node d = { 4, NULL, NULL }, e = { -3, NULL, NULL },
                             f = { -8, NULL, NULL }, b = { 2, &d, &e },
                             c = { 6, &f, NULL }, a = { 1, &b, &c };
    int v = first_negative(&a);
    printf("first negative value: %d, after visiting %d of 6 nodes\n", v,
           visited);
    visited = 0;
    v = first_negative(&d);
    printf("in a tree without one: %d, after visiting %d node\n", v, visited);
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
