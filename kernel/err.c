/*
 * err.c - messages for the error codes of err.h.
 */
#include "lc/kernel/err.h"

const char *lc_strerror(int err)
{
    switch (err) {
#define LC__ERR_MSG(name, value, msg) \
    case LC_##name:                   \
        return msg;
        LC_ERR_MAP(LC__ERR_MSG)
#undef LC__ERR_MSG
        case 0:
            return "success";
        default:
            return "unknown error";
    }
}

const char *lc_err_name(int err)
{
    switch (err) {
#define LC__ERR_NAME(name, value, msg) \
    case LC_##name:                    \
        return "LC_" #name;
        LC_ERR_MAP(LC__ERR_NAME)
#undef LC__ERR_NAME
        case 0:
            return "0";
        default:
            return "LC_E?";
    }
}
