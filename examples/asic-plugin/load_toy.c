/* SPDX-License-Identifier: MIT */
/*
 * Load the ASIC plugins of a directory (lb_ctx_load_plugin_dir), open the toy switch, break
 * its first port out in two and list the ports: what an application does with a plugin.
 *
 *   load_toy PLUGIN_DIR
 */
#include <stdio.h>
#include <lightbridge/lightbridge.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: load_toy PLUGIN_DIR\n");
		return 2;
	}
	struct lb_ctx *ctx;
	if (lb_ctx_create(&ctx))
		return 1;
	int n = lb_ctx_load_plugin_dir(ctx, argv[1]);
	if (n < 0) {
		fprintf(stderr, "load_toy: %s: %s (%s)\n", argv[1], lb_strerror(n), lb_ctx_last_error(ctx));
		lb_ctx_destroy(ctx);
		return 1;
	}
	printf("plugins loaded: %d\n", n);
	struct lb_switch *sw;
	int rc = lb_switch_open(ctx, "toy", "{\"ports\": 2}", NULL, &sw);
	if (rc) {
		fprintf(stderr, "load_toy: toy: %s (%s)\n", lb_strerror(rc), lb_ctx_last_error(ctx));
		lb_ctx_destroy(ctx);
		return 1;
	}
	struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
	lb_switch_get_caps(sw, &caps);
	printf("switch %s: %u lanes, %u ports at most\n", caps.model, caps.lanes, caps.max_ports);
	/* 800G on lanes 0-7 -> 2 x 400G, validated by the core before the driver sees it */
	rc = lb_asic_port_remove(sw, 0);
	for (uint32_t i = 0; rc == LB_OK && i < 2; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.first_lane = 4 * i;
		c.lane_count = 4;
		c.speed_mbps = 400000;
		c.fec = LB_ASIC_FEC_RS544_2XN;
		c.admin_up = 1;
		uint32_t port;
		rc = lb_asic_port_create(sw, &c, &port);
	}
	struct lb_asic_port_config bad = LB_ASIC_PORT_CONFIG_INIT;
	bad.first_lane = 8;
	bad.lane_count = 8;
	bad.speed_mbps = 800000;
	bad.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t unused;
	if (lb_asic_port_create(sw, &bad, &unused) == LB_E_EXISTS)
		printf("refused: %s\n", lb_ctx_last_error(ctx));
	uint32_t ports[16];
	size_t count = 0;
	lb_asic_port_list(sw, ports, 16, &count);
	for (size_t i = 0; rc == LB_OK && i < count && i < 16; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
		lb_asic_port_get(sw, ports[i], &c);
		lb_asic_port_get_status(sw, ports[i], &st);
		printf("asic port %u: lanes %u-%u %u Mb/s %s %s\n", ports[i], c.first_lane,
		       c.first_lane + c.lane_count - 1, c.speed_mbps, lb_asic_fec_name(c.fec),
		       st.oper == LB_ASIC_OPER_UP ? "up" : "down");
	}
	if (rc)
		fprintf(stderr, "load_toy: %s (%s)\n", lb_strerror(rc), lb_ctx_last_error(ctx));
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
	return rc ? 1 : 0;
}
