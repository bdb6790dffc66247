/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decode: module memory as it comes off the wire, straight into the decoders.
 *
 * (a) The pure CMIS decoders of hal/cmis/decode.h on byte buffers, no bus: identity, the
 *     application advertisement (and each application's lanes and data-path check), media
 *     lane count, monitors, latched flags, thresholds, lane bits, duration codes.
 * (b) The vendor page decode of the lightbridge-emu module extension
 *     (drivers/module/lightbridge-emu): page B0h and the identity fields it matches on
 *     (OUI, part number, revision, CMIS version) poked into one emulated coherent module,
 *     then lb_module_decode_vendor_page, _list_vendor_pages, _list_line_modes,
 *     _get_line_mode and _select_line_mode through the emulator bus.
 *
 * Input: [flags] then up to 14 areas of 128 bytes, zero-filled when short: lower memory,
 * pages 00h, 01h, 02h, B0h, then page 11h of banks 0-8 (banks beyond the input repeat them).
 * flags bit 0: flat memory (no pages 01h, 02h, 11h); bit 1: keep the coherent module's own
 * identity (poke page B0h only); bits 2-7: an extra offset for lb_cmis_lane_bits.
 */
#include <string.h>
#include "hal/cmis/control_regs.h"
#include "hal/cmis/decode.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AREAS 14
#define MAX_BANKS 32 /* lb_cmis_lane_banks: up to 32 (01h:174 + 1) */

struct areas {
	uint8_t lower[128], p00[128], p01[128], p02[128], pb0[128];
	uint8_t p11[MAX_BANKS][128];
};

static void check_string(const char *s, size_t n)
{
	if (!memchr(s, 0, n))
		abort();
	for (size_t i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort(); /* "printable ASCII (other bytes become '?')" */
}

static void pure(const struct areas *a, bool flat, unsigned extra_off)
{
	const uint8_t *p01 = flat ? NULL : a->p01;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	int rc = lb_cmis_decode_identity(a->lower, a->p00, p01, &id);
	if (rc > 0 || !fuzz_finite(id.max_power_w))
		abort();
	check_string(id.vendor_name, sizeof(id.vendor_name));
	check_string(id.part_number, sizeof(id.part_number));
	check_string(id.revision, sizeof(id.revision));
	check_string(id.serial_number, sizeof(id.serial_number));
	check_string(id.date_code, sizeof(id.date_code));
	check_string(id.clei, sizeof(id.clei));
	(void)lb_sff8024_identifier_name(id.identifier);
	(void)lb_sff8024_connector_name(id.connector);
	(void)lb_cmis_media_type_name(id.media_type);

	unsigned banks = lb_cmis_lane_banks(p01, a->lower[1]);
	unsigned mult = lb_cmis_bias_multiplier(p01);
	if (banks < 1 || banks > MAX_BANKS || (mult != 1 && mult != 2 && mult != 4))
		abort();

	struct lb_app_list apps;
	memset(&apps, 0xA5, sizeof(apps));
	if (lb_cmis_decode_apps(a->lower, p01, &apps) != LB_OK || apps.count > LB_MODULE_MAX_APPS)
		abort();
	for (unsigned i = 0; i < apps.count; i++) {
		const struct lb_app *app = &apps.app[i];
		if (!app->host_name || !app->media_name)
			abort();
		(void)strlen(app->host_name);
		(void)strlen(app->media_name);
		unsigned lanes = banks * 8u > LB_MODULE_MAX_LANES ? LB_MODULE_MAX_LANES : banks * 8u;
		uint32_t all = lb_cmis_app_lanes(app, lanes);
		if (lanes < 32 && (all >> lanes))
			abort(); /* a lane the module does not have */
		uint32_t media = 0;
		int reject = 0;
		(void)lb_cmis_dp_check(app, all, lanes, &media, &reject);
		(void)lb_cmis_dp_check(app, a->pb0[i % 128] | (uint32_t)a->pb0[(i + 1) % 128] << 8,
				       lanes, &media, &reject);
	}
	unsigned media_lanes = lb_cmis_media_lane_count(&apps, banks);
	if (media_lanes > LB_MODULE_MAX_LANES)
		abort();

	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	lb_cmis_decode_monitors(a->lower, p01, flat ? NULL : a->p11, banks, media_lanes, &mon);
	if (mon.lanes > LB_MODULE_MAX_LANES || !fuzz_nan_or_finite(mon.temperature_c) ||
	    !fuzz_nan_or_finite(mon.vcc_v))
		abort();
	for (unsigned l = 0; l < mon.lanes; l++)
		if (!fuzz_nan_or_finite(mon.tx_bias_ma[l]) || !fuzz_nan_or_finite(mon.tx_power_mw[l]) ||
		    !fuzz_nan_or_finite(mon.rx_power_mw[l]))
			abort();
	(void)lb_mw_to_dbm(mon.lanes ? mon.rx_power_mw[0] : mon.vcc_v);

	struct lb_sideband_event ev;
	memset(&ev, 0, sizeof(ev));
	lb_cmis_decode_flags(a->lower, flat ? NULL : a->p11, banks, &ev);
	if (ev.lanes > LB_MODULE_MAX_LANES)
		abort();
	(void)lb_cmis_lane_bits(a->p11, banks, 134u + extra_off % 122u);

	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;
	lb_cmis_decode_thresholds(a->p02, mult, &t);
	const struct lb_threshold *all[] = { &t.temperature_c, &t.vcc_v, &t.tx_power_mw,
					     &t.tx_bias_ma, &t.rx_power_mw };
	for (unsigned i = 0; i < 5; i++)
		if (!fuzz_finite(all[i]->high_alarm) || !fuzz_finite(all[i]->low_alarm) ||
		    !fuzz_finite(all[i]->high_warn) || !fuzz_finite(all[i]->low_warn))
			abort();

	for (unsigned i = 0; i < 4; i++) {
		uint8_t code = p01 ? p01[144 - 128 + i] : a->lower[i];
		(void)lb_cmis_duration_code_ms(code & 0xF);
		(void)lb_cmis_duration_code_ms(code >> 4);
	}
	(void)lb_cmis_page_sum(a->p00, 128, 222);
	(void)lb_cmis_page_sum(a->p01, 128 + extra_off, 255);
	char lanes_text[64];
	lb_cmis_format_lanes(mon.tx_los | ev.rx_los, lanes_text, sizeof(lanes_text));
	if (!memchr(lanes_text, 0, sizeof(lanes_text)))
		abort();
	lb_cmis_format_lanes(ev.tx_fault, lanes_text, 5);
}

/* (b): one emulated coherent module for the whole run; every input sets what it reads. */
static struct {
	struct lb_emu_world *w;
	struct lb_emu_module *em;
	struct fuzz_rig r;
} vendor;

static void vendor_page(const struct areas *a, bool own_identity)
{
	if (!vendor.w) {
		char err[256];
		if (lb_emu_world_create(&vendor.w) ||
		    lb_emu_module_create(vendor.w, LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json",
					 &vendor.em, err, sizeof(err)))
			abort();
		fuzz_rig_up(&vendor.r, vendor.w, vendor.em);
	}
	static uint8_t made_lower[128], made_p00[128];
	static bool have_made;
	if (!have_made) {
		if (lb_emu_module_peek(vendor.em, 0, 0, 0, made_lower, 128) ||
		    lb_emu_module_peek(vendor.em, 0, 0, 128, made_p00, 128))
			abort();
		have_made = true;
	}
	/* The identity the extension matches on: byte 1 (CMIS version), 00h:145-165. */
	uint8_t b1 = own_identity ? made_lower[1] : a->lower[1];
	const uint8_t *ident = own_identity ? made_p00 + (145 - 128) : a->p00 + (145 - 128);
	(void)lb_emu_module_poke(vendor.em, 0, 0, 1, &b1, 1);
	(void)lb_emu_module_poke(vendor.em, 0, 0, 145, ident, 165 - 145 + 1);
	(void)lb_emu_module_poke(vendor.em, 0, 0xB0, 128, a->pb0, 128);
	struct lb_module *m = vendor.r.m;
	lb_module_invalidate(m);

	uint8_t pages[8];
	size_t n = 0;
	int rc = lb_module_list_vendor_pages(m, pages, sizeof(pages), &n);
	if (rc > 0 || (rc == LB_OK && n > 80))
		abort();
	for (size_t i = 0; rc == LB_OK && i < n && i < sizeof(pages); i++)
		if (pages[i] < 0xB0)
			abort();
	struct lb_module_field f[8];
	memset(f, 0xA5, sizeof(f));
	for (size_t max = 0; max <= 8; max += 3) {
		n = 0;
		rc = lb_module_decode_vendor_page(m, 0, 0xB0, f, max, &n);
		if (rc > 0)
			abort();
		for (size_t i = 0; rc == LB_OK && i < n && i < max; i++)
			if (!fuzz_nan_or_finite(f[i].value) || !memchr(f[i].name, 0, sizeof(f[i].name)) ||
			    !memchr(f[i].text, 0, sizeof(f[i].text)) || f[i].page != 0xB0)
				abort();
	}
	(void)lb_module_decode_vendor_page(m, 1, 0xB0, f, 8, &n);
	(void)lb_module_decode_vendor_page(m, 0, 0xB1, f, 8, &n);
	struct lb_line_mode modes[4] = { LB_LINE_MODE_INIT, LB_LINE_MODE_INIT, LB_LINE_MODE_INIT,
					 LB_LINE_MODE_INIT };
	for (size_t max = 0; max <= 4; max += 2) {
		rc = lb_module_list_line_modes(m, modes, max, &n);
		if (rc > 0)
			abort();
		for (size_t i = 0; rc == LB_OK && i < n && i < max; i++)
			if (!memchr(modes[i].id, 0, sizeof(modes[i].id)) ||
			    !memchr(modes[i].name, 0, sizeof(modes[i].name)))
				abort();
	}
	char mode[LB_LINK_ID_LEN];
	for (size_t len = 1; len <= sizeof(mode); len += sizeof(mode) - 1) {
		memset(mode, 'x', sizeof(mode));
		rc = lb_module_get_line_mode(m, a->pb0[0] & 1 ? 0xFF : 0, mode, len);
		if (rc > 0 || (rc == LB_OK && !memchr(mode, 0, len)))
			abort();
	}
	static const char *const ids[] = { "", "800g-pcs-131e", "600g-pcs-118", "nope" };
	rc = lb_module_select_line_mode(m, a->pb0[1] & 3 ? 0 : 0x0F, ids[a->pb0[2] & 3]);
	if (rc > 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct areas a;
	memset(&a, 0, sizeof(a));
	uint8_t flags = size ? data[0] : 0;
	const uint8_t *p = size ? data + 1 : data;
	size_t left = size ? size - 1 : 0;
	uint8_t *dst[AREAS] = { a.lower, a.p00, a.p01, a.p02, a.pb0 };
	for (unsigned i = 5; i < AREAS; i++)
		dst[i] = a.p11[i - 5];
	for (unsigned i = 0; i < AREAS && left; i++) {
		size_t n = left < 128 ? left : 128;
		memcpy(dst[i], p, n);
		p += n;
		left -= n;
	}
	for (unsigned b = AREAS - 5; b < MAX_BANKS; b++)
		memcpy(a.p11[b], a.p11[b % (AREAS - 5)], 128);
	pure(&a, flags & 1, flags >> 2);
	vendor_page(&a, flags & 2);
	return 0;
}
