/* SPDX-License-Identifier: MIT */
/*
 * The size rule of sized structs (include/lightbridge/common.h), in one place. A public call
 * that fills a sized struct checks the caller's size first, builds the whole struct of this
 * library's layout in a local, and hands it over with lb_sized_fill():
 *
 *     if (lb_sized_check(out, LB_MODULE_MONITORS_SIZE_V1))
 *             return LB_E_INVAL;
 *     struct lb_module_monitors mon;
 *     int rc = poll(m, &mon);            // mon zeroed first, filled as far as it got
 *     LB_SIZED_FILL(out, mon);
 *     return rc;
 */
#ifndef LB_HAL_ABI_SIZED_H
#define LB_HAL_ABI_SIZED_H

#include <stddef.h>

/**
 * LB_E_INVAL when out is NULL or its leading size_t is below min_size (the struct's first
 * published layout); LB_OK otherwise. Reads the size only.
 */
int lb_sized_check(const void *out, size_t min_size);

/**
 * Copy the first min(out's size, full_size) bytes of full (this library's whole struct,
 * full_size bytes, leading size_t included) to out, write nothing past them, and leave that
 * count in out's size. out must have passed lb_sized_check().
 */
void lb_sized_fill(void *out, const void *full, size_t full_size);

/** lb_sized_fill(out, &full, sizeof(full)) for a struct variable full. */
#define LB_SIZED_FILL(out, full) lb_sized_fill((out), &(full), sizeof(full))

/**
 * The other direction, for a sized struct the caller fills for the library (struct
 * lb_dp_config): LB_E_INVAL when in is NULL or its size is below min_size; otherwise copy its
 * first min(its size, full_size) bytes into full (full_size bytes, this library's layout),
 * zero the rest, so that every member the caller's layout does not have reads 0, and set
 * full's size to full_size. Nothing is read past the caller's size.
 */
int lb_sized_read(void *full, size_t full_size, const void *in, size_t min_size);

/** lb_sized_read(&full, sizeof(full), in, min_size) for a struct variable full. */
#define LB_SIZED_READ(full, in, min_size) lb_sized_read(&(full), sizeof(full), (in), (min_size))

#endif
