/* SPDX-License-Identifier: MIT */
/*
 * Line modes on modules (lb_module_list/select/get_line_mode), the PCS vendor page (the
 * pcs-vendor-page extension and the emulator's page B8h, profile coherent-800g-pcs-qsfpdd),
 * the tuning wait bounded by the stated tuning time, and power per bit.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"

#define PCS "coherent-800g-pcs-qsfpdd"
#define COHERENT "coherent-800g-qsfpdd"
#define FR4 "400g-fr4-qsfpdd"
#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

static uint8_t peek(struct lb_test_rig *r, uint8_t page, uint8_t off)
{
	uint8_t v = 0xEE;
	assert_int_equal(lb_emu_module_peek(r->emu, 0, page, off, &v, 1), LB_OK);
	return v;
}

/* The mode in force on lane 1, the application's included (power per bit names it). */
static const char *in_force(struct lb_test_rig *r)
{
	static struct lb_power_per_bit p;
	p = (struct lb_power_per_bit)LB_POWER_PER_BIT_INIT;
	assert_int_equal(lb_module_get_power_per_bit(r->m, &p), LB_OK);
	return p.line_mode;
}

static size_t list(struct lb_test_rig *r, struct lb_line_mode *modes, size_t max)
{
	size_t n = 0;
	modes[0] = (struct lb_line_mode)LB_LINE_MODE_INIT;
	assert_int_equal(lb_module_list_line_modes(r->m, modes, max, &n), LB_OK);
	return n;
}

/* The PCS module lists its six applications' modes, then the page's three vendor modes. */
static void test_pcs_module_lists_modes(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	assert_string_equal(lb_module_extension_name(r.m), "pcs-vendor-page");
	struct lb_line_mode modes[16];
	size_t n = list(&r, modes, 16);
	assert_int_equal(n, 9);
	static const char *const ids[] = { "800zr", "400zr", "zr+400g-16qam", "zr+300g", "zr+200g",
					   "zr+100g", "800g-pcs-131e", "800g-pcs-131m", "600g-pcs-118" };
	/* the ids name the modes of link/modes.json, whose figures the listing repeats */
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/link/modes.json", LB_SOURCE_DIR);
	struct lb_line_modes table;
	assert_int_equal(lb_line_modes_load(path, &table, err, sizeof(err)), LB_OK);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(modes[i].id, ids[i]);
		assert_int_equal(modes[i].size, sizeof(modes[i]));
		assert_true(modes[i].energy_pj_per_bit > 0.0);
		const struct lb_line_mode *t = lb_line_modes_find(&table, modes[i].id);
		assert_non_null(t);
		assert_int_equal(t->format, modes[i].format);
		assert_true(NEAR(t->baud_gbd, modes[i].baud_gbd, 1e-9));
		assert_true(NEAR(t->net_rate_gbps, modes[i].net_rate_gbps, 1e-9) ||
			    t->net_rate_gbps == 0.0);
		assert_true(NEAR(t->reach_km, modes[i].reach_km, 1e-9));
		assert_string_equal(t->fec, modes[i].fec);
	}
	lb_line_modes_free(&table);
	/* an application's mode: its AppSel, codes, the advertised maximum power (28 W) */
	assert_int_equal(modes[0].appsel, 1);
	assert_int_equal(modes[0].media_id, 0x6C);
	assert_int_equal(modes[0].vendor_code, 0);
	assert_true(NEAR(modes[0].module_power_w, 28.0, 1e-9));
	assert_true(NEAR(modes[0].energy_pj_per_bit, 35.0, 1e-9));
	assert_int_equal(modes[0].format, LB_LINK_FORMAT_DP_16QAM);
	assert_true(NEAR(modes[3].net_rate_gbps, 300.0, 1e-9));
	assert_int_equal(modes[3].format, LB_LINK_FORMAT_DP_8QAM);
	/* a vendor mode: as the page describes it */
	const struct lb_line_mode *e = &modes[6];
	assert_int_equal(e->vendor_code, 1);
	assert_int_equal(e->format, LB_LINK_FORMAT_PCS);
	assert_true(NEAR(e->entropy_bits, 3.6, 1e-9));
	assert_true(NEAR(e->baud_gbd, 131.3, 1e-9));
	assert_true(NEAR(e->net_rate_gbps, 800.0, 1e-9));
	assert_true(NEAR(e->reach_km, 1120.0, 1e-9));
	assert_true(NEAR(e->slot_ghz, 162.5, 1e-9));
	assert_true(NEAR(e->module_power_w, 26.0, 1e-9));
	assert_true(NEAR(e->energy_pj_per_bit, 32.5, 1e-9));
	assert_int_equal(e->appsel, 1);
	assert_false(e->explicit_control);
	assert_true(NEAR(modes[7].reach_km, 0.0, 0.0)); /* not stated */
	assert_true(modes[7].explicit_control);

	/* fewer than there are: count all, fill max; a smaller element layout gets its prefix */
	struct lb_line_mode two[2];
	two[0] = (struct lb_line_mode)LB_LINE_MODE_INIT;
	assert_int_equal(lb_module_list_line_modes(r.m, two, 2, &n), LB_OK);
	assert_int_equal(n, 9);
	assert_string_equal(two[1].id, "400zr");
	unsigned char raw[3 * LB_LINE_MODE_SIZE_V1 + 64];
	memset(raw, 0xA5, sizeof(raw));
	struct lb_line_mode *first = (struct lb_line_mode *)(void *)raw;
	first->size = sizeof(struct lb_line_mode);
	assert_int_equal(lb_module_list_line_modes(r.m, first, 3, &n), LB_OK);
	assert_int_equal(raw[3 * sizeof(struct lb_line_mode)], 0xA5); /* nothing past 3 elements */
	/* bad input */
	two[0].size = LB_LINE_MODE_SIZE_V1 - 1;
	assert_int_equal(lb_module_list_line_modes(r.m, two, 2, &n), LB_E_INVAL);
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 2, &n), LB_E_INVAL);
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_module_list_line_modes(NULL, NULL, 0, &n), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/* A sleep of the library: note whether the module is claimed (by this handle) meanwhile. */
static void claim_seen(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	char why[LB_MODULE_CLAIM_REASON_MAX];
	if (lb_module_claimed(r->m, why, sizeof(why)) == LB_CLAIM_OWN &&
	    strstr(why, "line mode change to 800g-pcs-131e"))
		r->poke_state = 1;
}

