/* SPDX-License-Identifier: MIT */
/*
 * VOQ system ports (SAI_OBJECT_TYPE_SYSTEM_PORT) on a VOQ switch (lb_switch_caps.type
 * LB_SWITCH_TYPE_VOQ, a Jericho-class chip in a distributed chassis or a scale-across fabric).
 * A system port names one port of the whole system: the switch (chip) it is on, the core of
 * that chip, the port's index within that core, its speed and the number of virtual output
 * queues every ingress chip keeps for it. Each chip holds the table of every system port of
 * the system (SAI's SYSTEM_PORT_CONFIG_LIST): the local ones, one per ASIC port of the chip,
 * and the remote ones, on the other chips.
 *
 * This switch's own identity comes first (lb_voq_switch_set: its switch id and core count);
 * then lb_system_ports_create_local gives each ASIC port its system port, and
 * lb_system_port_create adds the remote ones. The core validates, then programs the chip
 * through the driver's VOQ ops (struct lb_asic_ops, "VOQ system ports"); at lb_switch_open it
 * reads the chip's table back, so another handle or process sees what one made (the emulated
 * ASIC keeps it in its state file). Calls are serialised by the switch's lock. Ownership:
 * every struct is the caller's, copied in or out.
 *
 * Rules, each refused whole with nothing changed and a detail (lb_ctx_last_error) naming the
 * system port and the rule:
 *   LB_E_NOTSUP   the switch is not a VOQ switch, or its driver has no VOQ ops
 *   LB_E_STATE    no lb_voq_switch_set yet, or set again once system ports exist
 *   LB_E_INVAL    system port id 0, a size too small
 *   LB_E_EXISTS   an id already taken; a (switch id, core, core port) already taken
 *   LB_E_RANGE    a core beyond the local switch's cores; VOQs not 1..caps.queues_per_port;
 *                 a switch id above LB_VOQ_MAX_SWITCH_ID; the chip's table full
 * A status of the driver (the chip refused, LB_E_IO) leaves the table as it was too.
 *   LB_E_NOTSUP   a speed the chip does not have (lb_switch_caps.speeds_mbps)
 *   LB_E_BUSY     an ASIC port with a local system port cannot be removed (lb_asic_port_remove)
 */
#ifndef LIGHTBRIDGE_VOQ_H
#define LIGHTBRIDGE_VOQ_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/asic.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

#define LB_VOQ_MAX_SWITCH_ID 2047u  /* SAI_SWITCH_ATTR_SWITCH_ID: 11 bits on Jericho-class */
#define LB_VOQ_MAX_CORES 8u
#define LB_VOQ_NO_ASIC_PORT UINT32_MAX

/* This switch in the VOQ system (SAI_SWITCH_ATTR_SWITCH_ID, MAX_SYSTEM_CORES). Sized. */
struct lb_voq_switch_config {
	size_t size;
	uint32_t switch_id; /* 0..LB_VOQ_MAX_SWITCH_ID, unique in the system */
	uint32_t cores;     /* 1..LB_VOQ_MAX_CORES: the chip's lanes split evenly among them */
};
#define LB_VOQ_SWITCH_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_voq_switch_config, cores)
#define LB_VOQ_SWITCH_CONFIG_INIT LB_SIZED_INIT(struct lb_voq_switch_config)

/* A system port (SAI_SYSTEM_PORT_CONFIG). Sized, both ways. */
struct lb_system_port_config {
	size_t size;
	uint32_t system_port_id; /* unique in the system, nonzero */
	uint32_t switch_id;      /* the chip it is on (attached_switch_id) */
	uint32_t core;           /* attached_core_index */
	uint32_t core_port;      /* attached_core_port_index */
	uint32_t speed_mbps;
	uint32_t num_voq;        /* VOQs for it on every ingress chip */
	/* Out only (lb_system_port_get): the ASIC port of a local system port, else
	 * LB_VOQ_NO_ASIC_PORT; a local one's speed is its ASIC port's speed now. */
	uint32_t asic_port;
};
#define LB_SYSTEM_PORT_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_system_port_config, asic_port)
#define LB_SYSTEM_PORT_CONFIG_INIT LB_SIZED_INIT(struct lb_system_port_config)

/** Set this switch's id and core count (sized). See the rules at the top. */
LB_API int lb_voq_switch_set(struct lb_switch *sw, const struct lb_voq_switch_config *cfg);
/** This switch's id and cores (sized); LB_E_STATE before lb_voq_switch_set. */
LB_API int lb_voq_switch_get(struct lb_switch *sw, struct lb_voq_switch_config *cfg);
/**
 * Give every ASIC port that has none a local system port: id first_id + the ASIC port's
 * number, this switch's id, the core whose share of the lanes holds the port's first lane,
 * the ASIC port's number as core port, its speed, caps.queues_per_port VOQs. All or none
 * (an id taken refuses the lot). *created (may be NULL): how many were made.
 */
LB_API int lb_system_ports_create_local(struct lb_switch *sw, uint32_t first_id, size_t *created);
/**
 * Add a system port from cfg (asic_port ignored): a remote one, or a local one when its
 * switch id is this switch's (then core_port must be an ASIC port of that core with
 * that speed, and it becomes that ASIC port's system port).
 */
LB_API int lb_system_port_create(struct lb_switch *sw, const struct lb_system_port_config *cfg);
/** Remove a system port. LB_E_NOTFOUND: no such id. */
LB_API int lb_system_port_remove(struct lb_switch *sw, uint32_t system_port_id);
/** A system port (sized). LB_E_NOTFOUND: no such id. */
LB_API int lb_system_port_get(struct lb_switch *sw, uint32_t system_port_id,
			      struct lb_system_port_config *cfg);
/** The ids, ascending: up to max into ids, *count how many there are (ids may be NULL when max is 0). */
LB_API int lb_system_port_list(struct lb_switch *sw, uint32_t *ids, size_t max, size_t *count);

LB_END_DECLS
#endif
