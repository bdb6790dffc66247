/* SPDX-License-Identifier: MIT */
/*
 * The emulated driver's HyperPort ops (lightbridge/hyperport.h) on the chip's HyperPort
 * registers (0x8000-0x9FFF, docs/emulated-asic.md), and their part of the saved state.
 */
#include <string.h>
#include <jansson.h>
#include <lightbridge/asic.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/hyperport.h>
#include "emulated_asic.h"

static int refused(struct emu_asic_drv *d, uint32_t hp, uint32_t err)
{
	switch (err) {
	case LB_EMU_ASIC_ERR_HP_MEMBERS:
		return lb_driver_error(d->env, LB_E_NOTFOUND, "hyperport %u: the chip refused it: a member "
				       "missing or named twice (command status %u)", hp, err);
	case LB_EMU_ASIC_ERR_HP_SPEED:
		return lb_driver_error(d->env, LB_E_NOTSUP, "hyperport %u: the chip refused it: a member "
				       "not at 800G (command status %u)", hp, err);
	case LB_EMU_ASIC_ERR_HP_IN_USE:
		return lb_driver_error(d->env, LB_E_EXISTS, "hyperport %u: the chip refused it: a member "
				       "in another hyperport (command status %u)", hp, err);
	case LB_EMU_ASIC_ERR_NOPORT:
		return lb_driver_error(d->env, LB_E_NOTFOUND, "hyperport %u: the chip has no such hyperport",
				       hp);
	case LB_EMU_ASIC_ERR_TAKEN:
		return lb_driver_error(d->env, LB_E_EXISTS, "hyperport %u: the number is taken on the chip", hp);
	}
	return lb_driver_error(d->env, LB_E_REJECTED, "hyperport %u: the chip refused it (command status %u)",
			       hp, err);
}

static int command(struct emu_asic_drv *d, uint32_t hp, uint32_t cmd)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_command(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_COMMAND), cmd, &err)))
		return rc;
	return err ? refused(d, hp, err) : LB_OK;
}

int emu_drv_hyperport_create(void *priv, uint32_t hp, const struct lb_hyperport_config *cfg)
{
	struct emu_asic_drv *d = priv;
	if (hp >= LB_EMU_ASIC_HPS)
		return lb_driver_error(d->env, LB_E_RANGE, "hyperport %u: the chip has %u", hp, LB_EMU_ASIC_HPS);
	int rc;
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		if ((rc = emu_drv_wr(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_MEMBER(i)), cfg->members[i] + 1)))
			return rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_HASH), (uint32_t)cfg->hash)))
		return rc;
	return command(d, hp, LB_EMU_ASIC_CMD_CREATE);
}

int emu_drv_hyperport_remove(void *priv, uint32_t hp)
{
	return command(priv, hp, LB_EMU_ASIC_CMD_REMOVE);
}

int emu_drv_hyperport_get(void *priv, uint32_t hp, struct lb_hyperport_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t state, hash, m;
	int rc;
	if (hp >= LB_EMU_ASIC_HPS)
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_STATE), &state)))
		return rc;
	if (!(state & 1))
		return LB_E_NOTFOUND;
	struct lb_hyperport_config c = { .size = sizeof(c) };
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++) {
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_LIVE_MEMBER(i)), &m)))
			return rc;
		c.members[i] = m - 1;
	}
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_LIVE_HASH), &hash)))
		return rc;
	c.hash = (enum lb_hyperport_hash)hash;
	emu_drv_sized_out(cfg, &c, sizeof(c));
	return LB_OK;
}

int emu_drv_hyperport_status(void *priv, uint32_t hp, struct lb_hyperport_status *st)
{
	struct emu_asic_drv *d = priv;
	uint32_t state, cap, m, reasons;
	int rc;
	/* STATE latches CAPACITY, SHARE and REASONS: the reads after it are of one instant */
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_STATE), &state)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_CAPACITY_GBPS), &cap)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_REASONS), &reasons)))
		return rc;
	if (!(state & 1))
		return lb_driver_error(d->env, LB_E_NOTFOUND, "hyperport %u: the chip has no such hyperport", hp);
	struct lb_hyperport_status s = { .size = sizeof(s) };
	s.oper = (state & 2) ? LB_ASIC_OPER_UP : LB_ASIC_OPER_DOWN;
	s.capacity_mbps = (uint64_t)cap * 1000u;
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++) {
		struct lb_hyperport_member *mb = &s.member[i];
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_LIVE_MEMBER(i)), &m)) ||
		    (rc = emu_drv_rd(d, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_SHARE(i)), &mb->share_ppm)))
			return rc;
		mb->port = m - 1;
		mb->oper = (state >> (8 + i)) & 1 ? LB_ASIC_OPER_UP : LB_ASIC_OPER_DOWN;
		mb->reason = (enum lb_asic_down_reason)((reasons >> (8 * i)) & 0xFFu);
		s.members_up += mb->oper == LB_ASIC_OPER_UP;
	}
	s.reason = s.members_up == LB_HYPERPORT_MEMBERS ? LB_HYPERPORT_FULL
		   : s.members_up ? LB_HYPERPORT_DEGRADED : LB_HYPERPORT_ALL_DOWN;
	emu_drv_sized_out(st, &s, sizeof(s));
	return LB_OK;
}

json_t *emu_drv_hyperports_save(struct emu_asic_drv *d)
{
	json_t *arr = json_array();
	for (uint32_t h = 0; arr && h < LB_EMU_ASIC_HPS; h++) {
		struct lb_hyperport_config c = { .size = sizeof(c) };
		if (emu_drv_hyperport_get(d, h, &c) != LB_OK)
			continue;
		json_array_append_new(arr, json_pack("{s:i, s:[i, i, i, i], s:i}", "hyperport", (int)h, "members",
						     (int)c.members[0], (int)c.members[1], (int)c.members[2],
						     (int)c.members[3], "hash", (int)c.hash));
	}
	return arr;
}

int emu_drv_hyperports_restore(struct emu_asic_drv *d, json_t *arr)
{
	if (!arr)
		return LB_OK;
	if (!json_is_array(arr))
		return LB_E_PARSE;
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_t *jh = json_object_get(o, "hyperport"), *jm = json_object_get(o, "members"),
		       *jhash = json_object_get(o, "hash");
		if (!json_is_integer(jh) || json_integer_value(jh) < 0 ||
		    json_integer_value(jh) >= (json_int_t)LB_EMU_ASIC_HPS || !json_is_array(jm) ||
		    json_array_size(jm) != LB_HYPERPORT_MEMBERS || !json_is_integer(jhash) ||
		    json_integer_value(jhash) < 0 || json_integer_value(jhash) > 1)
			return LB_E_PARSE;
		struct lb_hyperport_config c = { .size = sizeof(c), .hash = (enum lb_hyperport_hash)json_integer_value(jhash) };
		for (uint32_t k = 0; k < LB_HYPERPORT_MEMBERS; k++) {
			json_t *m = json_array_get(jm, k);
			if (!json_is_integer(m) || json_integer_value(m) < 0 ||
			    json_integer_value(m) >= (json_int_t)d->max_ports)
				return LB_E_PARSE;
			c.members[k] = (uint32_t)json_integer_value(m);
		}
		int rc = emu_drv_hyperport_create(d, (uint32_t)json_integer_value(jh), &c);
		if (rc)
			return rc;
	}
	return LB_OK;
}