/*
 * Selecting a vendor mode runs the data-path sequence: the data path down, the request, the
 * module's confirmation after its mode-change time (2 s), the application brought up.
 */
static void test_select_pcs_mode(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	char id[LB_LINK_ID_LEN];
	/* no vendor mode: "" from the getter, the application's mode in force */
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_string_equal(in_force(&r), "800zr");
	uint64_t t0 = lb_bus_now_ns(r.bus);
	r.hook = claim_seen;
	r.poke_state = 0;
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131e"), LB_OK);
	r.hook = NULL;
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_int_equal(r.poke_state, 1);   /* claimed while the data path was down */
	assert_int_equal(lb_module_claimed(r.m, NULL, 0), LB_CLAIM_NONE); /* and released */
	assert_true(took >= 2000000000ull);          /* the mode change itself */
	assert_int_equal(peek(&r, 0xB8, 140), 1);     /* in force */
	assert_int_equal(peek(&r, 0xB8, 141), 0);     /* idle */
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "800g-pcs-131e");
	/* again: nothing to do, no data path taken down */
	t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_module_select_line_mode(r.m, 0xFF, "800g-pcs-131e"), LB_OK);
	assert_true(lb_bus_now_ns(r.bus) - t0 < 1000000000ull);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	/* a claim of this handle covers the change; it stays held after */
	assert_int_equal(lb_module_request(r.m, "maintenance"), LB_OK);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131m"), LB_OK);
	assert_int_equal(lb_module_claimed(r.m, NULL, 0), LB_CLAIM_OWN);
	assert_int_equal(lb_module_release(r.m), LB_OK);
	/* 800g-pcs-131m needs ExplicitControl (its descriptor says so): staged with it, once */
	assert_int_equal(peek(&r, 0x11, 206) & 1, 1);
	t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131m"), LB_OK);
	assert_true(lb_bus_now_ns(r.bus) - t0 < 1000000000ull); /* in force: not brought up again */
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	/* another vendor mode, then a standard one: the vendor mode is cleared on the way */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "600g-pcs-118"), LB_OK);
	assert_int_equal(peek(&r, 0xB8, 140), 3);
	assert_int_equal(peek(&r, 0x11, 206) & 1, 0); /* no ExplicitControl for this one */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800zr"), LB_OK);
	assert_int_equal(peek(&r, 0xB8, 140), 0);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_string_equal(in_force(&r), "800zr");
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	/* a standard mode on another application: 400ZR (AppSel 2) */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "400zr"), LB_OK);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_string_equal(in_force(&r), "400zr");
	lb_test_rig_down(&r);
}

