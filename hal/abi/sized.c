/* SPDX-License-Identifier: MIT */
/* Sized structs: the caller's size decides how much of the library's struct it gets. */
#include <string.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"

/* The size is the struct's first member: read and written as bytes, whatever the struct. */
static size_t size_of(const void *out)
{
	size_t n;

	memcpy(&n, out, sizeof(n));
	return n;
}

int lb_sized_check(const void *out, size_t min_size)
{
	if (!out || size_of(out) < min_size || size_of(out) < sizeof(size_t))
		return LB_E_INVAL;
	return LB_OK;
}

void lb_sized_fill(void *out, const void *full, size_t full_size)
{
	size_t n = size_of(out);

	if (n > full_size)
		n = full_size;
	memcpy(out, full, n);
	memcpy(out, &n, sizeof(n));
}

int lb_sized_read(void *full, size_t full_size, const void *in, size_t min_size)
{
	if (lb_sized_check(in, min_size))
		return LB_E_INVAL;
	size_t n = size_of(in);

	if (n > full_size)
		n = full_size;
	memset(full, 0, full_size);
	memcpy(full, in, n);
	memcpy(full, &full_size, sizeof(full_size));
	return LB_OK;
}
