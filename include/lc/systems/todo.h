/*
 * todo.h - the to-do system: lists of dated entries, one server per list, a
 * cache that finds the servers, and a database that keeps each list in a
 * file (chapters 5 to 9). The kit gives this code; the students write the
 * parts the chapters teach -- the supervisors, the links, the registry --
 * and plug them in.
 *
 * The processes, in the order the book introduces them:
 *
 *     todo_system  (supervisor)     the whole system; the student's
 *       todo_database               a pool of workers; names the worker
 *         worker 1..N               of a list: reads and writes files
 *       todo_cache                  list name -> to-do server
 *         todo_server "Bob's list"  one list, in memory; every change is
 *         ...                       saved through the database before it
 *                                   is acknowledged
 *
 * What each stage of the book changes, and where that change lives:
 *
 *   ch. 5  supervised_todo_cache  The system supervisor starts the cache;
 *                                 the cache starts the database, the
 *                                 database its workers, the cache the
 *                                 servers -- all with unlinked starts
 *                                 (the kit's defaults), so killing the
 *                                 cache leaves its servers dangling.
 *          todo_links             The student's start functions link each
 *                                 process to the one that starts it
 *                                 (todo_hooks_set()): killing the cache now
 *                                 takes its servers, database and workers
 *                                 down with it, and nothing dangles.
 *   ch. 6  supervise_database     The database becomes a child of the
 *                                 system supervisor, before the cache
 *                                 (struct todo_config.cache_starts_database
 *                                 is false): a database crash no longer
 *                                 touches the cache, nor the reverse.
 *   ch. 7  pool_supervision       The workers get a supervisor of their
 *                                 own (the new "todo_database", type
 *                                 supervisor) and register as {worker, id}
 *                                 in the registry, which becomes the
 *                                 system's first child. Replaced: the hook
 *                                 worker_of (todo_worker_for() of the list,
 *                                 then a registry lookup) and the database
 *                                 child; the workers are todo_worker_ops
 *                                 started by the pool supervisor.
 *   ch. 8  dynamic_workers        The cache becomes a dynamic supervisor of
 *                                 servers (todo_server_ops, registered as
 *                                 {server, list}). Replaced: the hook
 *                                 server_process (start the child, or take
 *                                 the holder from already_started) and the
 *                                 cache child.
 *   ch. 9  the whole system       The same parts, under the storm.
 *
 * Only the hooks and the system's children change from stage to stage, as
 * only Todo.System's child list and the lookups change in the book: the
 * list, the file format, the server, the worker and the client calls are
 * the same code in every chapter. A later stage writes its own system
 * start (a new function: chapter 5's symbols stay as they are), which
 * copies todo_links_hooks, sets the fields it replaces, calls
 * todo_hooks_set() and starts its supervisor with its own children. A hook
 * added for a later chapter defaults to NULL, which keeps the kit's
 * behaviour, so earlier stages need no change. The processes find each
 * other by registered names ("todo_cache", "todo_database") or through the
 * hooks, never by a pid kept from an earlier run, so a restarted process
 * is found again.
 *
 * Persistence: each list is one file in the system's folder, named after
 * the list in a way that is safe for any name (todo_file_name()), in a text
 * format a person can read:
 *
 *     lc-todo 1 entries=2 next-id=3 crc32=5f1e3c2a list=Bob's list
 *     1 2026-12-19 Dentist
 *     2 2026-12-20 Buy milk\tand bread
 *
 * The header says the version, how many entries follow, the next id to
 * give, the CRC-32 of everything after the header line and the list's name
 * (escaped as titles are: \\ \n \r \t and \xHH for other control bytes). A
 * list is written aside (a temporary file in the same folder), flushed to
 * disk, renamed over the old file, and the folder is flushed: after a
 * crash -- of a process, of the program or of the machine -- the file holds
 * the old list or the new one, never half of each. A file that fails a
 * check is reported with the file's name and the problem, never read as a
 * shorter list; a file that does not exist is an empty list (an expected
 * error, handled where it happens).
 */
