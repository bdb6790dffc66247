/* SPDX-License-Identifier: MIT */
/*
 * State save/load: a module restored from JSON behaves as the original, timers included; the
 * state lists only the pages that differ from the module as made; the module's firmware (images,
 * running, committed) is kept, and a state saved without it loads as before.
 */
#include <stdlib.h>
#include <unistd.h>
#include <jansson.h>
#include "emu_fixture.h"
#include "emu_rig.h"
#include "image_file.h"
#include "synth_module.h"

static void compare_memory(struct lb_emu_module *a, struct lb_emu_module *b)
{
	uint8_t x[128], y[128];
	assert_int_equal(lb_emu_module_peek(a, 0, 0, 0, x, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(b, 0, 0, 0, y, 128), LB_OK);
	assert_memory_equal(x, y, 128);
	for (unsigned bank = 0; bank < 4; bank++)
		for (unsigned p = 0; p < 256; p++) {
			int ra = lb_emu_module_peek(a, (uint8_t)bank, (uint8_t)p, 128, x, 128);
			int rb = lb_emu_module_peek(b, (uint8_t)bank, (uint8_t)p, 128, y, 128);
			assert_int_equal(ra, rb);
			if (ra == LB_OK)
				assert_memory_equal(x, y, 128);
		}
}

static void test_round_trip_mid_timer(void **state)
{
	(void)state;
	struct emu_fx a, b;
	fx_open(&a, EMU_PROFILE("coherent-800g-qsfpdd"));
	emu_sel(a.s, 0, 0x10);
	emu_wr1(a.s, 26, 0x00);
	lb_emu_world_advance_ns(a.w, 4000 * MS_NS); /* Ready at 1.5 s, DPInit running */
	assert_int_equal(lb_emu_module_dp_state(a.m, 1), 2);
	uint8_t cfg[8] = { 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20 };
	assert_int_equal(emu_wr(a.s, 145, cfg, 8), LB_OK);
	lb_emu_module_set_lpmode(a.m, 0);
	assert_int_equal(lb_emu_module_set_monitor(a.m, LB_EMU_MON_TEMPERATURE_C, 0, 77.5), LB_OK);
	assert_int_equal(lb_emu_module_inject(a.m, LB_EMU_FAULT_NACK, 1), LB_OK);

	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	assert_non_null(json);
	uint64_t now = lb_emu_world_now_ns(a.w);

	fx_open(&b, EMU_PROFILE("coherent-800g-qsfpdd"));
	lb_emu_world_set_now_ns(b.w, now);
	assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
	free(json);
	compare_memory(a.m, b.m);
	assert_int_equal(lb_emu_module_state(b.m), 3);
	assert_int_equal(lb_emu_module_dp_state(b.m, 1), 2);
	assert_int_equal(lb_emu_module_intl(b.m), lb_emu_module_intl(a.m));

	/* the pending NACK and the page select survive */
	uint8_t v;
	assert_int_equal(emu_rd(b.s, 145, &v, 1), LB_E_NACK);
	assert_int_equal(emu_rd(a.s, 145, &v, 1), LB_E_NACK);
	assert_int_equal(emu_rd1(b.s, 145), 0x20); /* still on page 10h */

	/* the timers continue where they were: both reach DPActivated at the same instant */
	for (int i = 0; i < 100; i++) {
		lb_emu_world_advance_ns(a.w, 50 * MS_NS);
		lb_emu_world_advance_ns(b.w, 50 * MS_NS);
		assert_int_equal(lb_emu_module_dp_state(a.m, 1), lb_emu_module_dp_state(b.m, 1));
	}
	assert_int_equal(lb_emu_module_dp_state(b.m, 1), 4);
	compare_memory(a.m, b.m);
	fx_close(&a);
	fx_close(&b);
}

static void test_round_trip_image_and_reset(void **state)
{
	(void)state;
	struct emu_fx a, b;
	fx_open(&a, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	emu_wr1(a.s, 26, 0x08); /* SoftwareReset in progress when saved */
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	fx_open(&b, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	lb_emu_world_set_now_ns(b.w, lb_emu_world_now_ns(a.w));
	assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
	uint8_t v;
	assert_int_equal(emu_rd(b.s, 0, &v, 1), LB_E_NACK);
	lb_emu_world_advance_ns(b.w, 1000 * MS_NS);
	assert_int_equal(emu_rd1(b.s, 0), 0x21);

	/* state of another profile does not fit */
	struct emu_fx c;
	fx_open(&c, EMU_PROFILE("800g-dr8-osfp"));
	assert_int_equal(lb_emu_module_load_state(c.m, json), LB_E_PARSE);
	assert_int_equal(lb_emu_module_load_state(c.m, "{\"format\":"), LB_E_PARSE);
	assert_int_equal(lb_emu_module_load_state(c.m, "[]"), LB_E_PARSE);
	/* a malformed page entry is refused and leaves the module as it was */
	const char *at = strstr(json, "\"pages\":[");
	assert_non_null(at);
	size_t head = (size_t)(at - json) + strlen("\"pages\":[");
	char *bad = malloc(strlen(json) + 64);
	assert_non_null(bad);
	snprintf(bad, strlen(json) + 64, "%.*s{\"xbank\":0,\"page\":17},%s", (int)head, json,
		 json + head);
	assert_int_equal(lb_emu_module_load_state(b.m, bad), LB_E_PARSE);
	assert_int_equal(emu_rd1(b.s, 0), 0x21);
	free(bad);
	free(json);
	fx_close(&a);
	fx_close(&b);
	fx_close(&c);
}

/* The number of entries of the state's page list, and whether it lists (bank, page). */
static size_t listed_pages(const char *json, unsigned bank, unsigned page, bool *listed)
{
	json_error_t e;
	json_t *root = json_loads(json, 0, &e);
	assert_non_null(root);
	json_t *pages = json_object_get(root, "pages");
	size_t i, n = json_array_size(pages);
	json_t *o;
	*listed = false;
	json_array_foreach(pages, i, o)
		if (json_integer_value(json_object_get(o, "bank")) == (json_int_t)bank &&
		    json_integer_value(json_object_get(o, "page")) == (json_int_t)page)
			*listed = true;
	json_decref(root);
	return n;
}

static void test_only_changed_pages_saved(void **state)
{
	(void)state;
	struct emu_fx a, b;
	fx_open(&a, EMU_PROFILE("coherent-800g-qsfpdd"));
	fx_open(&b, EMU_PROFILE("coherent-800g-qsfpdd"));
	char *json = NULL;
	bool listed;
	/* as made: no page differs */
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	assert_int_equal(listed_pages(json, 0, 0x10, &listed), 0);
	free(json);
	/* a control written on page 10h: that page is listed, page 00h is not */
	emu_sel(a.s, 0, 0x10);
	emu_wr1(a.s, 128, 0xFF); /* DPDeinit, lanes 1-8 */
	lb_emu_world_advance_ns(a.w, 100 * MS_NS);
	assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
	assert_true(listed_pages(json, 0, 0x10, &listed) >= 1);
	assert_true(listed);
	listed_pages(json, 0, 0x00, &listed);
	assert_false(listed);
	/* b's own change to a page the state leaves out is undone: back to the page as made */
	uint8_t v = 0x5A, made;
	assert_int_equal(lb_emu_module_peek(b.m, 0, 0x02, 200, &made, 1), LB_OK);
	assert_int_not_equal(made, v);
	assert_int_equal(lb_emu_module_poke(b.m, 0, 0x02, 200, &v, 1), LB_OK);
	lb_emu_world_set_now_ns(b.w, lb_emu_world_now_ns(a.w));
	assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
	compare_memory(a.m, b.m);
	assert_int_equal(lb_emu_module_peek(b.m, 0, 0x02, 200, &v, 1), LB_OK);
	assert_int_equal(v, made);
	/* format 1 listed every page: one missing there is still refused */
	char *old = strdup(json);
	assert_non_null(old);
	char *f = strstr(old, "emu-state/2");
	assert_non_null(f);
	f[strlen("emu-state/")] = '1';
	assert_int_equal(lb_emu_module_load_state(b.m, old), LB_E_PARSE);
	free(old);
	free(json);
	fx_close(&a);
	fx_close(&b);
}

/*
 * A DP-state nibble (page 11h:128-131, one per lane) must be a state, 1-7: a saved state with a
 * reserved code (0, 8-15) is refused and leaves the module as it was, in any bank and lane.
 */
static void test_reserved_dp_state_refused(void **state)
{
	(void)state;
	static const struct {
		unsigned bank, lane; /* lane 0-7 of the bank */
		uint8_t code;
	} cases[] = { { 0, 0, 0x0 }, { 0, 1, 0x8 }, { 0, 7, 0xF }, { 1, 4, 0x0 }, { 1, 3, 0xA } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emu_fx a, b;
		fx_open(&a, EMU_PROFILE("1600g-2xdr8-osfpxd")); /* two banks of lanes */
		fx_open(&b, EMU_PROFILE("1600g-2xdr8-osfpxd"));
		uint8_t st[4], before[4];
		assert_int_equal(lb_emu_module_peek(a.m, (uint8_t)cases[i].bank, 0x11, 128, st, 4), LB_OK);
		unsigned sh = 4 * (cases[i].lane % 2);
		st[cases[i].lane / 2] = (uint8_t)((st[cases[i].lane / 2] & ~(0xFu << sh)) | (unsigned)cases[i].code << sh);
		assert_int_equal(lb_emu_module_poke(a.m, (uint8_t)cases[i].bank, 0x11, 128, st, 4), LB_OK);
		char *json = NULL;
		assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
		lb_emu_world_set_now_ns(b.w, lb_emu_world_now_ns(a.w));
		assert_int_equal(lb_emu_module_peek(b.m, (uint8_t)cases[i].bank, 0x11, 128, before, 4), LB_OK);
		assert_int_equal(lb_emu_module_load_state(b.m, json), LB_E_PARSE);
		uint8_t after[4];
		assert_int_equal(lb_emu_module_peek(b.m, (uint8_t)cases[i].bank, 0x11, 128, after, 4), LB_OK);
		assert_memory_equal(before, after, 4);
		free(json);
		fx_close(&a);
		fx_close(&b);
	}
}

/* An image carries whatever bytes it has: a reserved DP state it was made with round-trips. */
static void test_image_dp_state_as_made_round_trips(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	memset(img.page[0x11], 0, 4); /* every lane's DP state 0, as an image may have it */
	char path[128];
	snprintf(path, sizeof(path), "/tmp/lb-emu-state-image-%ld.txt", (long)getpid());
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_emu_world *w[2];
	struct lb_emu_module *m[2];
	char err[256];
	for (int i = 0; i < 2; i++) {
		assert_int_equal(lb_emu_world_create(&w[i]), LB_OK);
		assert_int_equal(lb_emu_module_create_from_image(w[i], path, &m[i], err, sizeof(err)), LB_OK);
	}
	unlink(path);
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(m[0], &json), LB_OK);
	lb_emu_world_set_now_ns(w[1], lb_emu_world_now_ns(w[0]));
	assert_int_equal(lb_emu_module_load_state(m[1], json), LB_OK);
	free(json);
	lb_emu_world_destroy(w[0]);
	lb_emu_world_destroy(w[1]);
}

/* An upgrade run but not committed, saved: the state has the module's firmware. */
static char *state_after_upgrade(struct lb_test_rig *r, uint64_t *now)
{
	lb_test_rig_profile(r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	uint8_t *img;
	size_t len;
	assert_int_equal(lb_emu_firmware_image(5, 3, 7, 4096, 9, &img, &len), LB_OK);
	struct lb_fw_upgrade_config cfg = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	cfg.image = img;
	cfg.len = len;
	cfg.run = true;
	struct lb_fw_upgrade *up;
	assert_int_equal(lb_fw_upgrade_start(r->m, &cfg, NULL, &up), LB_OK);
	assert_int_equal(lb_fw_upgrade_run(up), LB_OK);
	lb_fw_upgrade_free(up);
	free(img);
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(r->emu, &json), LB_OK);
	*now = lb_emu_world_now_ns(r->world);
	return json;
}

static void fw_info(struct lb_test_rig *r, struct lb_fw_info *i)
{
	*i = (struct lb_fw_info)LB_SIZED_INIT(struct lb_fw_info);
	assert_int_equal(lb_module_fw_info(r->m, i), LB_OK);
}

/* A module restored from the state runs the image it ran, and boots the committed one. */
static void test_firmware_round_trip(void **state)
{
	(void)state;
	struct lb_test_rig a, b;
	uint64_t now;
	char *json = state_after_upgrade(&a, &now);
	assert_non_null(strstr(json, "\"fw\":"));
	lb_test_rig_profile(&b, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	lb_emu_world_set_now_ns(b.world, now);
	assert_int_equal(lb_emu_module_load_state(b.emu, json), LB_OK);
	free(json);
	struct lb_fw_info i;
	fw_info(&b, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running);
	assert_false(i.image[LB_FW_IMAGE_B].committed);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	assert_int_equal(i.image[LB_FW_IMAGE_B].major, 5);
	assert_int_equal(i.image[LB_FW_IMAGE_B].minor, 3);
	assert_int_equal(i.image[LB_FW_IMAGE_B].build, 7);
	assert_int_equal(i.state, LB_FW_STATE_NOT_COMMITTED);
	uint8_t v[2];
	assert_int_equal(lb_emu_module_peek(b.emu, 0, 0, 39, v, 2), LB_OK);
	assert_int_equal(v[0], 5); /* lower 39-40: the running image's version */
	assert_int_equal(v[1], 3);
	/* a reset boots the committed image A again, as the original module would */
	assert_int_equal(lb_module_reset(b.m), LB_OK);
	fw_info(&b, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_int_equal(i.state, LB_FW_STATE_OK);
	lb_test_rig_down(&a);
	lb_test_rig_down(&b);
}

/* A state without "fw" (saved before it was kept) loads with the images the module is made with;
 * firmware no module has is refused, the module unchanged. */
static void test_firmware_state_old_and_bad(void **state)
{
	(void)state;
	struct lb_test_rig a, b;
	uint64_t now;
	char *json = state_after_upgrade(&a, &now);
	json_error_t e;
	json_t *root = json_loads(json, 0, &e);
	free(json);
	assert_non_null(root);
	lb_test_rig_profile(&b, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 1000, false);
	lb_emu_world_set_now_ns(b.world, now);

	struct {
		const char *key;
		json_t *value;
		int image; /* an image to make invalid, or -1 */
	} bad[] = {
		{ "running", json_integer(3), -1 },
		{ "committed", json_integer(2), -1 },
		{ "boot_next", json_integer(-2), -1 },
		{ "run_at_ns", json_integer(-1), -1 },
		{ "password_ok", json_integer(1), -1 },
		{ "command", json_pack("{s:i, s:i, s:i, s:s}", "phase", 3, "started_ns", 0, "due_ns", 0,
				       "block", ""), -1 },
		{ "command", json_pack("{s:i, s:i, s:I, s:s}", "phase", 2, "started_ns", 0, "due_ns",
				       (json_int_t)(now + 100000 * MS_NS), "block", ""), -1 },
		{ NULL, NULL, 1 }, /* the running image B invalid */
		{ NULL, NULL, 2 }, /* the factory image invalid */
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		json_t *copy = json_deep_copy(root);
		json_t *fw = json_object_get(copy, "fw");
		if (bad[k].key)
			json_object_set_new(fw, bad[k].key, bad[k].value);
		else
			json_object_set_new(json_array_get(json_object_get(fw, "images"), (size_t)bad[k].image),
					    "valid", json_false());
		char *text = json_dumps(copy, JSON_COMPACT);
		assert_int_equal(lb_emu_module_load_state(b.emu, text), LB_E_PARSE);
		free(text);
		json_decref(copy);
	}
	struct lb_fw_info i;
	fw_info(&b, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running); /* unchanged by the refusals */

	json_object_del(root, "fw");
	char *text = json_dumps(root, JSON_COMPACT);
	assert_int_equal(lb_emu_module_load_state(b.emu, text), LB_OK);
	free(text);
	json_decref(root);
	fw_info(&b, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	assert_int_equal(i.state, LB_FW_STATE_OK);
	lb_test_rig_down(&a);
	lb_test_rig_down(&b);
}

/*
 * A CDB command in flight when the state is saved completes in the module restored from it, at
 * the same instant and with the same reply, as in the original (before, the restored module
 * showed CdbStatus busy for ever: the command was lost, its status kept).
 */
static void test_cdb_command_in_flight_round_trip(void **state)
{
	(void)state;
	for (int phase = 0; phase < 2; phase++) {
		struct emu_fx a, b;
		fx_open(&a, EMU_PROFILE("coherent-800g-qsfpdd"));
		emu_sel(a.s, 0, 0x9F);
		uint8_t blk[8] = { 0x00, 0x41 }; /* 0041h: firmware management features */
		blk[5] = lb_cdb_check_code(blk, 8);
		assert_int_equal(emu_wr(a.s, 130, blk + 2, 6), LB_OK);
		assert_int_equal(emu_wr(a.s, 128, blk, 2), LB_OK); /* the trigger: a write ending at 129 */
		if (phase == 1)
			lb_emu_world_advance_ns(a.w, 1500000); /* captured, now executing */
		uint8_t st;
		assert_int_equal(lb_emu_module_peek(a.m, 0, 0, 37, &st, 1), LB_OK);
		assert_true(st & 0x80); /* busy */
		char *json = NULL;
		assert_int_equal(lb_emu_module_save_state(a.m, &json), LB_OK);
		assert_non_null(strstr(json, "\"command\":"));
		fx_open(&b, EMU_PROFILE("coherent-800g-qsfpdd"));
		lb_emu_world_set_now_ns(b.w, lb_emu_world_now_ns(a.w));
		assert_int_equal(lb_emu_module_load_state(b.m, json), LB_OK);
		free(json);
		for (int i = 0; i < 20; i++) {
			lb_emu_world_advance_ns(a.w, 500000);
			lb_emu_world_advance_ns(b.w, 500000);
			uint8_t x, y;
			(void)emu_rd(a.s, 37, &x, 1); /* run both to now (a NACK while busy is fine) */
			(void)emu_rd(b.s, 37, &y, 1);
			assert_int_equal(lb_emu_module_peek(a.m, 0, 0, 37, &x, 1), LB_OK);
			assert_int_equal(lb_emu_module_peek(b.m, 0, 0, 37, &y, 1), LB_OK);
			assert_int_equal(x, y);
		}
		assert_int_equal(lb_emu_module_peek(b.m, 0, 0, 37, &st, 1), LB_OK);
		assert_int_equal(st, 0x01); /* done, success */
		compare_memory(a.m, b.m); /* the same reply */
		fx_close(&a);
		fx_close(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_changed_pages_saved),
		cmocka_unit_test(test_round_trip_mid_timer),
		cmocka_unit_test(test_round_trip_image_and_reset),
		cmocka_unit_test(test_reserved_dp_state_refused),
		cmocka_unit_test(test_image_dp_state_as_made_round_trips),
		cmocka_unit_test(test_firmware_round_trip),
		cmocka_unit_test(test_firmware_state_old_and_bad),
		cmocka_unit_test(test_cdb_command_in_flight_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
