/*
 * check_todo.c - unit tests of the to-do system's plain parts: the list,
 * dates, file names, the file format and its checks, the atomic write
 * (systems/todo/list.c and file.c). No processes: these are functions of
 * bytes and of the disk, tested as such. The processes are tested by the
 * graded tests of chapters 5 and 6, which run them on the layers.
 *
 * Each test that touches the disk makes its own folder under $TMPDIR (or
 * /tmp) and removes it.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "lc/systems/todo.h"

static char dir[256];

static void make_dir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/lc-todo-test.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int count_files(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(dir);
}

static const struct todo_date D1 = { 2026, 12, 19 };
static const struct todo_date D2 = { 2026, 12, 20 };

/* --- The list ------------------------------------------------------------ */

START_TEST(list_add_update_delete_entries)
{
    struct todo_list *l = todo_list_new();
    uint32_t a, b, c;
    ck_assert_int_eq(todo_list_add(l, D1, "Dentist", &a), 0);
    ck_assert_int_eq(todo_list_add(l, D2, "Shopping", &b), 0);
    ck_assert_int_eq(todo_list_add(l, D1, "Movies", &c), 0);
    ck_assert_uint_eq(a, 1);
    ck_assert_uint_eq(c, 3);
    struct todo_entry e[4];
    ck_assert_uint_eq(todo_list_entries(l, D1, e, 4), 2);
    ck_assert_str_eq(e[0].title, "Dentist");
    ck_assert_str_eq(e[1].title, "Movies");
    ck_assert_int_eq(todo_list_update(l, c, D2, "Theatre"), 0);
    ck_assert_uint_eq(todo_list_entries(l, D2, e, 4), 2);
    ck_assert_str_eq(e[1].title, "Theatre");
    ck_assert_int_eq(todo_list_delete(l, a), 0);
    ck_assert_int_eq(todo_list_delete(l, a), LC_ENOENT);
    ck_assert_int_eq(todo_list_update(l, 99, D1, "x"), LC_ENOENT);
    ck_assert_uint_eq(todo_list_entries(l, D1, e, 4), 0);
    /* ids are never reused */
    uint32_t d;
    ck_assert_int_eq(todo_list_add(l, D1, "Again", &d), 0);
    ck_assert_uint_eq(d, 4);
    todo_list_free(l);
}
END_TEST