#ifndef LC_SYSTEMS_TODO_H
#define LC_SYSTEMS_TODO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"

/* region: limits */
#define TODO_NAME_MAX      64        /* bytes of a list name (1 to 64) */
#define TODO_TITLE_MAX     160       /* bytes of an entry's title (0 to 160) */
#define TODO_FOLDER_MAX    200       /* bytes of the system's folder path */
#define TODO_WORKERS_MAX   16        /* database workers at most */
#define TODO_FILE_MAX      (4 << 20) /* bytes of a list file at most */
#define TODO_FILE_NAME_MAX 64        /* bytes of a list file's name, with NUL */
/* endregion */

/* --- The to-do list: plain data (todo/list.c) ---------------------------- */

/* region: list */
struct todo_date {
    int year;  /* 1 to 9999 */
    int month; /* 1 to 12 */
    int day;   /* 1 to the month's last day */
};

struct todo_entry {
    uint32_t id; /* given by the list, never reused */
    struct todo_date date;
    char title[TODO_TITLE_MAX + 1];
};

/* A list of entries in the order they were added. Plain malloc()'d data:
   a process that owns one registers it as a resource (mem.h), so that it
   is freed however the process ends. */
struct todo_list {
    uint32_t next_id; /* the id the next entry gets (the first is 1) */
    size_t n, cap;
    struct todo_entry *entries;
    uint32_t *days; /* days[i]: the date of entries[i] as one number, so
                       that a lookup by date reads 4 bytes an entry */
};

/* An empty list (next id 1), or NULL when out of memory. */
struct todo_list *todo_list_new(void);

/* Free 'l' and its entries. NULL is ignored. */
void todo_list_free(struct todo_list *l);

/* A copy of 'l', or NULL when out of memory. */
struct todo_list *todo_list_clone(const struct todo_list *l);

/* Add an entry. Returns 0 with *id (may be NULL) set, or LC_EINVAL (a date
   that does not exist, a NULL title), LC_ERANGE (a title over
   TODO_TITLE_MAX bytes) or LC_ENOMEM; the list is then unchanged. */
int todo_list_add(struct todo_list *l, struct todo_date date, const char *title,
                  uint32_t *id);

/* Change entry 'id'. Returns 0, LC_ENOENT, or add's errors. */
int todo_list_update(struct todo_list *l, uint32_t id, struct todo_date date,
                     const char *title);

/* Remove entry 'id'. Returns 0 or LC_ENOENT. */
int todo_list_delete(struct todo_list *l, uint32_t id);

/* Copy the entries of 'date' into out[0..max), oldest first. Returns how
   many entries that date has (which may be more than 'max'). */
size_t todo_list_entries(const struct todo_list *l, struct todo_date date,
                         struct todo_entry *out, size_t max);

/* True if 'd' is a day of the calendar. */
bool todo_date_valid(struct todo_date d);

/* Read "YYYY-MM-DD". Returns 0, or LC_EINVAL for anything else. */
int todo_date_parse(const char *s, struct todo_date *d);

/* Write 'd' as "YYYY-MM-DD" into buf[0..n). As snprintf. */
int todo_date_format(char *buf, size_t n, struct todo_date d);

/* A shorthand for tests and examples. */
static inline struct todo_date todo_date(int year, int month, int day)
{
    return (struct todo_date){ year, month, day };
}

/* 0 if 'name' can name a list (1 to TODO_NAME_MAX bytes), else LC_EINVAL
   (NULL or empty) or LC_ERANGE (too long). */
int todo_name_check(const char *name);
/* endregion */

/* --- List files (todo/file.c): format, check, atomic write --------------- */

/* region: file */
/* Why a list file could not be read or written. */
struct todo_file_error {
    char file[TODO_FILE_NAME_MAX]; /* the file's name in the folder */
    lc_atom problem;  /* bad_header, bad_version, bad_checksum, bad_count,
                         bad_entry, wrong_list, truncated, too_large,
                         io_error */
    char detail[160]; /* for a person: "line 3: a date that does not
                         exist", "open: Permission denied" */
};

