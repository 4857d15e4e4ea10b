/*
 * mem.h - memory and resources owned by a process.
 *
 * In the BEAM each process has its own heap, and a process that crashes takes
 * its heap with it. The kit does the same for memory taken from lc_alloc():
 * it belongs to the calling process and is freed when the process ends, in
 * whatever way it ends -- a return, an exit, a kill or a segfault. So is every
 * resource registered with lc_resource_add() (a file, a socket, a buffer from
 * a library): its destructor runs at the exit. That is what makes "a restarted
 * process starts clean" true in C. Memory from plain malloc() is not tracked:
 * it leaks when its owner crashes.
 */
#ifndef LC_MEM_H
#define LC_MEM_H

#include <stddef.h>

/* 'n' bytes owned by the calling process, aligned for any type, or NULL when
 * out of memory (or when called outside a process). */
void *lc_alloc(size_t n);

/* As lc_alloc(), zero-filled. */
void *lc_zalloc(size_t n);

/* Free memory from lc_alloc() before the process ends. NULL is ignored. Only
 * the owning process may free a block. */
void lc_free(void *p);

/* Call dtor(obj) when the calling process ends (destructors run last-added
 * first, before the memory is freed). Returns a handle (> 0) for
 * lc_resource_release(), or LC_ENOMEM / LC_EPERM outside a process. */
int lc_resource_add(void (*dtor)(void *obj), void *obj);

/* Run and forget resource 'handle' of the calling process now (call its
 * destructor). Returns 0, or LC_ENOENT. */
int lc_resource_release(int handle);

#endif /* LC_MEM_H */