/*
 * A change an earlier call left running (cut short after its request) is waited out before the
 * sequence decides: else it would put its mode in force after this call looked. Found by the
 * fault campaign (seed 17, episode 12).
 */
static void test_select_after_a_change_left_running(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	uint8_t code = 1; /* requested behind the library's back, data paths deactivated */
	assert_int_equal(lb_module_write(r.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(peek(&r, 0xB8, 141), 1); /* changing */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "400zr"), LB_OK);
	lb_bus_sleep_ns(r.bus, 3000000000ull); /* longer than any change */
	assert_int_equal(peek(&r, 0xB8, 140), 0);
	char id[LB_LINK_ID_LEN];
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_string_equal(in_force(&r), "400zr");
	/* and the getter waits a change out too, then names the mode it put in force */
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_DEACTIVATED, 5000), LB_OK);
	code = 3;
	assert_int_equal(lb_module_write(r.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "600g-pcs-118");
	lb_test_rig_down(&r);
}

/* A mode the module does not offer, lanes the mode cannot take: refused, nothing written. */
static void test_select_bad_input(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "1600g-magic"), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "800g-pcs-131e"));
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "700g-pcs-118-h3.5"), LB_E_NOTFOUND);
	/* half the lanes of an 8-lane data path */
	assert_int_equal(lb_module_select_line_mode(r.m, 0x0F, "800g-pcs-131e"), LB_E_INVAL);
	assert_int_equal(lb_module_select_line_mode(r.m, 0x0F, "800zr"), LB_E_INVAL);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_module_select_line_mode(NULL, 0, "800zr"), LB_E_INVAL);
	assert_int_equal(peek(&r, 0xB8, 144), 0);
	assert_int_equal(peek(&r, 0xB8, 140), 0);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	char id[4];
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, 0), LB_E_INVAL);
	assert_int_equal(lb_module_get_line_mode(NULL, 0, id, sizeof(id)), LB_E_INVAL);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131e"), LB_OK);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "800"); /* cut to len */
	lb_test_rig_down(&r);
}

/* PCS on a module without the extension: LB_E_NOTSUP, whatever it advertises. */
static void test_pcs_without_extension(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 1000, false);
	assert_string_equal(lb_module_extension_name(r.m), "");
	struct lb_line_mode modes[4];
	assert_int_equal(list(&r, modes, 4), 0); /* no coherent application */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131e"), LB_E_NOTSUP);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "extension"));
	char id[LB_LINK_ID_LEN] = "x";
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	lb_test_rig_down(&r);

	/* a coherent module whose extension is not matched (another part number) */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	static const char pn[16] = "LBE-800ZRX-QDD  ";
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x00, 148, (const uint8_t *)pn, 16), LB_OK);
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "");
	assert_int_equal(list(&r, modes, 4), 6);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131e"), LB_E_NOTSUP);
	assert_int_equal(peek(&r, 0xB8, 144), 0);
	lb_test_rig_down(&r);
}

/* The emulator's page: a request with a data path up, or of an unknown code, is rejected. */
static void test_emulated_pcs_page_rejects(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	uint8_t code = 1, st;
	assert_int_equal(lb_module_write(r.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0xB8, 141, &st, 1), LB_OK);
	assert_int_equal(st, 2);
	assert_int_equal(peek(&r, 0xB8, 140), 0);
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_DEACTIVATED, 5000), LB_OK);
	code = 9;
	assert_int_equal(lb_module_write(r.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0xB8, 141, &st, 1), LB_OK);
	assert_int_equal(st, 3);
	code = 3;
	assert_int_equal(lb_module_write(r.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0xB8, 141, &st, 1), LB_OK);
	assert_int_equal(st, 1); /* changing */
	/* the measured power follows the mode in force once it is */
	struct lb_module_field f[16];
	size_t n;
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB8, f, 16, &n), LB_OK);
	assert_int_equal(n, 9);
	assert_string_equal(f[5].name, "module_power_w");
	assert_true(NEAR(f[5].value, 22.5, 1e-9));
	assert_string_equal(f[7].text, "changing");
	lb_bus_sleep_ns(r.bus, 2000000000ull);
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB8, f, 16, &n), LB_OK);
	assert_true(NEAR(f[5].value, 23.0, 1e-9));
	assert_string_equal(f[6].text, "600g-pcs-118");
	assert_string_equal(f[7].text, "idle");
	assert_true(NEAR(f[3].value, 1000.0, 0.0)); /* tuning_time_ms */
	/* a reset returns to the application's own mode */
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	assert_int_equal(peek(&r, 0xB8, 140), 0);
	lb_test_rig_down(&r);
}

