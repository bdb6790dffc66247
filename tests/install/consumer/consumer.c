/* SPDX-License-Identifier: MIT */
/*
 * A program built against an installed lightbridge (tests/install/check-install.sh): prints
 * the data directory the library uses and the ports of the embedded emulated platform.
 */
#include <stdio.h>
#include <lightbridge/lightbridge.h>

int main(void)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if (lb_ctx_create(&ctx))
		return 1;
	printf("data dir: %s\n", lb_ctx_get_data_dir(ctx));
	int rc = lb_emu_register_drivers(ctx);
	if (rc == LB_OK)
		rc = lb_platform_open(ctx, NULL, &p);
	if (rc) {
		printf("platform: %s (%s)\n", lb_strerror(rc), lb_ctx_last_error(ctx));
		lb_ctx_destroy(ctx);
		return 1;
	}
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		lb_platform_port_at(p, i, &pi);
		printf("port %u %s\n", pi.port, pi.cage);
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	return 0;
}
