/*
 * check_term.c - atoms, small values and exit reasons (kernel/term.c).
 *
 * These need no runtime: atoms are global to the program and reasons are
 * plain values. What matters most is how reasons print, because every
 * chapter's tests and figures compare those strings with OTP's.
 */
#include "ktest.h"

#include <stdio.h>
#include <string.h>

/* --- Atoms -------------------------------------------------------------- */

START_TEST(atoms_are_interned)
{
    lc_atom a = lc_atom_intern("db_down");
    ck_assert_uint_ge(a, LC_A__PREDEFINED);
    ck_assert_uint_eq(lc_atom_intern("db_down"), a);
    ck_assert_uint_ne(lc_atom_intern("db_up"), a);
    ck_assert_str_eq(lc_atom_name(a), "db_down");
    /* A fresh copy of the name finds the same atom. */
    char name[16];
    strcpy(name, "db_down");
    ck_assert_uint_eq(lc_atom_intern(name), a);
}
END_TEST

START_TEST(predefined_atoms_keep_their_numbers)
{
    ck_assert_uint_eq(lc_atom_intern("normal"), LC_A_NORMAL);
    ck_assert_uint_eq(lc_atom_intern("killed"), LC_A_KILLED);
    ck_assert_uint_eq(lc_atom_intern("stack_overflow"), LC_A_STACK_OVERFLOW);
    ck_assert_uint_eq(lc_atom_intern("infinity"), LC_A_INFINITY);
    ck_assert_str_eq(lc_atom_name(LC_A_SHUTDOWN), "shutdown");
    ck_assert_str_eq(lc_atom_name(LC_A_BADARITH), "badarith");
    ck_assert_str_eq(lc_atom_name(LC_A_NONE), "");
}
END_TEST

START_TEST(bad_atom_names)
{
    char longest[64], too_long[65];
    memset(longest, 'x', 63);
    longest[63] = '\0';
    memset(too_long, 'y', 64);
    too_long[64] = '\0';
    ck_assert_uint_eq(lc_atom_intern(NULL), LC_A_NONE);
    ck_assert_uint_eq(lc_atom_intern(""), LC_A_NONE);
    ck_assert_uint_eq(lc_atom_intern(too_long), LC_A_NONE);
    lc_atom a = lc_atom_intern(longest);
    ck_assert_uint_ne(a, LC_A_NONE);
    ck_assert_str_eq(lc_atom_name(a), longest);
    ck_assert_str_eq(lc_atom_name(0x7fffffff), "?");
}
END_TEST

/* Thousands of atoms: the table grows many times and never confuses two. */
START_TEST(many_atoms)
{
    enum {
        N = 20000
    };
    static lc_atom got[N];
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "atom_%d", i);
        got[i] = lc_atom_intern(name);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "atom_%d", i);
        ck_assert_uint_eq(lc_atom_intern(name), got[i]);
        ck_assert_str_eq(lc_atom_name(got[i]), name);
        if (i > 0) {
            ck_assert_uint_eq(got[i], got[i - 1] + 1); /* first come, first */
        }
    }
}
END_TEST

/* Atoms outlive a runtime: a layer may keep one in a static variable. */
START_TEST(atoms_outlive_runtimes)
{
    lc_atom a = lc_atom_intern("kept_across");
    kt_init(NULL);
    lc_fini();
    kt_init(NULL);
    ck_assert_uint_eq(lc_atom_intern("kept_across"), a);
    ck_assert_str_eq(lc_atom_name(a), "kept_across");
}
END_TEST

/* --- Terms -------------------------------------------------------------- */

