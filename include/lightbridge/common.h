/* SPDX-License-Identifier: MIT */
/* Shared macros of the public headers. */
#ifndef LIGHTBRIDGE_COMMON_H
#define LIGHTBRIDGE_COMMON_H

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

#endif
