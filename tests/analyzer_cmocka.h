/* SPDX-License-Identifier: MIT */
/*
 * Included ahead of every file under tests/ in the -fanalyzer tree (LB_ANALYZER) only, never
 * in a tree that runs the tests. A failed cmocka assertion or fail() does not return (cmocka
 * jumps back to its runner), but cmocka.h does not declare them so, and gcc's analyzer then
 * follows each test on past its own failed assertions: "NULL dereference" of the pointer the
 * line before asserted non-NULL. These are cmocka's macros, each followed by what its
 * failure means for the code after it.
 */
#ifndef LB_TESTS_ANALYZER_CMOCKA_H
#define LB_TESTS_ANALYZER_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#undef fail
#define fail()                                       \
	do {                                         \
		_fail(__FILE__, __LINE__);           \
		__builtin_unreachable();             \
	} while (0)

#undef assert_true
#define assert_true(c)                                                         \
	do {                                                                   \
		const LargestIntegralType lb_an_c_ = cast_to_largest_integral_type(c); \
		_assert_true(lb_an_c_, #c, __FILE__, __LINE__);                \
		if (!lb_an_c_)                                                 \
			__builtin_unreachable();                               \
	} while (0)

#undef assert_false
#define assert_false(c)                                                        \
	do {                                                                   \
		const LargestIntegralType lb_an_c_ = cast_to_largest_integral_type(c); \
		_assert_true(!lb_an_c_, #c, __FILE__, __LINE__);               \
		if (lb_an_c_)                                                  \
			__builtin_unreachable();                               \
	} while (0)

#undef assert_non_null
#define assert_non_null(c)                                                     \
	do {                                                                   \
		const void *const lb_an_p_ = (const void *)(c);                \
		_assert_true(cast_ptr_to_largest_integral_type(lb_an_p_), #c, __FILE__, __LINE__); \
		if (!lb_an_p_)                                                 \
			__builtin_unreachable();                               \
	} while (0)

#undef assert_int_equal
#define assert_int_equal(a, b)                                                 \
	do {                                                                   \
		const LargestIntegralType lb_an_a_ = cast_to_largest_integral_type(a); \
		const LargestIntegralType lb_an_b_ = cast_to_largest_integral_type(b); \
		_assert_int_equal(lb_an_a_, lb_an_b_, __FILE__, __LINE__);     \
		if (lb_an_a_ != lb_an_b_)                                      \
			__builtin_unreachable();                               \
	} while (0)

#endif