/*
 * A module restored from a state saved mid-change (the page's timer is not saved) does not stay
 * "changing": the first read of the page puts the requested mode in force.
 */
static void test_emulated_pcs_change_restored(void **state)
{
	(void)state;
	struct lb_test_rig a, b;
	lb_test_rig_profile(&a, LB_SOURCE_DIR, PCS, 1000, false);
	uint8_t code = 3;
	assert_int_equal(lb_module_write(a.m, 0, 0xB8, 144, &code, 1), LB_OK);
	assert_int_equal(peek(&a, 0xB8, 141), 1); /* changing */
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.emu, &json), LB_OK);
	uint64_t now = lb_emu_world_now_ns(a.world);
	lb_test_rig_down(&a);
	lb_test_rig_profile(&b, LB_SOURCE_DIR, PCS, 1000, false);
	lb_emu_world_set_now_ns(b.world, now);
	assert_int_equal(lb_emu_module_load_state(b.emu, json), LB_OK);
	free(json);
	char id[LB_LINK_ID_LEN];
	assert_int_equal(lb_module_get_line_mode(b.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "600g-pcs-118");
	assert_int_equal(peek(&b, 0xB8, 141), 0);
	lb_test_rig_down(&b);
}

/*
 * The PCS page's fixed part (signature, times, descriptors) is read once per insertion: after,
 * an op reads bytes 138-144 alone; an invalidation (a swap, a reset) reads it anew.
 */
static void test_pcs_page_read_once(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	struct lb_line_mode modes[16];
	assert_int_equal(list(&r, modes, 16), 9);
	lb_bus_reset_stats(r.bus);
	struct lb_module_field f[16];
	size_t nf;
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB8, f, 16, &nf), LB_OK);
	assert_int_equal(nf, 9);
	struct lb_bus_stats st = lb_test_rig_stats(&r);
	assert_int_equal(st.reads, 1);
	assert_int_equal(st.max_read_len, 7); /* 138-144 */
	/* a descriptor that changes (another module in the cage, unseen): the copy holds */
	static const char other[16] = "900g-pcs-magic";
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0xB8, 176, (const uint8_t *)other, 16), LB_OK);
	assert_int_equal(list(&r, modes, 16), 9);
	assert_string_equal(modes[6].id, "800g-pcs-131e");
	/* invalidated: read anew */
	lb_module_invalidate(r.m);
	assert_int_equal(list(&r, modes, 16), 9);
	assert_string_equal(modes[6].id, "900g-pcs-magic");
	lb_test_rig_down(&r);
}

/* The tuning time: stated by the PCS page, else the documented default; NOTSUP untunable. */
static void test_tuning_time(void **state)
{
	(void)state;
	struct lb_test_rig r;
	uint32_t ms = 0;
	bool stated = true;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	assert_int_equal(lb_laser_tuning_time(r.m, &ms, &stated), LB_OK);
	assert_int_equal(ms, 1000);
	assert_true(stated);
	assert_int_equal(lb_laser_tuning_time(r.m, NULL, &stated), LB_E_INVAL);
	lb_test_rig_down(&r);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 1000, false);
	assert_int_equal(lb_laser_tuning_time(r.m, &ms, &stated), LB_OK);
	assert_int_equal(ms, LB_LASER_TUNING_DEFAULT_MS);
	assert_false(stated);
	lb_test_rig_down(&r);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 1000, false);
	assert_int_equal(lb_laser_tuning_time(r.m, &ms, NULL), LB_E_NOTSUP);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, &s), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

