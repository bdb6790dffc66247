/* SPDX-License-Identifier: MIT */
/*
 * lbctl decode FILE: decode a saved module image exactly as `show` decodes a live module.
 * The image is replayed by an emulated module on a private emulated bus, so every byte goes
 * through the same bus, planner and decoders as on hardware; nothing else is touched.
 */
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl decode FILE [--json]\n\n"
		"Decode a module memory image without hardware, printing what `lbctl show` would\n"
		"print for that module. FILE is a text dump (\"PAGE OFFSET HEXBYTES\" lines, PAGE -1\n"
		"for lower memory) or a raw optoe-style binary (lower memory, then page N at\n"
		"128 * (N + 1)). Checksums are verified, not repaired: a mismatch is reported and\n"
		"the rest is decoded anyway. Exit code 4 when FILE cannot be read or parsed, and when\n"
		"it is not a plausible module image: every page checksum fails and more than half\n"
		"of ten fields any module fills in make no sense (CMIS revision, lane banks, vendor\n"
		"name, part and serial number, date code, module state, applications, connector,\n"
		"media type); the decode is still printed, with a Verdict line saying so (JSON:\n"
		"\"verdict\": {\"plausible\", \"implausible\": [fields]}).\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_decode(struct lbctl *app, int argc, char **argv)
{
	if (lbctl_wants_help(argc, argv))
		return usage(app);
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			app->json = true;
		else if ((argv[i][0] == '-' && argv[i][1]) || path)
			return lbctl_usage_error(app, "decode: unexpected argument '%s'", argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return lbctl_usage_error(app, "decode: expected FILE (see lbctl decode --help)");

	struct lb_emu_world *world = NULL;
	struct lb_emu_segment *seg = NULL;
	struct lb_emu_module *emu = NULL;
	struct lb_bus *bus = NULL;
	struct lb_module *m = NULL;
	char err[512] = "";
	int ex = LBCTL_EXIT_OK;
	int rc = lb_emu_world_create(&world);
	if (rc == LB_OK)
		rc = lb_emu_segment_create(world, 400, &seg);
	if (rc) {
		ex = lbctl_fail(app, rc, "decode: creating the emulator");
		goto out;
	}
	if ((rc = lb_emu_module_create_from_image(world, path, &emu, err, sizeof(err)))) {
		/* The emulator's message already names the file ("FILE: line N: reason"). */
		if (err[0])
			fprintf(app->err, "lbctl: decode: %s\n", err);
		else
			fprintf(app->err, "lbctl: decode: %s: %s\n", path, lb_strerror(rc));
		ex = LBCTL_EXIT_INPUT;
		goto out;
	}
	if ((rc = lb_emu_segment_attach(seg, -1, 0x50, emu))) {
		lb_emu_module_destroy(emu);
		ex = lbctl_fail(app, rc, "decode: %s: attaching the module", path);
		goto out;
	}
	if ((rc = lb_bus_open(app->ctx, "emulator", NULL, seg, &bus)) ||
	    (rc = lb_module_open(bus, NULL, &m))) {
		ex = lbctl_fail(app, rc, "decode: %s", path);
		goto out;
	}
	ex = lbctl_print_module(app, m, path, true);
out:
	lb_module_close(m);
	lb_bus_close(bus);
	lb_emu_world_destroy(world); /* and the segment and module in it */
	return ex;
}
