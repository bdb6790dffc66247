/* SPDX-License-Identifier: MIT */
/*
 * HyperPorts: four 800GE ASIC ports of one switch bonded into one 3.2 Tb/s logical port, as
 * the public Jericho 4 material describes them ("3.2T HyperPort": four 800GE links run as one
 * port, so that one flow is not held to one link's rate and a link loss does not drop the
 * port). The switch does the spreading in hardware; this API creates and removes them, reads
 * their members' state and the spread, and their counters (lightbridge/asic.h has the ports).
 *
 * Objects and numbers: a HyperPort is named by its number, 0 to LB_HYPERPORT_MAX - 1, which
 * the switch chooses at creation (the lowest free one). Its members are ASIC port numbers.
 *
 * Rules (validated whole, then applied whole or refused with nothing applied; the detail in
 * lb_ctx_last_error names the HyperPort, the member and the rule):
 *   LB_E_INVAL    NULL or a size below V1, a hash policy unknown, a member named twice
 *   LB_E_NOTFOUND a member that is not a port of this switch; no such HyperPort
 *   LB_E_NOTSUP   a member not at 800G (LB_HYPERPORT_MEMBER_MBPS), or the driver has no HyperPorts
 *   LB_E_EXISTS   a member already in another HyperPort (a port belongs to one at most)
 *   LB_E_RANGE    every HyperPort number taken
 *   LB_E_BUSY     (lb_asic_port_remove, lb_asic_port_set of the speed) the port is a member
 * Exactly LB_HYPERPORT_MEMBERS (four) members: the public figures give 3.2T = 4 x 800GE and
 * nothing else, so no other count is accepted.
 *
 * State: a HyperPort is up while at least one member is up (its ASIC port's oper state, the
 * optics' signal included); its capacity is 800G times the members up (2.4T with one member
 * down), and reason says why it is short. Traffic goes to the members up only.
 *
 * Threads: as lightbridge/asic.h: every call takes the switch's lock.
 */
#ifndef LIGHTBRIDGE_HYPERPORT_H
#define LIGHTBRIDGE_HYPERPORT_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/asic.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

#define LB_HYPERPORT_MEMBERS 4u          /* members of a HyperPort, exactly */
#define LB_HYPERPORT_MEMBER_MBPS 800000u /* speed of every member */
#define LB_HYPERPORT_MAX 64u             /* HyperPort numbers 0 .. LB_HYPERPORT_MAX - 1 */

/* How the switch spreads the HyperPort's frames over its members up. */
enum lb_hyperport_hash {
	/* A hash of each frame's 5-tuple (addresses, protocol, ports) picks the member: a flow
	 * stays on one member, in order; the spread is as even as the flows are many. */
	LB_HYPERPORT_HASH_FLOW = 0,
	/* Frame by frame over the members up: even whatever the flows (the far end reorders). */
	LB_HYPERPORT_HASH_SPRAY = 1,
};

/* A HyperPort's configuration (lb_hyperport_create takes it, lb_hyperport_get gives it). Sized. */
struct lb_hyperport_config {
	size_t size;
	uint32_t members[LB_HYPERPORT_MEMBERS]; /* ASIC port numbers, all different */
	enum lb_hyperport_hash hash;
};
#define LB_HYPERPORT_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_hyperport_config, hash)
#define LB_HYPERPORT_CONFIG_INIT LB_SIZED_INIT(struct lb_hyperport_config)

/* Why a HyperPort runs short of 3.2T. */
enum lb_hyperport_reason {
	LB_HYPERPORT_FULL = 0,     /* every member up */
	LB_HYPERPORT_DEGRADED = 1, /* some members down: up at the capacity of the rest */
	LB_HYPERPORT_ALL_DOWN = 2, /* every member down: the HyperPort is down */
};

/* One member now. */
struct lb_hyperport_member {
	uint32_t port;                   /* ASIC port number */
	enum lb_asic_oper oper;          /* the ASIC port's oper state */
	enum lb_asic_down_reason reason; /* why it is down (LB_ASIC_DOWN_NONE when up) */
	uint32_t share_ppm;              /* its share of the HyperPort's traffic, per million */
};

