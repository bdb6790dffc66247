/* SPDX-License-Identifier: MIT */
/*
 * Images replay as recorded (docs/emulator.md, "Memory images"): every page the file holds is
 * served with its recorded bytes, read through the host API as a host reads a module; an
 * image that lacks the lane pages 10h/11h still comes up (they are generated).
 */
#include <stdlib.h>
#include <dirent.h>
#include "emu_rig.h"
#include "emu_fixture.h"
#include "image_file.h"
#include "test_run.h"

/*
 * A page read as a host reads it: through lb_module_read where the host's own advertisement
 * rule lets it select the page, else over the wire as a host that selects it anyway (select
 * bank 0 + page, read 128 bytes; PageSelect must read back as selected, not fall to 00h).
 */
static int host_read_page(struct lb_test_rig *r, uint8_t page, uint8_t buf[128], bool *wire)
{
	int rc = lb_module_read(r->m, 0, page, 128, buf, 128);
	*wire = rc == LB_E_NOTSUP;
	if (!*wire)
		return rc;
	uint8_t sel[2] = { 0, page };
	emu_sel(r->seg, 0, page);
	assert_int_equal(emu_rd(r->seg, 126, sel, 2), LB_OK);
	assert_int_equal(sel[1], page);
	return emu_rd(r->seg, 128, buf, 128);
}

/* Every upper page of every shared image, read by a host: the recorded bytes. */
static void test_real_images_every_page_served(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct lb_test_image *img = malloc(sizeof(*img));
	assert_non_null(img);
	struct dirent *e;
	unsigned files = 0, pages = 0, wired = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		char path[4200];
		lb_test_path(path, sizeof(path), dir, e->d_name);
		assert_int_equal(lb_test_image_load(path, img), 0);
		struct lb_test_rig r;
		lb_test_rig_image(&r, path, 400, false);
		for (unsigned p = 0; p < 256; p++) {
			if (!img->has_page[p])
				continue;
			uint8_t buf[128];
			bool wire;
			int rc = host_read_page(&r, (uint8_t)p, buf, &wire);
			wired += wire;
			if (rc || memcmp(buf, img->page[p], 128))
				print_error("%s: page %02Xh: %s\n", e->d_name, p,
					    rc ? lb_strerror(rc) : "bytes differ");
			assert_int_equal(rc, LB_OK);
			assert_memory_equal(buf, img->page[p], 128);
			pages++;
		}
		lb_test_rig_down(&r);
		files++;
	}
	closedir(d);
	free(img);
	assert_true(files >= 8);
	print_message("%u pages of %u images served as recorded (%u outside the host's rule)\n",
		      pages, files, wired);
}

/* An image of the shared folder without some pages, saved beside the build as name. */
static void strip_pages(const char *file, const uint8_t *pages, unsigned n, char *out, size_t outlen)
{
	char path[4200];
	const char *dir = lb_test_modules_dir(); /* first: without the images it skips (longjmp) */
	struct lb_test_image *img = malloc(sizeof(*img));
	assert_non_null(img);
	assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir, file), img), 0);
	for (unsigned i = 0; i < n; i++) {
		assert_true(img->has_page[pages[i]]);
		img->has_page[pages[i]] = false;
	}
	snprintf(out, outlen, "%s/test_emu_replay.%u.tmp.txt", LB_BINARY_DIR, n);
	assert_int_equal(lb_test_image_save(out, img), 0);
	free(img);
}

/*
 * An image without page 11h (and one without 10h and 11h either) is brought up by the host:
 * lb_module_bring_up ends with every lane DPActivated, within the bound it built from the
 * advertised durations, and the replayed durations are well inside that bound.
 */
static void bring_up_stripped(const char *file, const uint8_t *pages, unsigned n)
{
	char path[4300];
	strip_pages(file, pages, n, path, sizeof(path));
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	int rc = lb_module_bring_up(r.m, 0, 0, &rep);
	if (rc)
		print_error("%s without %u pages: %s: %s\n", file, n, lb_strerror(rc),
			    lb_module_last_error(r.m));
	assert_int_equal(rc, LB_OK);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_true(ls.lanes >= 8);
	for (unsigned l = 0; l < 8; l++)
		assert_int_equal(ls.dp_state[l], LB_DP_STATE_ACTIVATED);
	print_message("%s without %u pages: up in %.1f ms of %.1f ms allowed\n", file, n,
		      (double)rep.elapsed_ns / 1e6, (double)rep.deadline_ns / 1e6);
	assert_true(rep.elapsed_ns <= rep.deadline_ns / 4);
	lb_test_rig_down(&r);
	remove(path);
}

static void test_real_images_without_lane_status(void **state)
{
	(void)state;
	static const uint8_t p11[] = { 0x11 }, p1011[] = { 0x10, 0x11 };
	bring_up_stripped("juniper-740-174932-800g-dr8-osfp.txt", p11, 1);
	bring_up_stripped("cig-trd5h20enf-400g-lr4-10-qsfpdd.txt", p1011, 2);
	bring_up_stripped("acacia-dp08sfp8-800zr-osfp-fboss.txt", p11, 1);
}

