/*
 * 06-supervision-trees.c - graded tests of chapter 6: supervision trees --
 * one_for_all and rest_for_one, restart types, the shutdown protocol, nested
 * supervisors, terminate_child, restart_child and delete_child
 * (lc/otp/supervisor.h).
 */
#include "harness.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"

/* ==========================================================================
 * ==== The to-do system's stages (tests below this line are written with
 * the to-do system) ====
 * Tests of the supervisor layer itself stay above this block.
 * ========================================================================== */
