/*
 * 05-supervisors.c - graded tests of chapter 5: supervisors -- child specs,
 * ordered start, one_for_one, restart intensity and the management API
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