/* The wait follows the emulated tuning (1 s) on the bus clock and reports "tuning complete". */
static void test_wait_tuned(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 194000.0), LB_OK);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, &s), LB_OK);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took >= 1000000000ull && took < 1100000000ull);
	assert_true(s.flags & LB_TUNEFLAG_COMPLETE);
	assert_int_equal(s.state, LB_TUNING_STATE_LOCKED);
	assert_true(NEAR(s.current_ghz, 194000.0, 1e-6));
	/* already tuned: at once */
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, NULL), LB_OK);
	/* a channel the module refuses (written behind the library's back): LB_E_REJECTED */
	uint8_t ch[2] = { 0x7F, 0xFF };
	assert_int_equal(lb_module_write(r.m, 0, 0x12, 136, ch, 2), LB_OK);
	s = (struct lb_laser_status)LB_LASER_STATUS_INIT;
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, &s), LB_E_REJECTED);
	assert_true(s.flags & LB_TUNEFLAG_INVALID_CHANNEL);
	/* bad input */
	assert_int_equal(lb_laser_wait_tuned(r.m, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_laser_wait_tuned(r.m, 9, NULL), LB_E_INVAL);
	s.size = 0;
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, &s), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/* A laser that never finishes: LB_E_TIMEOUT at the stated bound, not later. */
static void test_wait_tuned_timeout(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	/* a stated tuning time shorter than the emulator's 1 s tuning */
	uint8_t ms[2] = { 0x00, 0xC8 }; /* 200 ms */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0xB8, 134, ms, 2), LB_OK);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	assert_int_equal(lb_laser_set_frequency(r.m, 1, 194000.0), LB_OK);
	assert_int_equal(lb_laser_wait_tuned(r.m, 1, NULL), LB_E_TIMEOUT);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took >= 200000000ull && took < 400000000ull);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "laser 1 tuned"));
	lb_test_rig_down(&r);
}

/* Power per bit: the advertised maximum and the measured power over the configured rate. */
static void test_power_per_bit(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, PCS, 1000, false);
	struct lb_power_per_bit p = LB_POWER_PER_BIT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0, 1, NULL), LB_OK);
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_OK);
	assert_true(NEAR(p.max_power_w, 28.0, 1e-9));
	assert_true(NEAR(p.measured_power_w, 22.5, 1e-9));
	assert_true(NEAR(p.line_rate_gbps, 800.0, 1e-9));
	assert_int_equal(p.data_paths, 1);
	assert_string_equal(p.line_mode, "800zr");
	assert_true(NEAR(p.max_w_per_tbps, 35.0, 1e-9));
	assert_true(NEAR(p.max_pj_per_bit, 35.0, 1e-9));
	assert_true(NEAR(p.measured_w_per_tbps, 28.125, 1e-9));
	/* a 600G vendor mode: the measured power follows, over 600 Gb/s */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "600g-pcs-118"), LB_OK);
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_OK);
	assert_true(NEAR(p.line_rate_gbps, 600.0, 1e-9));
	assert_true(NEAR(p.measured_power_w, 23.0, 1e-9));
	assert_true(NEAR(p.measured_pj_per_bit, 23.0 / 0.6, 1e-9));
	assert_string_equal(p.line_mode, "600g-pcs-118");
	/* 400ZR, AppSel 2: 400 Gb/s */
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "400zr"), LB_OK);
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_OK);
	assert_true(NEAR(p.line_rate_gbps, 400.0, 1e-9));
	assert_true(NEAR(p.max_pj_per_bit, 70.0, 1e-9));
	/* bad input, and the size rule */
	p.size = LB_POWER_PER_BIT_SIZE_V1 - 1;
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_E_INVAL);
	assert_int_equal(lb_module_get_power_per_bit(NULL, &p), LB_E_INVAL);
	assert_int_equal(lb_module_get_power_per_bit(r.m, NULL), LB_E_INVAL);
	lb_test_rig_down(&r);

	/* a module that reports no power, and no data path configured: NAN, not a number made up */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 1000, false);
	p = (struct lb_power_per_bit)LB_POWER_PER_BIT_INIT;
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_OK);
	assert_true(isnan(p.measured_power_w));
	assert_true(isnan(p.measured_pj_per_bit));
	assert_true(p.max_power_w > 0.0);
	if (p.line_rate_gbps > 0.0)
		assert_true(NEAR(p.max_pj_per_bit, p.max_power_w / (p.line_rate_gbps / 1000.0), 1e-9));
	else
		assert_true(isnan(p.max_pj_per_bit));
	lb_test_rig_down(&r);
}

