/* SPDX-License-Identifier: MIT */
/*
 * What every module extension of a vendor page does alike, written once for the extensions
 * under drivers/module/ (not installed; an out-of-tree extension may copy it): match a family
 * by OUI, part number and first hardware revision; check a page's layout signature; refuse a
 * lane mask that is not the whole module; list the one vendor page it decodes; fill a decoded
 * field; read big-endian words. Static inline: each extension stays one translation unit,
 * reaching the module only through the public module calls.
 */
#ifndef LB_DRIVERS_MODULE_VENDOR_PAGE_H
#define LB_DRIVERS_MODULE_VENDOR_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include <lightbridge/module.h>

/* One family that carries the page: OUI, part number, first hardware revision with it. */
struct lb_vp_family {
	uint8_t oui[3];
	const char *part_number, *first_revision;
};

/* Whether id is one of the n families, at CMIS 5 or later. */
static inline int lb_vp_family_match(const struct lb_module_ext_match *id,
				     const struct lb_vp_family *families, size_t n)
{
	if (id->cmis_major < 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (memcmp(id->vendor_oui, families[i].oui, 3) == 0 &&
		    strcmp(id->part_number, families[i].part_number) == 0 &&
		    strcmp(id->revision, families[i].first_revision) >= 0)
			return 1;
	return 0;
}

/*
 * Whether the page read into b (from byte 128) starts with the 4-byte signature sig followed
 * by layout version 1; LB_E_NOTSUP with a detail naming the driver and page when not.
 */
static inline int lb_vp_check_signature(const struct lb_driver_env *env, const char *driver,
					uint8_t page, const uint8_t *b, const char sig[4])
{
	if (memcmp(b, sig, 4) != 0 || b[4] != 1)
		return lb_driver_error(env, LB_E_NOTSUP,
				       "%s: page %02Xh does not carry layout %.4s version 1", driver,
				       page, sig);
	return LB_OK;
}

/* A module with one data path on all its lanes: a mask of 0 or 0xff, else LB_E_INVAL. */
static inline int lb_vp_check_all_lanes(const struct lb_driver_env *env, const char *driver,
					uint32_t lane_mask)
{
	if (lane_mask && lane_mask != 0xFFu)
		return lb_driver_error(env, LB_E_INVAL,
				       "%s: a line mode covers every lane (0 or 0xff), not 0x%x", driver,
				       (unsigned)lane_mask);
	return LB_OK;
}

/*
 * list_vendor_pages of an extension that decodes one page: read_rc is its layout read's
 * result (LB_E_NOTSUP: a module of the family without the page, so nothing to list).
 */
static inline int lb_vp_list_one(int read_rc, uint8_t page, uint8_t *pages, size_t max,
				 size_t *count)
{
	if (read_rc == LB_E_NOTSUP) {
		*count = 0;
		return LB_OK;
	}
	if (read_rc)
		return read_rc;
	if (max)
		pages[0] = page;
	*count = 1;
	return LB_OK;
}

/* A decoded field of bank 0's page (counted in *n even past max, as decode_vendor_page says). */
struct lb_vp_field {
	const char *name;
	uint8_t offset, len;
	bool writable;
};

static inline void lb_vp_put(struct lb_module_field *fields, size_t max, size_t *n, uint8_t page,
			     const struct lb_vp_field *d, double value, const char *text)
{
	if (*n < max) {
		struct lb_module_field *f = &fields[*n];
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s", d->name);
		snprintf(f->text, sizeof(f->text), "%s", text ? text : "");
		f->value = value;
		f->page = page;
		f->offset = d->offset;
		f->len = d->len;
		f->writable = d->writable;
	}
	(*n)++;
}

static inline unsigned lb_vp_u16(const uint8_t *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

static inline int16_t lb_vp_s16(const uint8_t *b)
{
	unsigned v = lb_vp_u16(b);
	return (int16_t)(v >= 0x8000u ? (int)v - 0x10000 : (int)v);
}

#endif
