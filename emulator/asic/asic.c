/* SPDX-License-Identifier: MIT */
/* The emulated router ASIC: a world device, its public calls (lightbridge/emulator.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/asic/emu_macsec.h"
#include "emulator/i2c/emu_world.h"

static void dev_run_until(void *user, uint64_t t)
{
	emu_asic_run(user, t);
}

static void free_asic(struct lb_emu_asic *a)
{
	emu_macsec_destroy(a);
	emu_asic_cages_free(a);
	free(a->signal);
	for (uint32_t i = 0; a->ports && i < a->prof->max_ports; i++)
		emu_asic_flow_free(a->ports[i].flow);
	free(a->ports);
	free(a);
}

static void dev_release(void *user)
{
	free_asic(user);
}

static const struct lb_emu_device_ops device_ops = {
	.size = sizeof(struct lb_emu_device_ops),
	.run_until = dev_run_until,
	.release = dev_release,
};

/* The ports a profile has at power-on: the first default_ports groups, one port each. */
static void power_on_ports(struct lb_emu_asic *a)
{
	const struct emu_asic_profile *pr = a->prof;
	for (uint32_t i = 0; i < pr->default_ports; i++) {
		struct emu_asic_port *p = &a->ports[i];
		p->exists = true;
		p->live = (struct emu_asic_port_cfg){
			.lanes = (i * pr->default_lanes) | (pr->default_lanes << 16),
			.speed_mbps = pr->default_speed_mbps,
			.fec = pr->default_fec,
			.ctrl = 0,
			.mtu = 9100,
		};
		p->staged = p->live;
	}
}

void emu_asic_power_on(struct lb_emu_asic *a)
{
	for (uint32_t i = 0; i < a->prof->max_ports; i++) {
		struct emu_asic_port *p = &a->ports[i];
		struct lb_emu_asic_traffic offered = p->traffic; /* the peer's, not the chip's */
		emu_asic_flow_drop(a, p);
		memset(p, 0, sizeof(*p));
		p->traffic = offered;
		emu_macsec_port_removed(a, i); /* keys erased */
	}
	memset(a->pools, 0, sizeof(a->pools));
	memset(a->profiles, 0, sizeof(a->profiles));
	for (uint32_t h = 0; h < LB_EMU_ASIC_HPS; h++) {
		struct emu_asic_hp *hp = &a->hps[h];
		struct lb_emu_asic_traffic offered = hp->traffic;
		uint32_t flows = hp->flows;
		memset(hp, 0, sizeof(*hp));
		hp->traffic = offered;
		hp->flows = flows;
	}
	memset(a->pool_wm_cur, 0, sizeof(a->pool_wm_cur));
	memset(a->pool_wm_peak, 0, sizeof(a->pool_wm_peak));
	power_on_ports(a);
}

LB_API int lb_emu_asic_create(struct lb_emu_world *w, const char *profile, struct lb_emu_asic **out)
{
	if (!w || !out)
		return LB_E_INVAL;
	const struct emu_asic_profile *pr = emu_asic_profile_find(profile);
	if (!pr)
		return LB_E_NOTFOUND;
	struct lb_emu_asic *a = calloc(1, sizeof(*a));
	if (!a)
		return LB_E_NOMEM;
	a->world = w;
	a->prof = pr;
	a->hbm_bw_mbps = pr->hbm_bw_mbps;
	a->signal = malloc(pr->lanes);
	a->ports = calloc(pr->max_ports, sizeof(*a->ports));
	if (!a->signal || !a->ports || emu_macsec_create(a)) {
		free_asic(a);
		return LB_E_NOMEM;
	}
	memset(a->signal, LB_EMU_ASIC_SIGNAL_PRESENT, pr->lanes);
	power_on_ports(a);
	a->health.epoch = 1;
	a->t_ns = lb_emu_world_now_ns(w);
	int rc = lb_emu_world_add_device(w, &device_ops, a, &a->device);
	if (rc) {
		free_asic(a);
		return rc;
	}
	*out = a;
	return LB_OK;
}

LB_API void lb_emu_asic_destroy(struct lb_emu_asic *a)
{
	if (a)
		lb_emu_world_device_remove(a->device); /* releases a */
}

LB_API struct lb_emu_world *lb_emu_asic_world(const struct lb_emu_asic *a)
{
	return a ? a->world : NULL;
}

LB_API int lb_emu_asic_read32(struct lb_emu_asic *a, uint32_t addr, uint32_t *value)
{
	if (!a || !value)
		return LB_E_INVAL;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	a->accesses++;
	int rc = emu_asic_bus_plain_read(a, addr) ? emu_asic_reg_read(a, addr, value) : emu_asic_bus_read(a, addr, value);
	emu_unlock(a->world);
	return rc;
}

LB_API int lb_emu_asic_write32(struct lb_emu_asic *a, uint32_t addr, uint32_t value)
{
	if (!a)
		return LB_E_INVAL;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	a->accesses++;
	int rc = emu_asic_bus_write(a, addr, value);
	emu_unlock(a->world);
	return rc;
}

LB_API uint64_t lb_emu_asic_accesses(const struct lb_emu_asic *a)
{
	if (!a)
		return 0;
	emu_lock(a->world);
	uint64_t n = a->accesses;
	emu_unlock(a->world);
	return n;
}

LB_API int lb_emu_asic_set_signal(struct lb_emu_asic *a, uint32_t first_lane, uint32_t count,
				  enum lb_emu_asic_signal signal)
{
	if (!a || (unsigned)signal > LB_EMU_ASIC_SIGNAL_REMOTE_FAULT)
		return LB_E_INVAL;
	if (first_lane >= a->prof->lanes || count > a->prof->lanes - first_lane)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	memset(a->signal + first_lane, (int)signal, count);
	emu_unlock(a->world);
	return LB_OK;
}

static bool bad_number(double v)
{
	return !isfinite(v) || v < 0;
}

int emu_asic_traffic_check(struct lb_emu_asic_traffic *t)
{
	bool bad = bad_number(t->load) || bad_number(t->mcast_fraction) || bad_number(t->bcast_fraction) ||
		   t->mcast_fraction + t->bcast_fraction > 1 || bad_number(t->pre_fec_ber) ||
		   t->pre_fec_ber > 0.5;
	for (unsigned i = 0; i < 8; i++)
		bad = bad || bad_number(t->pfc_rx_per_s[i]);
	if (bad)
		return LB_E_INVAL;
	if (!t->frame_bytes)
		t->frame_bytes = 64;
	return LB_OK;
}

LB_API int lb_emu_asic_set_traffic(struct lb_emu_asic *a, uint32_t port,
				   const struct lb_emu_asic_traffic *traffic)
{
	if (!a || !traffic || traffic->size < LB_EMU_ASIC_TRAFFIC_SIZE_V1)
		return LB_E_INVAL;
	struct lb_emu_asic_traffic t = { 0 };
	memcpy(&t, traffic, traffic->size < sizeof(t) ? traffic->size : sizeof(t));
	t.size = sizeof(t);
	if (emu_asic_traffic_check(&t))
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	a->ports[port].traffic = t;
	emu_unlock(a->world);
	return LB_OK;
}
