/* SPDX-License-Identifier: MIT */
/*
 * fuzz_profile: bytes as an emulator profile (JSON) for lb_emu_module_create; a module that
 * loads is read by the decoders through the emulator bus; its module and DP states must be
 * defined ones.
 */
#include <string.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file f;
	fuzz_file_write(&f, "profile", data, size);
	struct lb_emu_world *w;
	if (lb_emu_world_create(&w))
		abort();
	struct lb_emu_module *em = NULL;
	char err[256];
	err[0] = 'x';
	int rc = lb_emu_module_create(w, f.path, &em, err, sizeof(err));
	if (rc != LB_OK && (rc >= 0 || !memchr(err, 0, sizeof(err))))
		abort();
	if (rc == LB_OK) {
		struct fuzz_rig r;
		fuzz_rig_up(&r, w, em);
		fuzz_touch(r.m); /* the decoders; module state 1..5, DP states 1..7 */
		fuzz_rig_down(&r);
	}
	lb_emu_world_destroy(w);
	return 0;
}
