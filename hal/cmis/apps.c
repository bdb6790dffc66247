/* SPDX-License-Identifier: MIT */
/* The application advertisement: AppSel 1-8 in lower memory, 9-15 and media lane options in 01h. */
#include <string.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"

#define P(abs) ((abs) - 128u)

int lb_cmis_decode_apps(const uint8_t lower[128], const uint8_t *p01, struct lb_app_list *out)
{
	memset(out, 0, sizeof(*out));
	out->media_type = lower[LB_CMIS_LOW_MEDIA_TYPE];
	for (unsigned k = 1; k <= LB_MODULE_MAX_APPS; k++) {
		const uint8_t *d;

		if (k <= 8)
			d = &lower[LB_CMIS_LOW_APP_FIRST + 4u * (k - 1u)];
		else if (p01)
			d = &p01[P(LB_CMIS_P01_APP_FIRST) + 4u * (k - 9u)];
		else
			break;
		/* 0xFF ends the list. Media code 0x00 (host-only) and vendor codes are real
		 * applications a host may select, so they are kept. */
		if (d[0] == 0xFFu)
			break;
		struct lb_app *a = &out->app[out->count++];
		a->appsel = (uint8_t)k;
		a->host_id = d[0];
		a->media_id = d[1];
		a->host_lanes = (uint8_t)(d[2] >> 4);
		a->media_lanes = (uint8_t)(d[2] & 0x0fu);
		a->host_lane_options = d[3];
		a->media_lane_options = p01 ? p01[P(LB_CMIS_P01_MEDIA_OPTS) + (k - 1u)] : 0;
		a->host_name = lb_sff8024_host_interface_name(a->host_id);
		a->media_name = lb_sff8024_media_interface_name(out->media_type, a->media_id);
	}
	return LB_OK;
}

unsigned lb_cmis_media_lane_count(const struct lb_app_list *apps, unsigned banks)
{
	unsigned per_bank = 0;

	for (unsigned i = 0; i < apps->count; i++) {
		const struct lb_app *a = &apps->app[i];
		unsigned end = a->media_lanes;

		for (unsigned bit = 0; bit < 8; bit++)
			if (a->media_lane_options & (1u << bit))
				end = bit + a->media_lanes > end ? bit + a->media_lanes : end;
		if (end > per_bank)
			per_bank = end;
	}
	if (per_bank == 0 || per_bank > 8)
		per_bank = 8;
	if (banks == 0)
		banks = 1;
	/* Lane numbers run on across banks, 8 to a bank: the last bank's lanes follow 8 per earlier bank. */
	unsigned lanes = (banks - 1u) * 8u + per_bank;
	return lanes > LB_MODULE_MAX_LANES ? LB_MODULE_MAX_LANES : lanes;
}

/* Applications are static: decoded once per insertion (or by get_identity) and cached. */
static int module_get_apps(struct lb_module *m, struct lb_app_list *out)
{
	const struct lb_module_adv *adv;
	uint8_t lower[128] = { 0 }, p01[128] = { 0 };
	int rc;

	if (!m || !out)
		return LB_E_INVAL;
	lb_module_sync(m);
	if (m->cache.apps_valid) {
		*out = m->cache.apps;
		return LB_OK;
	}
	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier))
		return LB_E_UNKNOWN_ID;
	/* Page 01h's part comes from the advertisement, read whole with its checksum. */
	struct lb_mem_range r = { .offset = LB_CMIS_LOW_MEDIA_TYPE,
				  .len = LB_CMIS_LOW_APP_LAST - LB_CMIS_LOW_MEDIA_TYPE + 1,
				  .buf = &lower[LB_CMIS_LOW_MEDIA_TYPE] };
	if ((rc = lb_module_read_ranges(m, &r, 1)))
		return rc;
	if (!adv->flat)
		memcpy(p01, adv->p01, sizeof(p01));
	lb_cmis_decode_apps(lower, adv->flat ? NULL : p01, &m->cache.apps);
	m->cache.media_lanes = 0;
	m->cache.apps_valid = true;
	*out = m->cache.apps;
	return LB_OK;
}

LB_API int lb_module_get_apps(struct lb_module *m, struct lb_app_list *out)
{
	return LB_MODULE_CALL(m, module_get_apps(m, out));
}

int lb_cmis_media_lanes(struct lb_module *m, unsigned banks, unsigned *lanes)
{
	lb_module_sync(m);
	if (!m->cache.apps_valid || !m->cache.media_lanes) {
		struct lb_app_list apps;
		int rc = lb_module_get_apps(m, &apps);
		if (rc)
			return rc;
		m->cache.media_lanes = lb_cmis_media_lane_count(&apps, banks);
	}
	*lanes = m->cache.media_lanes;
	return LB_OK;
}
