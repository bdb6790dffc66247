/* SPDX-License-Identifier: MIT */
/* Built-in driver table, generated at configure time. */
#ifndef LB_HAL_CORE_REGISTRY_H
#define LB_HAL_CORE_REGISTRY_H

#include <lightbridge/driver.h>

/* NULL-terminated. */
extern const struct lb_driver *const lb_builtin_drivers[];

#endif