START_TEST(term_equality)
{
    ck_assert(lc_term_eq(lc_none(), lc_none()));
    ck_assert(lc_term_eq(lc_int(-7), lc_int(-7)));
    ck_assert(!lc_term_eq(lc_int(7), lc_int(8)));
    ck_assert(lc_term_eq(lc_atom_term(LC_A_OK), lc_atom_term(LC_A_OK)));
    ck_assert(!lc_term_eq(lc_atom_term(LC_A_OK), lc_atom_term(LC_A_TRUE)));
    ck_assert(lc_term_eq(lc_pid_term(42), lc_pid_term(42)));
    ck_assert(lc_term_eq(lc_ref_term(9), lc_ref_term(9)));
    ck_assert(!lc_term_eq(lc_ref_term(9), lc_ref_term(10)));
    /* Same bits, different types: not equal. */
    ck_assert(!lc_term_eq(lc_int(3), lc_pid_term(3)));
    ck_assert(!lc_term_eq(lc_int(3), lc_ref_term(3)));
    ck_assert(!lc_term_eq(lc_int(0), lc_none()));
    ck_assert(!lc_term_eq(lc_atom_term(LC_A_NONE), lc_none()));
}
END_TEST

START_TEST(term_format)
{
    char buf[64];
    lc_term_format(buf, sizeof buf, lc_atom_term(LC_A_BADARG));
    ck_assert_str_eq(buf, "badarg");
    lc_term_format(buf, sizeof buf, lc_int(42));
    ck_assert_str_eq(buf, "42");
    lc_term_format(buf, sizeof buf, lc_int(INT64_MIN));
    ck_assert_str_eq(buf, "-9223372036854775808");
    lc_term_format(buf, sizeof buf, lc_pid_term(((lc_pid)2 << 32) | 5));
    ck_assert_str_eq(buf, "<0.5.2>");
    lc_term_format(buf, sizeof buf, lc_ref_term(42));
    ck_assert_str_eq(buf, "#Ref<42>");
    lc_term_format(buf, sizeof buf, lc_none());
    ck_assert_str_eq(buf, "none");
}
END_TEST

START_TEST(pid_format_is_snprintf)
{
    char buf[8];
    lc_pid pid = ((lc_pid)4294967295u << 32) | 4294967295u;
    int n = lc_pid_format(buf, sizeof buf, pid);
    ck_assert_int_eq(n, (int)strlen("<0.4294967295.4294967295>"));
    ck_assert_str_eq(buf, "<0.4294");
    ck_assert_int_eq(lc_pid_format(NULL, 0, 3), (int)strlen("<0.3.0>"));
    lc_pid_format(buf, sizeof buf, LC_NOPID);
    ck_assert_str_eq(buf, "<0.0.0>");
}
END_TEST

/* --- Reasons ------------------------------------------------------------ */

static const char *fmt(struct lc_reason r)
{
    return kt_str(&r);
}

START_TEST(reason_format_shapes)
{
    lc_atom db_down = lc_atom_intern("db_down");
    lc_atom mine = lc_atom_intern("my_reason");
    ck_assert_str_eq(fmt(lc_reason(LC_A_NORMAL)), "normal");
    ck_assert_str_eq(fmt(lc_reason(LC_A_KILLED)), "killed");
    ck_assert_str_eq(fmt(lc_reason_with(LC_A_SHUTDOWN, lc_atom_term(db_down))),
                     "{shutdown, db_down}");
    ck_assert_str_eq(fmt(lc_reason_with(mine, lc_int(42))), "{my_reason, 42}");

    struct lc_reason err =
            lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_BADARG));
    err.where = "links.c:42";
    ck_assert_str_eq(fmt(err), "{badarg, \"links.c:42\"}");
    err.where = NULL;
    ck_assert_str_eq(fmt(err), "{badarg, \"?\"}");

    struct lc_reason thr = lc_reason_with(LC_A_NOCATCH, lc_int(42));
    thr.where = "f.c:7";
    ck_assert_str_eq(fmt(thr), "{{nocatch, 42}, \"f.c:7\"}");

    struct lc_reason call = lc_reason(LC_A_NOPROC);
    call.via = LC_A_CALL;
    ck_assert_str_eq(fmt(call), "{noproc, {call}}");
    struct lc_reason timeout = lc_reason(LC_A_TIMEOUT);
    timeout.via = LC_A_CALL;
    ck_assert_str_eq(fmt(timeout), "{timeout, {call}}");

    ck_assert_str_eq(fmt(lc_reason(LC_A_STACK_OVERFLOW)), "stack_overflow");
    ck_assert_str_eq(fmt(lc_reason(LC_A_SEGV)), "segv");
}
END_TEST

