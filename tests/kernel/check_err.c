/*
 * check_err.c - the error codes and their messages (kernel/err.c).
 *
 * One table generates the constants, the messages and the names; these
 * tests check that every code reaches both and that unknown codes are safe
 * to print.
 */
#include "ktest.h"

#include <string.h>

START_TEST(every_code_has_a_name_and_message)
{
    static const struct {
        int code;
        const char *name;
    } all[] = {
#define KT_ERR_ROW(name, value, msg) { LC_##name, "LC_" #name },
        LC_ERR_MAP(KT_ERR_ROW)
#undef KT_ERR_ROW
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        ck_assert_int_lt(all[i].code, 0);
        ck_assert_str_eq(lc_err_name(all[i].code), all[i].name);
        const char *msg = lc_strerror(all[i].code);
        ck_assert_ptr_nonnull(msg);
        ck_assert_str_ne(msg, "unknown error");
        for (size_t j = 0; j < i; j++) {
            ck_assert_int_ne(all[i].code, all[j].code); /* no duplicates */
        }
    }
}
END_TEST

START_TEST(familiar_values_and_messages)
{
    ck_assert_int_eq(LC_ENOMEM, -12);
    ck_assert_int_eq(LC_EINVAL, -22);
    ck_assert_int_eq(LC_ETIMEDOUT, -110);
    ck_assert_str_eq(lc_strerror(LC_ENOPROC), "no such process");
    ck_assert_str_eq(lc_strerror(LC_ETIMEDOUT), "timed out");
    ck_assert_str_eq(lc_err_name(LC_ENOPROC), "LC_ENOPROC");
}
END_TEST

START_TEST(zero_and_unknown_codes)
{
    ck_assert_str_eq(lc_strerror(0), "success");
    ck_assert_str_eq(lc_err_name(0), "0");
    ck_assert_str_eq(lc_strerror(-9999), "unknown error");
    ck_assert_str_eq(lc_err_name(-9999), "LC_E?");
    ck_assert_str_eq(lc_strerror(5), "unknown error");
}
END_TEST

Suite *err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = kt_tcase("codes", 10);
    tcase_add_test(tc, every_code_has_a_name_and_message);
    tcase_add_test(tc, familiar_values_and_messages);
    tcase_add_test(tc, zero_and_unknown_codes);
    suite_add_tcase(s, tc);
    return s;
}
