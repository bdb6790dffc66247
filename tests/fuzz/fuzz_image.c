/* SPDX-License-Identifier: MIT */
/*
 * fuzz_image: bytes as a module memory image (text dump or raw binary) for
 * lb_emu_module_create_from_image; a module that loads is read through the emulator bus by
 * every decoder (identity, applications, lane status, monitors, thresholds); its DP states must
 * be defined ones (1..7).
 */
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file f;
	fuzz_file_write(&f, "image", data, size);
	struct lb_emu_world *w;
	if (lb_emu_world_create(&w))
		abort();
	struct lb_emu_module *em = NULL;
	char err[256];
	if (lb_emu_module_create_from_image(w, f.path, &em, err, sizeof(err)) == LB_OK) {
		struct fuzz_rig r;
		fuzz_rig_up(&r, w, em);
		fuzz_module_decoders(r.m);
		/* DP states are 1..7 (the emulator settles reserved codes); a reserved module state
		 * in byte 3 is the image's, reported as it is (lb_module_get_state). */
		struct lb_lane_status ls = LB_LANE_STATUS_INIT;
		int rc = lb_module_get_lane_status(r.m, &ls);
		fuzz_check_lanes(rc, &ls);
		fuzz_rig_down(&r);
	}
	lb_emu_world_destroy(w);
	return 0;
}