/* The platform total: sums of powers and rates over every module present, then the ratios. */
static void test_platform_power_per_bit(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_platform_open(ctx, LB_SOURCE_DIR "/platforms/emulated-coherent-pcs.json", &p),
			 LB_OK);
	struct lb_power_per_bit t = LB_POWER_PER_BIT_INIT;
	unsigned n = 99;
	assert_int_equal(lb_platform_get_power_per_bit(p, &t, &n), LB_OK);
	assert_int_equal(n, 3);
	/* 28 W (PCS module) + 24 W (first-slice coherent) + 10 W (400G-FR4) over 800 + 800 + 400 */
	assert_true(NEAR(t.max_power_w, 62.0, 1e-9));
	assert_true(NEAR(t.line_rate_gbps, 2000.0, 1e-9));
	assert_true(NEAR(t.max_pj_per_bit, 31.0, 1e-9));
	/* measured by the PCS module alone: its 22.5 W over its 800 Gb/s */
	assert_true(NEAR(t.measured_power_w, 22.5, 1e-9));
	assert_true(NEAR(t.measured_w_per_tbps, 28.125, 1e-9));
	assert_string_equal(t.line_mode, "");
	/* the sum of the ports' own figures */
	double sum = 0.0;
	for (unsigned port = 1; port <= 3; port++) {
		struct lb_module *m;
		struct lb_power_per_bit one = LB_POWER_PER_BIT_INIT;
		assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
		assert_int_equal(lb_module_get_power_per_bit(m, &one), LB_OK);
		sum += one.max_power_w;
	}
	assert_true(NEAR(sum, t.max_power_w, 1e-9));
	/* bad input */
	assert_int_equal(lb_platform_get_power_per_bit(p, &t, NULL), LB_OK);
	assert_int_equal(lb_platform_get_power_per_bit(NULL, &t, &n), LB_E_INVAL);
	assert_int_equal(n, 0);
	t.size = 8;
	assert_int_equal(lb_platform_get_power_per_bit(p, &t, &n), LB_E_INVAL);
	assert_int_equal(lb_platform_get_power_per_bit(p, NULL, &n), LB_E_INVAL);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/*
 * The real 800ZR image (Acacia, FBOSS fixture): eight of its applications run the OpenROADM
 * 800G PCS media interface (68h), so its modes are that mode per AppSel, and the vendor-custom
 * media code F7h of the others (not an SFF-8024 code) maps to no mode; a muxponder
 * application (two 400GAUI-4 data paths over the one 800G line) counts 800 Gb/s, not 1,600.
 */
static void test_real_images_800zr_modes(void **state)
{
	(void)state;
	char path[4200];
	struct lb_test_rig r;
	lb_test_rig_image(&r, lb_test_path(path, sizeof(path), lb_test_modules_dir(),
					   "acacia-dp08sfp8-800zr-osfp-fboss.txt"), 1000, false);
	struct lb_line_mode modes[16];
	size_t n = list(&r, modes, 16);
	assert_int_equal(n, 8);
	assert_string_equal(modes[0].id, "800g-pcs-131e");
	assert_string_equal(modes[2].id, "800g-pcs-131e/3");
	assert_int_equal(modes[2].appsel, 3);
	assert_int_equal(modes[2].host_id, 0x4F);
	assert_int_equal(modes[2].format, LB_LINK_FORMAT_PCS);
	/* the active control set as a module running AppSel 3 on lanes 1-4 and 5-8 holds it */
	static const uint8_t acs[8] = { 0x30, 0x30, 0x30, 0x30, 0x38, 0x38, 0x38, 0x38 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 206, acs, 8), LB_OK);
	struct lb_power_per_bit p = LB_POWER_PER_BIT_INIT;
	assert_int_equal(lb_module_get_power_per_bit(r.m, &p), LB_OK);
	assert_int_equal(p.data_paths, 2);
	assert_true(NEAR(p.line_rate_gbps, 800.0, 1e-9));
	assert_string_equal(p.line_mode, "800g-pcs-131e/3");
	assert_true(NEAR(p.max_pj_per_bit, p.max_power_w / 0.8, 1e-9));
	/* the module has no extension: no measured power, no vendor mode */
	assert_true(isnan(p.measured_power_w));
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "800g-pcs-131m"), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcs_module_lists_modes),
		cmocka_unit_test(test_select_pcs_mode),
		cmocka_unit_test(test_select_after_a_change_left_running),
		cmocka_unit_test(test_select_bad_input),
		cmocka_unit_test(test_pcs_without_extension),
		cmocka_unit_test(test_emulated_pcs_page_rejects),
		cmocka_unit_test(test_emulated_pcs_change_restored),
		cmocka_unit_test(test_pcs_page_read_once),
		cmocka_unit_test(test_tuning_time),
		cmocka_unit_test(test_wait_tuned),
		cmocka_unit_test(test_wait_tuned_timeout),
		cmocka_unit_test(test_power_per_bit),
		cmocka_unit_test(test_platform_power_per_bit),
		cmocka_unit_test(test_real_images_800zr_modes),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