START_TEST(reason_format_is_snprintf)
{
    struct lc_reason r = lc_reason_with(LC_A_SHUTDOWN, lc_int(123456));
    const char *full = "{shutdown, 123456}";
    char buf[8];
    ck_assert_int_eq(lc_reason_format(NULL, 0, &r), (int)strlen(full));
    ck_assert_int_eq(lc_reason_format(buf, sizeof buf, &r), (int)strlen(full));
    ck_assert_str_eq(buf, "{shutdo");
    r.via = LC_A_CALL;
    const char *via = "{{shutdown, 123456}, {call}}";
    ck_assert_int_eq(lc_reason_format(buf, sizeof buf, &r), (int)strlen(via));
    ck_assert_str_eq(buf, "{{shutd");
}
END_TEST

START_TEST(reason_equality_ignores_where)
{
    struct lc_reason a = lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_BADARG));
    struct lc_reason b = a;
    a.where = "a.c:1";
    b.where = "b.c:2";
    ck_assert(lc_reason_eq(&a, &b));
    b.value = lc_atom_term(LC_A_BADARITH);
    ck_assert(!lc_reason_eq(&a, &b));

    struct lc_reason k = lc_reason(LC_A_KILL), kd = lc_reason(LC_A_KILLED);
    ck_assert(!lc_reason_eq(&k, &kd)); /* kill is not killed */

    struct lc_reason p = lc_reason(LC_A_NOPROC), pc = p;
    pc.via = LC_A_CALL;
    ck_assert(!lc_reason_eq(&p, &pc));

    struct lc_reason s = lc_reason(LC_A_SHUTDOWN);
    struct lc_reason sv = lc_reason_with(LC_A_SHUTDOWN, lc_int(1));
    ck_assert(!lc_reason_eq(&s, &sv));
}
END_TEST

START_TEST(clean_reasons)
{
    struct lc_reason r[] = {
        lc_reason(LC_A_NORMAL),
        lc_reason(LC_A_SHUTDOWN),
        lc_reason_with(LC_A_SHUTDOWN, lc_atom_term(LC_A_OK)),
        lc_reason(LC_A_KILLED),
        lc_reason(LC_A_KILL),
        lc_reason_with(LC_A_NORMAL, lc_int(1)),
        lc_reason(LC_A_NOPROC),
        lc_reason_with(LC_A_ERROR, lc_atom_term(LC_A_BADARG)),
        lc_reason(LC_A_NORMAL),
    };
    r[8].via = LC_A_CALL;
    bool want[] = {
        true, true, true, false, false, false, false, false, false
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_msg(lc_reason_is_clean(&r[i]) == want[i],
                      "lc_reason_is_clean(%s) should be %d", kt_str(&r[i]),
                      want[i]);
    }
}
END_TEST

Suite *term_suite(void)
{
    Suite *s = suite_create("term");
    TCase *tc = kt_tcase("atoms", 10);
    tcase_add_test(tc, atoms_are_interned);
    tcase_add_test(tc, predefined_atoms_keep_their_numbers);
    tcase_add_test(tc, bad_atom_names);
    tcase_add_test(tc, many_atoms);
    tcase_add_test(tc, atoms_outlive_runtimes);
    suite_add_tcase(s, tc);
    tc = kt_tcase("terms", 10);
    tcase_add_test(tc, term_equality);
    tcase_add_test(tc, term_format);
    tcase_add_test(tc, pid_format_is_snprintf);
    suite_add_tcase(s, tc);
    tc = kt_tcase("reasons", 10);
    tcase_add_test(tc, reason_format_shapes);
    tcase_add_test(tc, reason_format_is_snprintf);
    tcase_add_test(tc, reason_equality_ignores_where);
    tcase_add_test(tc, clean_reasons);
    suite_add_tcase(s, tc);
    return s;
}
