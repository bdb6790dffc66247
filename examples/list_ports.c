/* SPDX-License-Identifier: MIT */
/*
 * List the ports of a platform (the embedded emulated one by default) and what is in them.
 * The emulated buses need liblightbridge-emu and its drivers registered into the context.
 */
#include <stdio.h>
#include <lightbridge/lightbridge.h>

int main(int argc, char **argv)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if (lb_ctx_create(&ctx))
		return 1;
	if (lb_emu_register_drivers(ctx)) {
		lb_ctx_destroy(ctx);
		return 1;
	}
	int rc = lb_platform_open(ctx, argc > 1 ? argv[1] : NULL, &p);
	if (rc) {
		fprintf(stderr, "platform: %s (%s)\n", lb_strerror(rc), lb_ctx_last_error(ctx));
		lb_ctx_destroy(ctx);
		return 1;
	}
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		struct lb_module *m;
		struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
		lb_platform_port_at(p, i, &pi);
		rc = lb_platform_module(p, pi.port, &m);
		if (rc == LB_OK)
			rc = lb_module_get_identity(m, &id);
		if (rc == LB_OK || rc == LB_E_CHECKSUM)
			printf("%u %s %s %s\n", pi.port, pi.cage, id.vendor_name, id.part_number);
		else
			printf("%u %s (%s)\n", pi.port, pi.cage, lb_strerror(rc));
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	return 0;
}