START_TEST(list_refuses_bad_input_and_changes_nothing)
{
    struct todo_list *l = todo_list_new();
    char long_title[TODO_TITLE_MAX + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[TODO_TITLE_MAX + 1] = '\0';
    ck_assert_int_eq(todo_list_add(l, D1, long_title, NULL), LC_ERANGE);
    long_title[TODO_TITLE_MAX] = '\0'; /* exactly the limit: fine */
    ck_assert_int_eq(todo_list_add(l, D1, long_title, NULL), 0);
    ck_assert_int_eq(todo_list_add(l, todo_date(2026, 2, 29), "x", NULL),
                     LC_EINVAL);
    ck_assert_int_eq(todo_list_add(l, todo_date(2024, 2, 29), "x", NULL), 0);
    ck_assert_int_eq(todo_list_add(l, D1, NULL, NULL), LC_EINVAL);
    ck_assert_int_eq(todo_list_update(l, 1, todo_date(2026, 13, 1), "y"),
                     LC_EINVAL);
    ck_assert_uint_eq(l->n, 2);
    ck_assert_uint_eq(l->next_id, 3);
    ck_assert_uint_eq(strlen(l->entries[0].title), TODO_TITLE_MAX);
    todo_list_free(l);
}
END_TEST

START_TEST(dates_parse_and_format)
{
    struct todo_date d;
    char buf[16];
    ck_assert_int_eq(todo_date_parse("2026-12-07", &d), 0);
    ck_assert_int_eq(d.year * 10000 + d.month * 100 + d.day, 20261207);
    todo_date_format(buf, sizeof buf, d);
    ck_assert_str_eq(buf, "2026-12-07");
    ck_assert_int_eq(todo_date_parse("2026-12-7", &d), LC_EINVAL);
    ck_assert_int_eq(todo_date_parse("2026-04-31", &d), LC_EINVAL);
    ck_assert_int_eq(todo_date_parse("1900-02-29", &d), LC_EINVAL);
    ck_assert_int_eq(todo_date_parse("2000-02-29", &d), 0);
    ck_assert_int_eq(todo_date_parse("x026-01-01", &d), LC_EINVAL);
}
END_TEST

/* --- Names --------------------------------------------------------------- */

START_TEST(file_names_are_safe_for_any_list_name)
{
    char a[TODO_FILE_NAME_MAX], b[TODO_FILE_NAME_MAX];
    ck_assert_int_eq(todo_file_name("../../etc/passwd", a), 0);
    ck_assert_ptr_null(strchr(a, '/'));
    ck_assert_int_eq(strncmp(a, "______etc_passwd-", 17), 0);
    ck_assert_int_eq(todo_file_name("..", a), 0);
    ck_assert_int_ne(a[0], '.');
    /* names that clean up alike still get different files */
    ck_assert_int_eq(todo_file_name("Bob's list", a), 0);
    ck_assert_int_eq(todo_file_name("Bob_s list", b), 0);
    ck_assert_str_ne(a, b);
    char longest[TODO_NAME_MAX + 1];
    memset(longest, 0xc3, TODO_NAME_MAX);
    longest[TODO_NAME_MAX] = '\0';
    ck_assert_int_eq(todo_file_name(longest, a), 0);
    ck_assert_uint_lt(strlen(a), TODO_FILE_NAME_MAX);
    char too_long[TODO_NAME_MAX + 2];
    memset(too_long, 'a', TODO_NAME_MAX + 1);
    too_long[TODO_NAME_MAX + 1] = '\0';
    ck_assert_int_eq(todo_file_name(too_long, a), LC_ERANGE);
    ck_assert_int_eq(todo_file_name("", a), LC_EINVAL);
}
END_TEST

/* --- The format ---------------------------------------------------------- */

static const char *const tricky = "tab\there, line\nbreak, back\\slash \x01 é";

static struct todo_list *sample(void)
{
    struct todo_list *l = todo_list_new();
    todo_list_add(l, D1, "Dentist", NULL);
    todo_list_add(l, D2, tricky, NULL);
    todo_list_add(l, D1, "", NULL);
    todo_list_delete(l, 1);
    return l;
}

START_TEST(format_round_trip_keeps_everything)
{
    struct todo_list *l = sample();
    char *text;
    size_t len;
    ck_assert_int_eq(todo_file_encode("Bob's\nlist", l, &text, &len), 0);
    ck_assert_uint_eq(strlen(text), len);
    /* one header line and one line per entry: escapes keep them lines */
    int lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += text[i] == '\n';
    }
    ck_assert_int_eq(lines, 3);
    ck_assert_int_eq(strncmp(text, "lc-todo 1 entries=2 next-id=4 crc32=", 36),
                     0);
    struct todo_list *back = NULL;
    struct todo_file_error err;
    ck_assert_int_eq(
            todo_file_decode("f", "Bob's\nlist", text, len, &back, &err), 0);
    ck_assert_uint_eq(back->n, 2);
    ck_assert_uint_eq(back->next_id, 4);
    ck_assert_uint_eq(back->entries[0].id, 2);
    ck_assert_str_eq(back->entries[0].title, tricky);
    ck_assert_uint_eq(back->entries[1].id, 3);
    ck_assert_str_eq(back->entries[1].title, "");
    ck_assert_int_eq(back->entries[1].date.day, 19);
    free(text);
    todo_list_free(back);
    todo_list_free(l);
}
END_TEST

/* Decode 'text' as the file of "Bob" and return the problem's name. */
static const char *problem_of(const char *text, char *detail, size_t n)
{
    struct todo_list *l = NULL;
    struct todo_file_error err;
    int rc =
            todo_file_decode("Bob-x.todo", "Bob", text, strlen(text), &l, &err);
    if (rc == 0) {
        todo_list_free(l);
        return "none";
    }
    ck_assert_int_eq(rc, LC_EINVAL);
    ck_assert_str_eq(err.file, "Bob-x.todo");
    snprintf(detail, n, "%s", err.detail);
    return lc_atom_name(err.problem);
}