/*
 * The name of the file of list 'list' (no folder): its safe characters
 * (letters, digits, '-' and '_'; '_' for the others), at most 32 of them,
 * then '-' and the 64-bit FNV-1a hash of the whole name in hex, then
 * ".todo": "Bob_s_list-8a1f....todo". Never "." or "..", never a '/',
 * never longer than TODO_FILE_NAME_MAX - 1; two names that clean up alike
 * differ by their hash (and the header's list= catches the rest).
 * Returns 0, or todo_name_check()'s error.
 */
int todo_file_name(const char *list, char out[TODO_FILE_NAME_MAX]);

/* The file's text for list 'list' holding 'l': malloc()'d into *text and
 *len. Returns 0 or LC_ENOMEM. */
int todo_file_encode(const char *list, const struct todo_list *l, char **text,
                     size_t *len);

/*
 * Read a file's text back into a new list (*out). Checks everything the
 * header promises -- version, count, checksum, the list's name -- and every
 * line. Returns 0, LC_ENOMEM, or LC_EINVAL with *err saying what is wrong
 * ('file' is copied into err->file for the message).
 */
int todo_file_decode(const char *file, const char *list, const char *text,
                     size_t len, struct todo_list **out,
                     struct todo_file_error *err);

/*
 * Write text[0..len) as folder/file, atomically: a temporary file in the
 * same folder, fsync, rename over the old file, fsync of the folder.
 * Returns 0, or LC_EINVAL with *err (problem io_error, detail naming the
 * step and the system's message); the old file is then untouched.
 */
int todo_file_write(const char *folder, const char *file, const char *text,
                    size_t len, struct todo_file_error *err);

/*
 * Read folder/file into *text (malloc()'d, NUL-terminated) and *len.
 * Returns 0, LC_ENOENT if there is no such file (*text NULL), or LC_EINVAL
 * with *err (too_large over TODO_FILE_MAX bytes, io_error).
 */
int todo_file_read(const char *folder, const char *file, char **text,
                   size_t *len, struct todo_file_error *err);

/*
 * Remove what writes that never finished left in 'folder' (temporary
 * files: only a crash of the whole program, between the write and the
 * rename, leaves one). Safe whenever it is called from a process: a write
 * makes no kernel call between creating its file and renaming it, so no
 * other process runs in between. Returns how many files it removed, or
 * LC_ENOENT (no such folder).
 */
int todo_file_sweep(const char *folder);

/* Make 'folder' if it is missing (not its parents) and sweep it: what a
   database does as it starts (a stage that replaces the database calls it
   from its own start). Returns 0, or LC_EINVAL with *err (problem
   bad_folder, detail the system's message). */
int todo_folder_prepare(const char *folder, struct todo_file_error *err);

/* The reason a server that met 'err' ends with: {problem, 'file'}, such as
   {bad_checksum, 'Bob_s_list-8a1f....todo'}. */
struct lc_reason todo_file_reason(const struct todo_file_error *err);

/*
 * Fault injection, for tests (off by default). The steps of
 * todo_file_write(), in order: the data written to the file aside, that
 * file flushed, renamed over the old one, the folder flushed (DONE: the
 * list is on disk). A hook set with todo_file_fault_set() is called, in
 * the writing process, before each step; a non-zero errno value makes
 * that step fail as if the system had said so (the old file is then
 * untouched, or, at DONE, the new one is in place and the write is
 * reported failed). The hook may also end the calling process, or signal
 * others, to crash the system mid-write. NULL turns it off.
 */
enum todo_write_step {
    TODO_STEP_WRITE,
    TODO_STEP_FSYNC,
    TODO_STEP_RENAME,
    TODO_STEP_FSYNC_FOLDER,
    TODO_STEP_DONE
};
typedef int todo_file_fault_fn(const char *file, enum todo_write_step step);
void todo_file_fault_set(todo_file_fault_fn *fn);
/* endregion */

