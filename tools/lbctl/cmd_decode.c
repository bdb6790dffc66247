/* SPDX-License-Identifier: MIT */
/*
 * lbctl decode FILE: decode a saved module image exactly as `show` decodes a live module.
 * FILE is any format the emulator's image loader reads (emulator/cmis/image_formats.c). The
 * image is replayed by an emulated module on a private emulated bus, so every byte goes
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
		"print for that module. FILE may be, told apart by its content:\n"
		"  - a text image (\"PAGE OFFSET HEXBYTES\" lines, PAGE -1 for lower memory,\n"
		"    BANK:PAGE for a bank above 0), as `lbctl dump PORT --save FILE` writes;\n"
		"  - what `lbctl dump PORT` prints;\n"
		"  - `ethtool -m DEV hex on` output (linear offsets, or a page heading per page);\n"
		"  - SONiC `sfputil show eeprom-hexdump -p PORT` output (one port);\n"
		"  - raw binary, as `ethtool -m DEV raw on` or an optoe eeprom file holds it\n"
		"    (lower memory and page 00h, then page N at 128 * (N + 1)).\n"
		"A section that needs a page the file lacks says \"page NNh: not in the image\"\n"
		"(JSON: null, and \"pages_not_in_image\"). Checksums are verified, not repaired:\n"
		"a mismatch is reported and the rest is decoded anyway. Exit code 4 when FILE\n"
		"cannot be read or parsed (the message names the line), and when it is not a\n"
		"plausible module image: every page checksum fails and more than half of ten\n"
		"fields any module fills in make no sense (CMIS revision, lane banks, vendor\n"
		"name, part and serial number, date code, module state, applications, connector,\n"
		"media type); the decode is still printed, with a Verdict line saying so (JSON:\n"
		"\"verdict\": {\"plausible\", \"implausible\": [fields]}).\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_decode(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex0 = lbctl_parse(app, argc, argv, NULL, 1, 1, "FILE", &cl);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	const char *path = cl.pos[0];
	app->json = cl.json; /* lbctl_print_module prints JSON by app->json */

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
	app->image = emu; /* the pages the file lacks are said so, not shown */
	ex = lbctl_print_module(app, m, path, true);
	app->image = NULL;
out:
	lb_module_close(m);
	lb_bus_close(bus);
	lb_emu_world_destroy(world); /* and the segment and module in it */
	return ex;
}