START_TEST(damaged_files_are_reported_not_read)
{
    struct todo_list *l = sample();
    char *text, detail[200];
    size_t len;
    todo_file_encode("Bob", l, &text, &len);
    ck_assert_str_eq(problem_of(text, detail, sizeof detail), "none");

    char *bad = strdup(text);
    bad[len - 3] ^= 0x20; /* one bit of a title */
    ck_assert_str_eq(problem_of(bad, detail, sizeof detail), "bad_checksum");
    ck_assert_ptr_nonnull(strstr(detail, "crc32"));
    strcpy(bad, text);
    bad[len - 1] = '\0'; /* the last newline lost: a half-written file */
    ck_assert_str_eq(problem_of(bad, detail, sizeof detail), "truncated");
    strcpy(bad, text);
    *strchr(bad, '\n') = '\0'; /* the header alone, cut */
    ck_assert_str_eq(problem_of(bad, detail, sizeof detail), "truncated");
    ck_assert_str_eq(problem_of("hello\n", detail, sizeof detail),
                     "bad_header");
    ck_assert_str_eq(problem_of("", detail, sizeof detail), "bad_header");
    strcpy(bad, text);
    bad[8] = '2'; /* version 2 */
    ck_assert_str_eq(problem_of(bad, detail, sizeof detail), "bad_version");
    strcpy(bad, text);
    bad[18] = '5'; /* entries=5 */
    ck_assert_str_eq(problem_of(bad, detail, sizeof detail), "bad_count");
    free(text);
    todo_file_encode("Alice", l, &text, &len);
    ck_assert_str_eq(problem_of(text, detail, sizeof detail), "wrong_list");
    ck_assert_ptr_nonnull(strstr(detail, "Alice"));
    free(text);
    /* bad lines under a header that matches them */
    const char *bodies[] = { "1 2026-13-01 x\n", "1 2026-12-01 \\q\n",
                             "2 2026-12-01 a\n1 2026-12-01 b\n",
                             "9 2026-12-01 x\n", "1 2026-12-01\n" };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char file[200];
        size_t lines = 0;
        for (const char *c = bodies[i]; *c; c++) {
            lines += *c == '\n';
        }
        snprintf(file, sizeof file,
                 "lc-todo 1 entries=%zu next-id=3 crc32=%08lx list=Bob\n%s",
                 lines,
                 crc32(0L, (const Bytef *)bodies[i], (uInt)strlen(bodies[i])),
                 bodies[i]);
        ck_assert_str_eq(problem_of(file, detail, sizeof detail), "bad_entry");
        ck_assert_ptr_nonnull(strstr(detail, "line "));
    }
    free(bad);
    todo_list_free(l);
}
END_TEST

/* --- The disk ------------------------------------------------------------ */

START_TEST(write_is_atomic_and_read_gives_it_back)
{
    make_dir();
    char *text, *got;
    size_t len, glen;
    struct todo_file_error err;
    ck_assert_int_eq(todo_file_read(dir, "Bob.todo", &got, &glen, &err),
                     LC_ENOENT);
    struct todo_list *l = sample();
    todo_file_encode("Bob", l, &text, &len);
    ck_assert_int_eq(todo_file_write(dir, "Bob.todo", text, len, &err), 0);
    ck_assert_int_eq(todo_file_write(dir, "Bob.todo", text, len, &err), 0);
    ck_assert_int_eq(count_files(), 1); /* no temporary file left behind */
    /* what a program killed between write and rename leaves: swept */
    char stale[512];
    snprintf(stale, sizeof stale, "%s/.Bob.todo.Ab12Cd", dir);
    FILE *f = fopen(stale, "w");
    ck_assert_ptr_nonnull(f);
    fputs("lc-todo 1 entr", f);
    fclose(f);
    ck_assert_int_eq(count_files(), 2);
    ck_assert_int_eq(todo_file_sweep(dir), 1);
    ck_assert_int_eq(count_files(), 1);
    ck_assert_int_eq(todo_file_read(dir, "Bob.todo", &got, &glen, &err), 0);
    ck_assert_uint_eq(glen, len);
    ck_assert_mem_eq(got, text, len);
    free(got);

    /* A write that fails leaves the old file as it was. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no-such-folder", dir);
    ck_assert_int_eq(todo_file_write(missing, "Bob.todo", "x", 1, &err),
                     LC_EINVAL);
    ck_assert_str_eq(lc_atom_name(err.problem), "io_error");
    ck_assert_str_eq(err.file, "Bob.todo");
    ck_assert_ptr_nonnull(strstr(err.detail, "create"));
    ck_assert_int_eq(todo_file_read(dir, "Bob.todo", &got, &glen, &err), 0);
    ck_assert_mem_eq(got, text, len);
    free(got);
    free(text);
    todo_list_free(l);
    remove_dir();
}
END_TEST

START_TEST(reason_names_the_file_and_the_problem)
{
    struct todo_file_error err = { .file = "Bob-1.todo" };
    err.problem = lc_atom_intern("bad_checksum");
    struct lc_reason r = todo_file_reason(&err);
    char buf[128];
    lc_reason_format(buf, sizeof buf, &r);
    ck_assert_ptr_nonnull(strstr(buf, "bad_checksum"));
    ck_assert_ptr_nonnull(strstr(buf, "Bob-1.todo"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("systems");
    TCase *tc = tcase_create("todo");
    tcase_add_test(tc, list_add_update_delete_entries);
    tcase_add_test(tc, list_refuses_bad_input_and_changes_nothing);
    tcase_add_test(tc, dates_parse_and_format);
    tcase_add_test(tc, file_names_are_safe_for_any_list_name);
    tcase_add_test(tc, format_round_trip_keeps_everything);
    tcase_add_test(tc, damaged_files_are_reported_not_read);
    tcase_add_test(tc, write_is_atomic_and_read_gives_it_back);
    tcase_add_test(tc, reason_names_the_file_and_the_problem);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