/*
 * Every replayed image takes a tenth of each advertised bound, at most 25 ms a step: the
 * host's power-down (set low power, wait for ModuleLowPwr: Tx off, DPDeinit, ModulePwrDn) and
 * power-up finish inside the fixed 100 ms some deployed hosts wait after a power-mode change.
 */
static void test_real_images_replayed_durations(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	unsigned files = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		char path[4200];
		struct lb_test_rig r;
		lb_test_rig_image(&r, lb_test_path(path, sizeof(path), dir, e->d_name), 400, false);
		struct lb_module_durations adv = LB_MODULE_DURATIONS_INIT;
		assert_int_equal(lb_module_get_durations(r.m, &adv), LB_OK);
		struct lb_emu_timing t;
		lb_emu_module_get_timing(r.emu, &t);
		const struct { uint64_t took_ns; double adv_ms; } pairs[] = {
			{ t.module_pwr_up_ns, adv.module_pwr_up_ms }, { t.module_pwr_dn_ns, adv.module_pwr_dn_ms },
			{ t.dp_init_ns, adv.dp_init_ms }, { t.dp_deinit_ns, adv.dp_deinit_ms },
			{ t.dp_tx_turn_on_ns, adv.dp_tx_turn_on_ms },
			{ t.dp_tx_turn_off_ns, adv.dp_tx_turn_off_ms },
		};
		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			assert_true(pairs[i].took_ns <= 25 * 1000000ull);
			assert_true((double)pairs[i].took_ns <= pairs[i].adv_ms * 1e6 / 10 + 1);
		}
		/* power-down and up through the host, in module time */
		uint64_t t0 = lb_emu_segment_now_ns(r.seg);
		assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
		uint64_t down_ns = lb_emu_segment_now_ns(r.seg) - t0;
		t0 = lb_emu_segment_now_ns(r.seg);
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
		uint64_t up_ns = lb_emu_segment_now_ns(r.seg) - t0;
		print_message("%s: power-down %.1f ms, power-up %.1f ms\n", e->d_name,
			      (double)down_ns / 1e6, (double)up_ns / 1e6);
		assert_true(down_ns < 100 * 1000000ull && up_ns < 100 * 1000000ull);
		lb_test_rig_down(&r);
		files++;
	}
	closedir(d);
	assert_true(files >= 8);
}

/*
 * The pages the issue names as dropped by the advertisement rule (VDM groups 2-3 of a module
 * whose dump lacks page 2Fh, coherent pages with 01h:142.4 clear, custom pages), planted in a
 * real image that advertises none of them: each is served with its recorded bytes; a page neither recorded nor advertised
 * (42h) still falls back to page 00h.
 */
static void test_real_images_unadvertised_pages(void **state)
{
	(void)state;
	static const uint8_t extra[] = { 0x21, 0x25, 0x29, 0x30, 0x41, 0xC0, 0xC1, 0xC2, 0xC3,
					 0xC4, 0xC5 };
	char path[4200], out[4300];
	const char *dir = lb_test_modules_dir(); /* first: without the images it skips (longjmp) */
	struct lb_test_image *img = malloc(sizeof(*img));
	assert_non_null(img);
	assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir,
							 "juniper-740-174932-800g-dr8-osfp.txt"), img), 0);
	/* VDM advertised, but no 2Fh in the dump (one group: 20h, 24h, 28h); no coherent pages */
	assert_int_equal(img->page[1][142 - 128] & 0x50, 0x40);
	assert_false(img->has_page[0x2F]);
	for (size_t i = 0; i < sizeof(extra); i++) {
		img->has_page[extra[i]] = true;
		for (unsigned b = 0; b < 128; b++)
			img->page[extra[i]][b] = (uint8_t)(extra[i] ^ b);
	}
	snprintf(out, sizeof(out), "%s/test_emu_replay.extra.tmp.txt", LB_BINARY_DIR);
	assert_int_equal(lb_test_image_save(out, img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, out, 400, false);
	for (size_t i = 0; i < sizeof(extra); i++) {
		uint8_t buf[128];
		bool wire;
		assert_int_equal(host_read_page(&r, extra[i], buf, &wire), LB_OK);
		assert_memory_equal(buf, img->page[extra[i]], 128);
	}
	emu_sel(r.seg, 0, 0x42);
	assert_int_equal(emu_rd1(r.seg, 127), 0x00);
	lb_test_rig_down(&r);
	remove(out);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images_every_page_served),
		cmocka_unit_test(test_real_images_unadvertised_pages),
		cmocka_unit_test(test_real_images_without_lane_status),
		cmocka_unit_test(test_real_images_replayed_durations),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
