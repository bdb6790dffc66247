/* SPDX-License-Identifier: MIT */
/*
 * The emulated driver's VOQ system-port ops (lightbridge/voq.h, the VOQ block of
 * lightbridge/driver.h) on the chip's VOQ registers (0xF00000-0xF3FFFF, docs/emulated-asic.md),
 * and their part of the saved state (this switch's identity, then the table).
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/voq.h>
#include "emulated_asic.h"

#define REG(slot, off) LB_EMU_ASIC_VOQ_REG(slot, off)

/* The chip's command status as a status with the detail; what names "what": "voq switch",
 * "system port N". */
static int refused(struct emu_asic_drv *d, const char *what, uint32_t err)
{
	static const struct {
		uint32_t err;
		int rc;
		const char *why;
	} map[] = {
		{ LB_EMU_ASIC_ERR_NOT_VOQ, LB_E_NOTSUP, "not a VOQ chip" },
		{ LB_EMU_ASIC_ERR_VOQ_NOSWITCH, LB_E_STATE, "this switch's id and cores are not set" },
		{ LB_EMU_ASIC_ERR_BUSY, LB_E_STATE, "system ports exist" },
		{ LB_EMU_ASIC_ERR_VALUE, LB_E_RANGE, "a value out of range" },
		{ LB_EMU_ASIC_ERR_TAKEN, LB_E_EXISTS, "the slot, the id or the core port is taken" },
		{ LB_EMU_ASIC_ERR_SPEED, LB_E_NOTSUP, "a speed the chip or the asic port does not run" },
		{ LB_EMU_ASIC_ERR_NOPORT, LB_E_NOTFOUND, "no such entry, or no such asic port on that core" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].err == err)
			return lb_driver_error(d->env, map[i].rc, "%s: the chip refused it: %s (command status %u)",
					       what, map[i].why, err);
	return lb_driver_error(d->env, LB_E_REJECTED, "%s: the chip refused it (command status %u)", what, err);
}

int emu_voq_switch_apply(void *priv, const struct lb_voq_switch_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t err;
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_VOQ_SW_ID, cfg->switch_id)) || (rc = emu_drv_wr(d, LB_EMU_ASIC_VOQ_SW_CORES, cfg->cores)) ||
	    (rc = emu_drv_command(d, LB_EMU_ASIC_VOQ_SW_COMMAND, LB_EMU_ASIC_CMD_APPLY, &err)))
		return rc;
	return err ? refused(d, "voq switch", err) : LB_OK;
}

int emu_voq_switch_get(void *priv, struct lb_voq_switch_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t id, cores;
	int rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_VOQ_SW_LIVE_CORES, &cores)))
		return rc;
	if (!cores)
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_VOQ_SW_LIVE_ID, &id)))
		return rc;
	cfg->switch_id = id;
	cfg->cores = cores;
	return LB_OK;
}

int emu_voq_slots(void *priv, uint32_t *slots, size_t max, size_t *count, uint32_t *capacity)
{
	struct emu_asic_drv *d = priv;
	size_t n = 0;
	for (uint32_t w = 0; w < LB_EMU_ASIC_VOQ_SLOTS / 32; w++) {
		uint32_t used;
		int rc = emu_drv_rd(d, LB_EMU_ASIC_VOQ_USED(w), &used);
		if (rc)
			return rc;
		for (uint32_t b = 0; b < 32; b++)
			if (used & (1u << b)) {
				if (n < max)
					slots[n] = 32 * w + b;
				n++;
			}
	}
	*count = n;
	*capacity = LB_EMU_ASIC_VOQ_SLOTS;
	return LB_OK;
}

static int sp_command(struct emu_asic_drv *d, uint32_t slot, uint32_t id, uint32_t cmd)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_command(d, REG(slot, LB_EMU_ASIC_VOQ_SP_COMMAND), cmd, &err)))
		return rc;
	char what[48];
	snprintf(what, sizeof(what), "system port %u", id);
	return err ? refused(d, what, err) : LB_OK;
}