/* One change a client asks a server for (chapter 9's commit hook). */
enum todo_op {
    TODO_OP_ADD,
    TODO_OP_UPDATE,
    TODO_OP_DELETE
};
struct todo_change {
    enum todo_op op;
    uint32_t id; /* update, delete */
    struct todo_date date;
    const char *title; /* add, update */
};

/* Apply 'c' to 'l': todo_list_add(), _update() or _delete(). Returns
   their result (*id: an add's new id; may be NULL). */
int todo_change_apply(struct todo_list *l, const struct todo_change *c,
                      uint32_t *id);

/* --- The system's configuration and the stages' hooks -------------------- */

/* region: config */
/* What the system is given. Passed by value to every process that starts
   others (a supervisor keeps its own copy: arg_size in the child spec). */
struct todo_config {
    char folder[TODO_FOLDER_MAX + 1]; /* where the list files are; made if
                                         missing (its parent must exist) */
    int workers;                      /* database workers: 1 to
                                         TODO_WORKERS_MAX; 0: 3 */
    bool cache_starts_database;       /* stages 1-2: the cache starts the
                                         database in its init */
};

/* Fill *cfg for 'folder' with the defaults (3 workers, the cache starts
   the database). Returns 0, or LC_ERANGE if the path is too long. */
int todo_config_init(struct todo_config *cfg, const char *folder);

/*
 * How the processes of a stage start and find each other. A stage sets the
 * hooks it changes; a NULL field keeps the kit's default (given in
 * brackets). Each start function starts one process and returns what
 * lc_gs_start() returns; whether it links the new process to the caller
 * is what the stage decides.
 */
struct todo_hooks {
    /* The cache starts the database (stages 1-2).
       [todo_database_start: not linked] */
    int (*start_database)(const struct todo_config *cfg, lc_pid *pid);
    /* The database starts worker 'id' (1..workers) in its init.
       [todo_worker_start: not linked] */
    int (*start_worker)(const struct todo_config *cfg, int id, lc_pid *pid);
    /* The cache starts the server of 'list' on its first use.
       [todo_server_start: not linked] */
    int (*start_server)(const char *list, lc_pid *pid);
    /* Any process: the server of 'list', started if need be.
       [todo_cache_server_process: a call to "todo_cache"] */
    lc_pid (*server_process)(const char *list);
    /* A to-do server: the database worker that keeps 'list'.
       [todo_database_worker_of: a call to "todo_database"] */
    lc_pid (*worker_of)(const char *list);
    /* Chapter 9. A to-do server: load its list as it (re)starts. Returns
       0 with *out, or 1 with *stop: the reason the server ends with.
       [the kit's: todo_db_load(), a bad file's reason from
       todo_file_reason()] */
    int (*restore)(const char *list, struct todo_list **out,
                   struct lc_reason *stop);
    /* Chapter 9. A to-do server: make change 'c' of 'cur' durable, on a
       copy that lives in *next from the moment it exists (*next is NULL
       on entry). Returns 0 once *next is the new list, on disk (*id: an
       add's id); the change's error (< 0: nothing saved); or 1 with *stop
       (the save failed: the server ends). Whenever it does not return 0,
       and if the server is killed meanwhile, the server frees *next and
       keeps 'cur': the rollback. (*next == cur, changed in place, is
       never freed: only a memory-only mode may do that.)
       [the kit's: a copy, todo_change_apply(), todo_db_save()] */
    int (*commit)(const char *list, const struct todo_list *cur,
                  const struct todo_change *c, struct todo_list **next,
                  uint32_t *id, struct lc_reason *stop);
};

/* Use 'h' (NULL: the kit's defaults for every hook) from now on. The table
   is copied. lc_fini() goes back to the defaults. */
void todo_hooks_set(const struct todo_hooks *h);

