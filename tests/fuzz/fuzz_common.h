/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses: input bytes as a file (a memfd, so no disk traffic). */
#ifndef LB_FUZZ_COMMON_H
#define LB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A file holding exactly data[0..size); its path is /proc/self/fd/N. Aborts on set-up failure. */
struct fuzz_file {
	int fd;
	char path[64];
};

static inline void fuzz_file_write(struct fuzz_file *f, const char *tag, const uint8_t *data,
				   size_t size)
{
	if (f->fd <= 0) {
		f->fd = memfd_create(tag, 0);
		if (f->fd < 0)
			abort();
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) || (size && pwrite(f->fd, data, size, 0) != (ssize_t)size))
		abort();
}

#endif

#include <lightbridge/lightbridge.h>

/* A context, the emulator bus over a fresh segment with m at 0x50, and the lb_module on it. */
struct fuzz_rig {
	struct lb_ctx *ctx;
	struct lb_emu_segment *seg;
	struct lb_bus *bus;
	struct lb_module *m;
};

static inline int fuzz_rig_up(struct fuzz_rig *r, struct lb_emu_world *w, struct lb_emu_module *em)
{
	if (lb_ctx_create(&r->ctx) || lb_emu_register_drivers(r->ctx) ||
	    lb_emu_segment_create(w, 400, &r->seg) ||
	    lb_emu_segment_attach(r->seg, -1, 0x50, em) ||
	    lb_bus_open(r->ctx, "emulator", NULL, r->seg, &r->bus) ||
	    lb_module_open(r->bus, NULL, &r->m))
		abort();
	return 0;
}

static inline void fuzz_rig_down(struct fuzz_rig *r)
{
	lb_module_close(r->m);
	lb_bus_close(r->bus);
	lb_ctx_destroy(r->ctx);
}

static inline int fuzz_finite(double x)
{
	return x == x && x - x == 0.0;
}

/* Monitors the module does not advertise read as NaN (by design); never infinite. */
static inline int fuzz_nan_or_finite(double x)
{
	return x != x || fuzz_finite(x);
}

/* The decoders on whatever the module holds; every figure claimed on LB_OK must be finite. */
static inline void fuzz_module_decoders(struct lb_module *m)
{
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	int rc = lb_module_get_identity(m, &id);
	if ((rc == LB_OK || rc == LB_E_CHECKSUM) && !fuzz_finite(id.max_power_w))
		abort();
	struct lb_app_list apps;
	if (lb_module_get_apps(m, &apps) == LB_OK) {
		if (apps.count > LB_MODULE_MAX_APPS)
			abort();
		for (unsigned i = 0; i < apps.count; i++)
			if (!apps.app[i].host_name || !apps.app[i].media_name)
				abort();
	}
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if (lb_module_get_lane_status(m, &ls) == LB_OK && ls.lanes > LB_MODULE_MAX_LANES)
		abort();
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	if (lb_module_get_monitors(m, &mon) == LB_OK) {
		if (mon.lanes > LB_MODULE_MAX_LANES || !fuzz_nan_or_finite(mon.temperature_c) ||
		    !fuzz_nan_or_finite(mon.vcc_v))
			abort();
		for (unsigned i = 0; i < mon.lanes; i++)
			if (!fuzz_nan_or_finite(mon.tx_bias_ma[i]) ||
			    !fuzz_nan_or_finite(mon.tx_power_mw[i]) ||
			    !fuzz_nan_or_finite(mon.rx_power_mw[i]))
				abort();
	}
	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;
	if (lb_module_get_thresholds(m, &t) == LB_OK) {
		const struct lb_threshold *all[] = { &t.temperature_c, &t.vcc_v, &t.tx_power_mw,
						     &t.tx_bias_ma, &t.rx_power_mw };
		for (unsigned i = 0; i < 5; i++)
			if (!fuzz_finite(all[i]->high_alarm) || !fuzz_finite(all[i]->low_alarm) ||
			    !fuzz_finite(all[i]->high_warn) || !fuzz_finite(all[i]->low_warn))
				abort();
	}
	enum lb_module_state st;
	(void)lb_module_get_state(m, &st);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	(void)lb_module_get_durations(m, &d);
	/* The module's extension, if one matches, on whatever its vendor page holds. */
	(void)lb_module_extension_name(m);
	uint8_t pages[80];
	size_t n = 0;
	if (lb_module_list_vendor_pages(m, pages, sizeof(pages), &n) == LB_OK)
		for (size_t i = 0; i < n && i < sizeof(pages); i++)
			if (pages[i] < 0xB0)
				abort();
	struct lb_module_field f[16];
	if (lb_module_decode_vendor_page(m, 0, 0xB0, f, 16, &n) == LB_OK)
		for (size_t i = 0; i < n && i < 16; i++)
			if (!fuzz_nan_or_finite(f[i].value) || !memchr(f[i].name, 0, sizeof(f[i].name)) ||
			    !memchr(f[i].text, 0, sizeof(f[i].text)))
				abort();
	struct lb_line_mode modes[4] = { LB_LINE_MODE_INIT, LB_LINE_MODE_INIT, LB_LINE_MODE_INIT,
					 LB_LINE_MODE_INIT };
	(void)lb_module_list_line_modes(m, modes, 4, &n);
	char mode[LB_LINK_ID_LEN];
	if (lb_module_get_line_mode(m, 0, mode, sizeof(mode)) == LB_OK && !memchr(mode, 0, sizeof(mode)))
		abort();
}

/* lb_module_get_state: a module state on LB_OK is 1..5. */
static inline void fuzz_check_state(struct lb_module *m)
{
	enum lb_module_state st = 0;
	int rc = lb_module_get_state(m, &st);
	if (rc > 0 || (rc == LB_OK && ((int)st < 1 || (int)st > 5))) {
		fprintf(stderr, "lb_module_get_state: rc %d, state %d\n", rc, (int)st);
		abort();
	}
}

/* On LB_OK: lanes fit, every DP state 1..7. */
static inline void fuzz_check_lanes(int rc, const struct lb_lane_status *ls)
{
	if (rc > 0)
		abort();
	if (rc != LB_OK)
		return;
	if (ls->lanes > LB_MODULE_MAX_LANES)
		abort();
	for (unsigned i = 0; i < ls->lanes; i++)
		if (ls->dp_state[i] < 1 || ls->dp_state[i] > 7) {
			fprintf(stderr, "lane %u: DP state %u\n", i + 1, ls->dp_state[i]);
			abort();
		}
}

/* What a host does with a module: decoders, then state (1..5) and lane status (DP states 1..7). */
static inline void fuzz_touch(struct lb_module *m)
{
	fuzz_module_decoders(m);
	fuzz_check_state(m);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	int rc = lb_module_get_lane_status(m, &ls);
	fuzz_check_lanes(rc, &ls);
}