int emu_voq_port_create(void *priv, uint32_t slot, const struct lb_system_port_config *cfg)
{
	struct emu_asic_drv *d = priv;
	if (slot >= LB_EMU_ASIC_VOQ_SLOTS)
		return lb_driver_error(d->env, LB_E_RANGE, "system port %u: slot %u: the chip has %u",
				       cfg->system_port_id, slot, LB_EMU_ASIC_VOQ_SLOTS);
	const uint32_t v[] = { cfg->system_port_id, cfg->switch_id, cfg->core, cfg->core_port, cfg->speed_mbps,
			       cfg->num_voq };
	for (uint32_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = emu_drv_wr(d, REG(slot, LB_EMU_ASIC_VOQ_SP_ID + 4 * i), v[i]);
		if (rc)
			return rc;
	}
	return sp_command(d, slot, cfg->system_port_id, LB_EMU_ASIC_CMD_CREATE);
}

int emu_voq_port_remove(void *priv, uint32_t slot)
{
	struct emu_asic_drv *d = priv;
	uint32_t id;
	int rc;
	if (slot >= LB_EMU_ASIC_VOQ_SLOTS)
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, REG(slot, LB_EMU_ASIC_VOQ_SP_LIVE + LB_EMU_ASIC_VOQ_SP_ID), &id)))
		return rc;
	return sp_command(d, slot, id, LB_EMU_ASIC_CMD_REMOVE);
}

int emu_voq_port_get(void *priv, uint32_t slot, struct lb_system_port_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t state, v[6];
	int rc;
	if (slot >= LB_EMU_ASIC_VOQ_SLOTS)
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, REG(slot, LB_EMU_ASIC_VOQ_SP_STATE), &state)))
		return rc;
	if (!(state & 1))
		return LB_E_NOTFOUND;
	for (uint32_t i = 0; i < 6; i++)
		if ((rc = emu_drv_rd(d, REG(slot, LB_EMU_ASIC_VOQ_SP_LIVE + 4 * i), &v[i])))
			return rc;
	cfg->system_port_id = v[0];
	cfg->switch_id = v[1];
	cfg->core = v[2];
	cfg->core_port = v[3];
	cfg->speed_mbps = v[4];
	cfg->num_voq = v[5];
	cfg->asic_port = (state & 2) ? v[3] : LB_VOQ_NO_ASIC_PORT;
	return LB_OK;
}

/* ---- the state file: {"switch_id", "cores", "system_ports": [{"slot", "id", "switch_id",
 * "core", "core_port", "speed_mbps", "num_voq"}]}, absent when this switch's id is not set ---- */

json_t *emu_voq_save(struct emu_asic_drv *d)
{
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	if (emu_voq_switch_get(d, &self) != LB_OK)
		return NULL;
	json_t *arr = json_array();
	for (uint32_t s = 0; arr && s < LB_EMU_ASIC_VOQ_SLOTS; s++) {
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		if (emu_voq_port_get(d, s, &c) != LB_OK)
			continue;
		json_array_append_new(arr, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I}", "slot", (int)s, "id",
						     (json_int_t)c.system_port_id, "switch_id", (json_int_t)c.switch_id,
						     "core", (json_int_t)c.core, "core_port", (json_int_t)c.core_port,
						     "speed_mbps", (json_int_t)c.speed_mbps, "num_voq",
						     (json_int_t)c.num_voq));
	}
	return json_pack("{s:I, s:I, s:o*}", "switch_id", (json_int_t)self.switch_id, "cores",
			 (json_int_t)self.cores, "system_ports", arr);
}

static bool get_u32(json_t *o, const char *key, uint32_t *v)
{
	json_t *j = json_object_get(o, key);
	if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > (json_int_t)UINT32_MAX)
		return false;
	*v = (uint32_t)json_integer_value(j);
	return true;
}

int emu_voq_restore(struct emu_asic_drv *d, json_t *o)
{
	if (!o)
		return LB_OK;
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	json_t *arr = json_object_get(o, "system_ports");
	if (!json_is_object(o) || !get_u32(o, "switch_id", &self.switch_id) || !get_u32(o, "cores", &self.cores) ||
	    !json_is_array(arr))
		return LB_E_PARSE;
	int rc = emu_voq_switch_apply(d, &self);
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		if (rc)
			break;
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		uint32_t slot;
		if (!get_u32(e, "slot", &slot) || !get_u32(e, "id", &c.system_port_id) ||
		    !get_u32(e, "switch_id", &c.switch_id) || !get_u32(e, "core", &c.core) ||
		    !get_u32(e, "core_port", &c.core_port) || !get_u32(e, "speed_mbps", &c.speed_mbps) ||
		    !get_u32(e, "num_voq", &c.num_voq))
			return LB_E_PARSE;
		rc = emu_voq_port_create(d, slot, &c);
	}
	return rc;
}
