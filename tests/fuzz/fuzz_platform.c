/* SPDX-License-Identifier: MIT */
/*
 * fuzz_platform: bytes as platform JSON for lb_platform_open_json; a platform that opens has
 * every port touched (lb_platform_module, then the identity decoder on a module that answers).
 *
 * Only the emulator drivers are let through: a platform naming a hardware driver, a lock file
 * or a device path is skipped, so the fuzzer never opens /dev nodes or creates files.
 */
#include <string.h>
#include <jansson.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int safe(json_t *j, const char *key)
{
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		if (strstr(s, "/dev") || strstr(s, "/proc") || strstr(s, "/sys"))
			return 0;
		return !key || strcmp(key, "driver") || !strcmp(s, "emulator");
	}
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			if (!strcmp(k, "lock_file") || !safe(v, k))
				return 0;
		}
		return !key || strcmp(key, "driver");
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			if (!safe(v, NULL))
				return 0;
		}
		return !key || strcmp(key, "driver");
	}
	return !key || strcmp(key, "driver");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr);
	int ok = !root || safe(root, NULL);
	json_decref(root);
	if (!ok) {
		free(text);
		return -1; /* not added to the corpus */
	}
	struct lb_ctx *ctx;
	if (lb_ctx_create(&ctx) || lb_emu_register_drivers(ctx) || lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR))
		abort();
	struct lb_platform *p = NULL;
	int rc = lb_platform_open_json(ctx, text, "fuzz", &p);
	if (rc == LB_OK) {
		for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
			struct lb_port_info info = LB_PORT_INFO_INIT;
			if (lb_platform_port_at(p, i, &info))
				abort();
			struct lb_module *m;
			if (lb_platform_module(p, info.port, &m) == LB_OK) {
				struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
				(void)lb_module_get_identity(m, &id);
			}
		}
		lb_platform_close(p);
	} else if (rc > 0 || !lb_ctx_last_error(ctx)[0]) {
		abort(); /* a failure must say why */
	}
	lb_ctx_destroy(ctx);
	free(text);
	return 0;
}
