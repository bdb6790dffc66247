/* SPDX-License-Identifier: MIT */
/* Line-mode table text for the link loader and planner tests. */
#ifndef LB_TEST_LINK_FIXTURE_H
#define LB_TEST_LINK_FIXTURE_H

/**
 * A minimal valid one-mode table as JSON text, with key replaced by value (value NULL: key
 * left out; a key the table lacks is added). The buffer is static: use it before the next call.
 */
const char *lb_test_mode_table(const char *key, const char *value);

#endif
