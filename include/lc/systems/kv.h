/*
 * kv.h - the KV store (chapter 10): named buckets of key-value pairs,
 * as one application.
 *
 * The tree, top down:
 *
 *     kv            the application (its master)
 *     kv_sup        one_for_all
 *       kv_bucket_sup   the bucket supervisor: buckets, temporary
 *         <bucket "shopping">, <bucket "milk">, ...
 *       kv_registry     names -> buckets; monitors every bucket
 *
 * Given (systems/kv/bucket.c): a bucket, a server holding a map of string
 * keys to string values (what the Mix and OTP guide builds on an Agent).
 * The student writes (chapter 10, solutions/10-applications/): the
 * registry (kv_registry.c), the two supervisors and the application
 * (kv_supervisor.c). Each design choice is a lesson of the chapter:
 *  - the registry monitors the buckets (a link would take it down with
 *    any bucket, and with it every name);
 *  - buckets are temporary children (a restarted bucket would be empty and
 *    under no name: nobody could reach it);
 *  - the top supervisor starts the bucket supervisor before the registry
 *    (the registry starts buckets through it) and is one_for_all (a new
 *    registry knows no bucket: the old buckets must go with the old
 *    registry).
 */
#ifndef LC_SYSTEMS_KV_H
#define LC_SYSTEMS_KV_H

#include <stddef.h>

#include "lc/lc.h"
#include "lc/otp/application.h"
#include "lc/otp/gen_server.h"

#define KV_KEY_MAX   32 /* bytes of a key or a bucket name, with its NUL */
#define KV_VALUE_MAX 64 /* bytes of a value, with its NUL */

#define KV_SUP_NAME        "kv_sup"
#define KV_BUCKET_SUP_NAME "kv_bucket_sup"
#define KV_REGISTRY_NAME   "kv_registry"

/* --- Buckets (given: systems/kv/bucket.c) --------------------------------- */

extern const struct lc_gs_ops kv_bucket_ops;

/* Start an empty bucket linked to the caller (its supervisor), shown in
   figures as 'name'. Returns lc_gs_start_link()'s result. */
int kv_bucket_start_link(const char *name, lc_pid *pid);

/* Set 'key' to 'value' in bucket 'b' (both are cut to fit). Returns 0. A
   call: the caller exits as lc_gs_call() does if 'b' is dead. */
int kv_bucket_put(lc_pid b, const char *key, const char *value);

/* Copy the value of 'key' into out[0..n). Returns 0, or LC_ENOENT. */
int kv_bucket_get(lc_pid b, const char *key, char *out, size_t n);

/* Remove 'key'; its value, if any, into out[0..n) (out may be NULL).
   Returns 0, or LC_ENOENT. */
int kv_bucket_delete(lc_pid b, const char *key, char *out, size_t n);

/* How many keys bucket 'b' holds. */
size_t kv_bucket_size(lc_pid b);

/* --- The registry (the student's: kv_registry.c) ---------------------------
 */

/* Start the registry, registered as KV_REGISTRY_NAME, linked to the
   caller. It starts buckets under KV_BUCKET_SUP_NAME, which must run. */
int kv_registry_start_link(lc_pid *pid);

/* The bucket named 'name', or LC_NOPID. A call to the registry. */
lc_pid kv_lookup(const char *name);

/* The bucket named 'name', started if there is none. Returns 0 with *pid,
   LC_EINVAL for a name that is empty or too long, or the bucket
   supervisor's error. A call to the registry. */
int kv_create(const char *name, lc_pid *pid);

/* How many buckets the registry knows. */
size_t kv_count(void);

/* --- Supervisors and the application (the student's: kv_supervisor.c) ------
 */

/* The bucket supervisor, registered as KV_BUCKET_SUP_NAME, linked to the
   caller: no children at start. */
int kv_bucket_sup_start_link(lc_pid *pid);

/* Start a bucket named 'name' as a temporary child of the bucket
   supervisor. Returns lc_sup_start_child()'s result. */
int kv_bucket_sup_start_bucket(const char *name, lc_pid *pid);

/* The top supervisor, registered as KV_SUP_NAME, linked to the caller. */
int kv_sup_start_link(lc_pid *pid);

/* The application "kv": no dependencies, its start callback starts kv_sup. */
extern const struct lc_app_spec kv_app;

#endif /* LC_SYSTEMS_KV_H */
