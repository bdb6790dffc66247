/* SPDX-License-Identifier: MIT */
/* Shared macros of the public headers, and the size rule of the structs the library fills. */
#ifndef LIGHTBRIDGE_COMMON_H
#define LIGHTBRIDGE_COMMON_H

#include <stddef.h>

#if defined(LB_BUILDING_LIBRARY)
#define LB_API __attribute__((visibility("default")))
#else
#define LB_API
#endif

#ifdef __cplusplus
#define LB_BEGIN_DECLS extern "C" {
#define LB_END_DECLS }
#else
#define LB_BEGIN_DECLS
#define LB_END_DECLS
#endif

/*
 * Sized structs.
 *
 * A struct the library fills for the caller and that will grow in later releases starts with
 * `size_t size`, which the caller sets before the call to the size of the struct as its
 * program was compiled: with the struct's initialiser macro, or by hand.
 *
 *     struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
 *     struct lb_module_monitors *p = calloc(1, sizeof(*p));
 *     p->size = sizeof(*p);
 *
 * The rule, one for every sized struct:
 * - A size below the struct's first published layout (LB_<NAME>_SIZE_V1 next to the struct)
 *   is refused with LB_E_INVAL, and nothing is written. Size 0 (a struct cleared with
 *   = { 0 } or memset and never set up) is refused so; an uninitialised size is not reliably
 *   caught, so always set it.
 * - Otherwise the library fills the first min(size, its own sizeof) bytes and writes nothing
 *   past them: a program built with an older, smaller layout gets exactly its prefix, a
 *   program built with a newer, larger one keeps whatever its newer members held (zeros after
 *   the initialiser macro).
 * - On return size holds the number of bytes filled. A program built with a newer header than
 *   the library it runs with trusts a member only when it ends within them:
 *   LB_SIZE_THROUGH(type, member) <= out.size.
 * - Every status after the size check fills that prefix (with zeros where nothing was read),
 *   unless the call's own comment says otherwise.
 * - Members are only ever appended: never reordered, resized or removed.
 *
 * The same rule runs the other way for a sized struct the caller fills for the library (struct
 * lb_dp_config; struct lb_op): the library reads the first min(size, its own sizeof) bytes and
 * nothing past them, takes every member past them as zero, and refuses a size below the first
 * layout with LB_E_INVAL. So every member appended to such a struct reads zero for a program
 * built before it, and zero means "not set" (or "as before the member existed").
 *
 * Structs without a size say at their definition why they are fixed (a value embedded in
 * other structs, an array element, a table whose bound the specification fixes).
 */

/** Bytes from the start of type up to and including member. */
#define LB_SIZE_THROUGH(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/** Initialiser of a sized struct: size set, every other member zero. */
#ifdef __cplusplus
/* C++ before C++20 has no designated initialisers; a partial one warns (-Wextra). */
#define LB_SIZED_INIT(type) ([] { type lb_v_{}; lb_v_.size = sizeof(type); return lb_v_; }())
#else
#define LB_SIZED_INIT(type) { .size = sizeof(type) }
#endif

#endif
