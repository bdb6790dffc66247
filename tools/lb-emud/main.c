/* SPDX-License-Identifier: MIT */
/*
 * lb-emud: run an emulated platform and serve each module as an optoe-style EEPROM file, so the
 * optoe bus driver (and any tool that reads optoe files) can be exercised without hardware.
 *   lb-emud [--platform FILE] [--data-dir DIR] [--banking optoe|sonic|none] [--allow-other]
 *           [--debug] --mount DIR
 * Serves until SIGINT or SIGTERM, then unmounts. DIR/platform.json names the optoe files.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/lb-emud/emud.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: lb-emud [--platform FILE] [--data-dir DIR] [--banking optoe|sonic|none]\n"
		   "               [--allow-other] [--debug] --mount DIR\n\n"
		   "Serves the emulated modules of a platform (the embedded default without --platform)\n"
		   "as DIR/<port>/eeprom (optoe layout), DIR/<port>/i2c (raw 256-byte window),\n"
		   "DIR/<port>/present and DIR/<port>/banking (the bank layout of eeprom), with\n"
		   "DIR/platform.json for lbctl --platform. --banking: banks 1-3 as SONiC's optoe\n"
		   "driver lays them out (optoe, the default), 256 pages a bank (sonic), or bank 0\n"
		   "only (none). Stops on SIGINT or SIGTERM and unmounts.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, 0, 'p' }, { "mount", required_argument, 0, 'm' },
		{ "data-dir", required_argument, 0, 'd' }, { "banking", required_argument, 0, 'b' },
		{ "allow-other", no_argument, 0, 'a' },	   { "debug", no_argument, 0, 'D' },
		{ "help", no_argument, 0, 'h' },	   { 0, 0, 0, 0 },
	};
	const char *platform = NULL, *mount = NULL, *data_dir = NULL, *banking = "optoe";
	bool allow_other = false, debug = false;
	int c;
	while ((c = getopt_long(argc, argv, "p:m:d:b:aDh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': platform = optarg; break;
		case 'm': mount = optarg; break;
		case 'd': data_dir = optarg; break;
		case 'b': banking = optarg; break;
		case 'a': allow_other = true; break;
		case 'D': debug = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!mount || optind != argc) {
		usage(stderr);
		return 2;
	}
	static struct emud d;
	pthread_mutex_init(&d.lock, NULL);
	if (lb_optoe_banking_from_name(banking, &d.banking) != LB_OK) {
		fprintf(stderr, "lb-emud: --banking: \"%s\" is not optoe, sonic or none\n", banking);
		return 2;
	}
	if (!realpath(mount, d.mount)) {
		fprintf(stderr, "lb-emud: --mount %s: no such directory\n", mount);
		return 2;
	}
	struct lb_ctx *ctx;
	if (lb_ctx_create(&ctx)) {
		fprintf(stderr, "lb-emud: cannot create a context\n");
		return 1;
	}
	char dd[PATH_MAX];
	snprintf(dd, sizeof(dd), "%s", data_dir ? data_dir : lb_ctx_get_data_dir(ctx));
	lb_ctx_destroy(ctx);
	/* The platform file is parsed once; its emulated buses' options go to the segment reader. */
	char err[1024] = "";
	struct lb_options *doc;
	int rc = platform ? lb_options_load(platform, &doc, err, sizeof(err))
			  : lb_options_parse(lb_platform_default_json(), "(embedded default platform)", &doc,
					     err, sizeof(err));
	if (rc) {
		fprintf(stderr, "lb-emud: %s\n", err);
		return 4;
	}
	rc = emud_build(&d, doc, dd, err, sizeof(err));
	lb_options_free(doc);
	if (rc == LB_OK)
		rc = emud_make_platform_json(&d);
	if (rc) {
		fprintf(stderr, "lb-emud: %s\n", err[0] ? err : lb_strerror(rc));
		emud_free(&d);
		return 4;
	}
	emud_catch_up(&d);
	int served = emud_serve(&d, allow_other, debug);
	fprintf(stderr, "lb-emud: stopped after %llu accesses\n", (unsigned long long)d.accesses);
	emud_free(&d);
	pthread_mutex_destroy(&d.lock);
	return served == 0 ? 0 : 1;
}