/* The hooks in use, every field filled in. */
const struct todo_hooks *todo_hooks(void);

/* Where the processes say what they do ("Starting to-do cache."), as the
   book's processes do: NULL (the default) says nothing. */
typedef void todo_log_fn(const char *line);
void todo_log_set(todo_log_fn *fn);
/* endregion */

/* --- The processes (todo/worker.c, database.c, server.c, cache.c) -------- */

/* region: processes */
/* Names the processes register under. */
#define TODO_CACHE_NAME    "todo_cache"
#define TODO_DATABASE_NAME "todo_database"
#define TODO_SYSTEM_NAME   "todo_system"
#define TODO_REGISTRY_NAME "todo_registry" /* chapter 7 on */

/* The callback modules, for start functions that link (lc_gs_start_link)
   or that a supervisor calls. Each init's argument is given below. */
extern const struct lc_gs_ops todo_worker_ops;   /* struct todo_worker_arg */
extern const struct lc_gs_ops todo_database_ops; /* struct todo_config */
extern const struct lc_gs_ops todo_cache_ops;    /* struct todo_config */
extern const struct lc_gs_ops todo_server_ops;   /* the list's name */

struct todo_worker_arg {
    struct todo_config cfg;
    int id; /* 1..cfg.workers */
};

/* The kit's unlinked starts (stage supervised_todo_cache): lc_gs_start()
   of each module, the database under its name. */
int todo_worker_start(const struct todo_config *cfg, int id, lc_pid *pid);
int todo_database_start(const struct todo_config *cfg, lc_pid *pid);
int todo_server_start(const char *list, lc_pid *pid);

/* The cache's child spec (the child_spec(arg) convention): id "todo_cache",
   started with lc_gs_start_link() under the name "todo_cache", with its
   own copy of *cfg. */
struct lc_child_spec todo_cache_child_spec(const struct todo_config *cfg);

/* The default hooks: ask the cache for a list's server, ask the database
   for a list's worker (the worker whose number is the list name's hash
   modulo the pool size). */
lc_pid todo_cache_server_process(const char *list);
lc_pid todo_database_worker_of(const char *list);

/* Which worker, 1..workers, keeps 'list'. */
int todo_worker_for(const char *list, int workers);
/* endregion */

/* --- Clients (any process) ----------------------------------------------- */

/* region: client */
/*
 * Each call finds the list's server through the hook server_process and
 * makes one call to it. They return a negative code for bad input (checked
 * before anything is sent: LC_EINVAL for a bad name or date, LC_ERANGE for
 * a name or title too long) and for what the server refused (LC_ENOENT: no
 * such entry). A file that cannot be read or written is not an error the
 * caller could fix: the server crashes with todo_file_reason(), and, as
 * every call, the client call then exits the caller with {Reason, {call}}
 * (gen_server.h) -- unless the caller catches it.
 */
int todo_add(const char *list, struct todo_date date, const char *title,
             uint32_t *id);
int todo_update(const char *list, uint32_t id, struct todo_date date,
                const char *title);
int todo_delete(const char *list, uint32_t id);
/* The entries of 'date' into out[0..max), oldest first; returns how many
   there are (may be more than max), or a negative code. */
int todo_entries(const char *list, struct todo_date date,
                 struct todo_entry *out, size_t max);

/* As todo_add() and todo_entries(), to a server already found: for a
   client that keeps the pid (the benchmarks). */
int todo_server_add(lc_pid server, struct todo_date date, const char *title,
                    uint32_t *id);
int todo_server_entries(lc_pid server, struct todo_date date,
                        struct todo_entry *out, size_t max);
/* An add with no answer (a cast): the server applies and saves it as any
   add, but the sender never learns whether it did -- no promise is made.
   For the benchmark twin of the book's add_entry cast; a client that
   needs the entry kept uses todo_add(). Returns lc_gs_cast()'s result, or
   the input errors of todo_add(). */
