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
		/*
		 * A replayed image keeps the codes its field module reported, reserved ones too (a
		 * reserved module state in byte 3 likewise): the host must report exactly the code
		 * the module holds, never another one (lb_module_get_lane_status).
		 */
		struct lb_lane_status ls = LB_LANE_STATUS_INIT;
		int rc = lb_module_get_lane_status(r.m, &ls);
		if (rc > 0 || (rc == LB_OK && ls.lanes > LB_MODULE_MAX_LANES))
			abort();
		for (unsigned i = 0; rc == LB_OK && i < ls.lanes; i++) {
			int held = lb_emu_module_dp_state(em, i + 1);
			if ((ls.dp_state[i] < 1 || ls.dp_state[i] > 7) && held != ls.dp_state[i]) {
				fprintf(stderr, "lane %u: DP state %u, the module holds %d\n", i + 1,
					ls.dp_state[i], held);
				abort();
			}
		}
		fuzz_rig_down(&r);
	}
	lb_emu_world_destroy(w);
	return 0;
}
