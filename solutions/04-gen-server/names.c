/*
 * names.c - registered names (chapter 4).
 *
 * The registry is one list of (name, pid) entries in the order they were
 * registered, shared by the whole runtime: a name is found by a linear
 * scan, which is all a system with a few dozen named servers needs
 * (chapter 7 builds a registry made for many keys). Each registered process
 * also points to its entry from its LC_LOCAL_NAMES slot, so that "one name
 * per process" is a single test and its exit finds the entry at once.
 *
 * The kernel knows nothing of names. This layer hooks into every process
 * exit (names_on_exit) and frees the dead process's name. Exit hooks all
 * run before any other process gets a turn, so by the time anyone receives
 * the DOWN or EXIT of a named process its name is already free (OTP's E6).
 */
#include "lc/otp/names.h"

#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/* BEGIN SOLUTION(ch04): - */
#define NAME_MAX_LEN 63

struct name {
    struct name *next;           /* the next registered, newer */
    struct name **pprev;         /* the field that points here: an exit
                                    drops its entry without a scan */
    lc_pid pid;                  /* who has the name */
    char text[NAME_MAX_LEN + 1]; /* the name */
};

/* Every registered name, oldest first. The list belongs to whichever
   runtime is up: its processes' exits empty it (see lc_fini()). */
static struct name *names;

static bool valid(const char *name)
{
    return name != NULL && name[0] != '\0' && strlen(name) <= NAME_MAX_LEN &&
           strcmp(name, "undefined") != 0;
}

/* The field that points to the entry for 'name', or to the list's NULL
   end if there is none. */
static struct name **find(const char *name)
{
    struct name **pp = &names;
    while (*pp != NULL && strcmp((*pp)->text, name) != 0) {
        pp = &(*pp)->next;
    }
    return pp;
}

/* The block of the last entry freed, for the next name: a restarted
   server takes its name again at once. lc_fini() frees it. */
static struct name *spare;

static void free_spare(void)
{
    free(spare);
    spare = NULL;
}

LC_ON_FINI(free_spare)

/* Take entry 'n' off the list and off its process, and free it. */
static void drop(struct name *n)
{
    *n->pprev = n->next;
    if (n->next != NULL) {
        n->next->pprev = n->pprev;
    }
    void **slot = lc_local(n->pid, LC_LOCAL_NAMES);
    if (slot != NULL) {
        *slot = NULL;
    }
    if (spare == NULL) {
        spare = n;
    } else {
        free(n);
    }
}

/* END SOLUTION */

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * before any other process runs again: if the dead process has a name, the
 * name is free from now on. Must not wait.
 */
static void names_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch04): (void)dead; (void)why; */
    void **slot = lc_local(dead, LC_LOCAL_NAMES);
    if (slot != NULL && *slot != NULL) {
        drop(*slot);
    }
    /* END SOLUTION */
}

LC_ON_EXIT(names_on_exit)

int lc_register(const char *name, lc_pid pid)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    if (!valid(name)) {
        return LC_EINVAL;
    }
    struct name **end = find(name);
    if (*end != NULL) {
        return LC_EEXIST;
    }
    void **slot = lc_local(pid, LC_LOCAL_NAMES);
    if (slot == NULL || !lc_alive(pid)) {
        return LC_ENOPROC;
    }
    if (*slot != NULL) {
        return LC_EBUSY; /* one name per process */
    }
    struct name *n = spare != NULL ? spare : malloc(sizeof *n);
    if (n == NULL) {
        return LC_ENOMEM;
    }
    spare = NULL;
    n->next = NULL;
    n->pprev = end;
    n->pid = pid;
    strcpy(n->text, name);
    *end = n; /* 'end' is the list's NULL end: append */
    *slot = n;
    lc_proc_set_name(pid, name); /* figures and lc_procdump() show it */
    return 0;
    /* END SOLUTION */
}

int lc_unregister(const char *name)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    struct name **pp = valid(name) ? find(name) : NULL;
    if (pp == NULL || *pp == NULL) {
        return LC_ENOENT;
    }
    lc_proc_set_name((*pp)->pid, NULL);
    drop(*pp);
    return 0;
    /* END SOLUTION */
}

lc_pid lc_whereis(const char *name)
{
    /* BEGIN SOLUTION(ch04): return LC_NOPID; */
    struct name *n = valid(name) ? *find(name) : NULL;
    return n ? n->pid : LC_NOPID;
    /* END SOLUTION */
}

const char *lc_name_of(lc_pid pid)
{
    /* BEGIN SOLUTION(ch04): return NULL; */
    void **slot = lc_local(pid, LC_LOCAL_NAMES);
    struct name *n = slot ? *slot : NULL;
    return n ? n->text : NULL;
    /* END SOLUTION */
}

size_t lc_registered(const char **out, size_t max)
{
    /* BEGIN SOLUTION(ch04): return 0; */
    size_t count = 0;
    for (struct name *n = names; n != NULL; n = n->next, count++) {
        if (count < max) {
            out[count] = n->text;
        }
    }
    return count;
    /* END SOLUTION */
}

int lc_send_named(const char *name, int tag, const void *data, size_t size)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    lc_pid pid = lc_whereis(name);
    if (pid == LC_NOPID) {
        lc_error(lc_atom_term(LC_A_BADARG)); /* the sender's mistake */
    }
    return lc_send(pid, tag, data, size);
    /* END SOLUTION */
}