int todo_server_add_cast(lc_pid server, struct todo_date date,
                         const char *title);

/* Database calls, made by the to-do servers: load a list (missing file:
   an empty list; a bad file: LC_EINVAL with *err) and save one (returns 0
   once the file is on disk, or LC_EINVAL with *err). The worker is found
   through the hook worker_of. */
int todo_db_load(const char *list, struct todo_list **out,
                 struct todo_file_error *err);
int todo_db_save(const char *list, const struct todo_list *l,
                 struct todo_file_error *err);
/* endregion */

/* --- The student's parts (solutions/05-*, 06-*) -------------------------- */

/* region: student */
/*
 * Chapter 5 (todo_system.c). Start the to-do system: a one_for_one
 * supervisor registered as "todo_system", linked to the caller, whose
 * children are the database (when todo_system_database_spec() supplies
 * one: chapter 6) and then the cache; and the linked starts of stage
 * todo_links in the hooks. Returns lc_sup_start_link()'s result.
 */
int todo_system_start_link(const struct todo_config *cfg, lc_pid *sup);

/* Chapter 5 (todo_system.c). The hooks of stage todo_links: the kit's
   defaults with the three starts that link. A later stage copies it and
   changes what it changes, then calls todo_hooks_set() with its copy. */
extern const struct todo_hooks todo_links_hooks;

/*
 * Chapter 6 (todo_database.c). The database's child spec, for a system
 * that supervises it: fill *spec and return true. Chapter 5 defines a weak
 * version that returns false (the cache then starts the database), which
 * chapter 6's strong one replaces at link time.
 */
bool todo_system_database_spec(const struct todo_config *cfg,
                               struct lc_child_spec *spec);

/*
 * Chapter 7 (todo_pool.c), stage pool_supervision. Start the system: a
 * one_for_one supervisor registered as "todo_system", linked to the
 * caller, whose children are the registry "todo_registry", the workers'
 * own supervisor "todo_database" (each worker under the via name
 * {worker,id}) and the cache; with the hooks of todo_links and worker_of
 * replaced by todo_pool_worker_of(). Returns lc_sup_start_link()'s
 * result, or LC_EINVAL for a bad worker count.
 */
int todo_pool_system_start_link(const struct todo_config *cfg, lc_pid *sup);

/* Chapter 7 (todo_pool.c). The worker of 'list': {worker,N} looked up in
   "todo_registry", N = todo_worker_for(list, the pool's size). */
lc_pid todo_pool_worker_of(const char *list);

/* Chapter 7 (todo_pool.c). The pool supervisor's child spec, for a system
   that has a registry "todo_registry" before it (chapter 8's stage reuses
   it): id "todo_database", type supervisor, registered under that name,
   workers 1..cfg->workers (0: 3) each under {worker,id},
   with its own copy of *cfg. Its start prepares the folder first. */
struct lc_child_spec todo_pool_child_spec(const struct todo_config *cfg);

/*
 * Chapter 8 (todo_cache.c), stage dynamic_workers. Start the system of
 * chapter 7 with its cache replaced by a dynamic supervisor of to-do
 * servers named "todo_cache" (todo_dynamic_cache_spec()), each server
 * temporary and registered as {server,List} in "todo_registry"; and the
 * hook server_process replaced by todo_dynamic_server_process(). Returns
 * 0 with *sup, or the error of the step that failed.
 */
int todo_dynamic_system_start_link(const struct todo_config *cfg, lc_pid *sup);

/* Chapter 8. The server of 'list': {server,List} looked up in the
   registry, or started by the cache (LC_EALREADY is success: the holder
   is the server). LC_NOPID if it could not be started. */
lc_pid todo_dynamic_server_process(const char *list);

/* Chapter 8. The dynamic cache's child spec: id "todo_cache", type
   supervisor. */
struct lc_child_spec todo_dynamic_cache_spec(const struct todo_config *cfg);
/* endregion */

#endif /* LC_SYSTEMS_TODO_H */