/* A HyperPort's state now (lb_hyperport_get_status). Sized. */
struct lb_hyperport_status {
	size_t size;
	enum lb_asic_oper oper;          /* up while a member is up */
	enum lb_hyperport_reason reason;
	uint32_t members_up;
	uint64_t capacity_mbps;          /* LB_HYPERPORT_MEMBER_MBPS x members_up */
	struct lb_hyperport_member member[LB_HYPERPORT_MEMBERS]; /* in the configuration's order */
};
#define LB_HYPERPORT_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_hyperport_status, member)
#define LB_HYPERPORT_STATUS_INIT LB_SIZED_INIT(struct lb_hyperport_status)

/**
 * Create a HyperPort of cfg's members and hash policy, validated first (the rules above);
 * *hp receives its number. The members keep their own configuration and counters.
 */
LB_API int lb_hyperport_create(struct lb_switch *sw, const struct lb_hyperport_config *cfg,
			       uint32_t *hp);
/** Remove a HyperPort; its members stay, as ports of their own. LB_E_NOTFOUND: no such one. */
LB_API int lb_hyperport_remove(struct lb_switch *sw, uint32_t hp);
/** The configuration in force (sized). LB_E_NOTFOUND: no such HyperPort. */
LB_API int lb_hyperport_get(struct lb_switch *sw, uint32_t hp, struct lb_hyperport_config *cfg);
/**
 * The HyperPorts that exist: up to max numbers into hps (ascending), *count how many there
 * are (may exceed max; hps may be NULL when max is 0). A driver without HyperPorts: none.
 */
LB_API int lb_hyperport_list(struct lb_switch *sw, uint32_t *hps, size_t max, size_t *count);
/** The state now (sized), read from the chip: every member's oper state, the spread. */
LB_API int lb_hyperport_get_status(struct lb_switch *sw, uint32_t hp, struct lb_hyperport_status *st);
/**
 * The counters of the members (members[i]: member i in the configuration's order; may be
 * NULL) and their total (every counter summed over the members; may be NULL), read without
 * side effect. Each struct sized (lightbridge/asic.h). On error nothing is filled but sizes.
 * Each member's set is of one instant (the chip latches a port's counters whole); the four
 * are read one after the other, under the switch's lock.
 */
LB_API int lb_hyperport_counters_read(struct lb_switch *sw, uint32_t hp,
				      struct lb_asic_port_counters members[LB_HYPERPORT_MEMBERS],
				      struct lb_asic_port_counters *total);
/** The HyperPort ASIC port port is a member of: LB_OK and *hp, or LB_E_NOTFOUND. */
LB_API int lb_hyperport_of_port(struct lb_switch *sw, uint32_t port, uint32_t *hp);

/** "flow", "spray"; "?" for another value. */
LB_API const char *lb_hyperport_hash_name(enum lb_hyperport_hash hash);
/** The policy named so; LB_E_NOTFOUND otherwise. */
LB_API int lb_hyperport_hash_parse(const char *name, enum lb_hyperport_hash *hash);
/** "full", "degraded", "all-down"; "?" otherwise. */
LB_API const char *lb_hyperport_reason_name(enum lb_hyperport_reason reason);

/* ---- the HyperPorts a platform declares (lightbridge/platform.h) ---- */

struct lb_platform;
/*
 * A HyperPort of the platform's "asic": {"hyperports": [{"name", "ports": [four front-panel
 * ports], "hash": "flow"|"spray"}]}: what lbctl hyperport create NAME makes. Sized.
 */
struct lb_platform_hyperport {
	size_t size;
	char name[32];                       /* NUL-terminated */
	unsigned ports[LB_HYPERPORT_MEMBERS]; /* front-panel port numbers (each with asic_lanes) */
	enum lb_hyperport_hash hash;
};
#define LB_PLATFORM_HYPERPORT_SIZE_V1 LB_SIZE_THROUGH(struct lb_platform_hyperport, hash)
#define LB_PLATFORM_HYPERPORT_INIT LB_SIZED_INIT(struct lb_platform_hyperport)
/** How many HyperPorts the platform declares (0 for NULL). */
LB_API size_t lb_platform_hyperport_count(const struct lb_platform *p);
/** The i-th declared HyperPort (sized). LB_E_NOTFOUND: i past the count; LB_E_INVAL: NULL, size. */
LB_API int lb_platform_hyperport_get(const struct lb_platform *p, size_t i, struct lb_platform_hyperport *out);

LB_END_DECLS
#endif
