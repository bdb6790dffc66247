/* SPDX-License-Identifier: MIT */
/* The switch's body and the port rules, for hal/asic. */
#ifndef LB_HAL_ASIC_INTERNAL_H
#define LB_HAL_ASIC_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <lightbridge/asic.h>
#include <lightbridge/buffer.h>
#include <lightbridge/driver.h>
#include <lightbridge/hyperport.h>

struct lb_switch {
	struct lb_ctx *ctx;
	const struct lb_driver *drv;
	const struct lb_asic_ops *ops; /* at the library's size, zero-extended */
	void *priv;
	struct lb_driver_env env;
	pthread_mutex_t lock; /* every public call on the switch */
	struct lb_switch_caps caps;
	/* The configuration in force of every port number, as the driver last took it. */
	struct lb_asic_port_config *ports; /* caps.max_ports entries */
	bool *exists;                      /* caps.max_ports entries */
	/* Buffers (buffer.c), when the driver has the buffer ops. */
	bool has_buffers;
	struct lb_buffer_pool_config pools[LB_BUFFER_MAX_POOLS];
	bool pool_exists[LB_BUFFER_MAX_POOLS];
	struct lb_buffer_profile_config profiles[LB_BUFFER_MAX_PROFILES];
	bool profile_exists[LB_BUFFER_MAX_PROFILES];
	uint32_t *pg_profile;    /* [port * pgs_per_port + pg], LB_BUFFER_NO_PROFILE: none */
	uint32_t *queue_profile; /* [port * queues_per_port + queue] */
	/* VOQ system ports (voq.c): NULL until lb_voq_switch_set. */
	struct lb_voq *voq;
	/* HyperPorts (hyperport.c), when the driver has the HyperPort ops. */
	struct lb_hyperport_config hps[LB_HYPERPORT_MAX];
	bool hp_exists[LB_HYPERPORT_MAX];
	/* MACsec (macsec.c): per port, learned from the chip at a port's first use. */
	struct lb_macsec_port *macsec; /* caps.max_ports entries, or NULL before the first use */
	/* The view above may not be the chip's (a driver op failed, the chip was reset): learnt
	 * again from the chip before it is used (lb_asic_fresh). */
	bool stale;
	bool reset_told; /* a driver op answered LB_E_CHANGED: the caller knows of the reset */
};

/*
 * The switch's view of the chip, fresh: learnt again from the chip when stale, and asked of
 * the driver's chip_check first when ask is true (a call about to answer from the view alone).
 * LB_OK, LB_E_CHANGED (the chip was reset: the view is learnt again, call again) or the error
 * that kept it from being learnt (it stays stale), with the detail recorded. Lock held.
 */
int lb_asic_fresh(struct lb_switch *sw, bool ask);
/* A driver op failed: the chip may hold something else than the view says. */
void lb_asic_view_doubt(struct lb_switch *sw, int rc);

/* MACsec: a port went, its SecY with it (macsec.c). */
void lb_asic_macsec_port_removed(struct lb_switch *sw, uint32_t port);

/* Learn the chip's pools, profiles and bindings (at open). */
int lb_asic_buffers_load(struct lb_switch *sw);
/* A port went: its bindings with it. */
void lb_asic_buffers_port_removed(struct lb_switch *sw, uint32_t port);

/* Learn the chip's HyperPorts (at open). */
int lb_asic_hyperports_load(struct lb_switch *sw);
/* Whether port is a member of a HyperPort (which one in *hp, hp may be NULL). */
bool lb_asic_hyperport_holds(const struct lb_switch *sw, uint32_t port, uint32_t *hp);

/*
 * Validate cfg as the whole configuration of port number port (existing or about to be
 * created), against the capabilities and the other ports of sw (port itself left out).
 * LB_OK, or a status with the detail recorded ("asic port N: ...: rule").
 */
int lb_asic_port_check(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg);

/* A speed as people write it: "800G", "1.6T", "25G". */
void lb_asic_speed_text(uint32_t mbps, char *buf, size_t len);

/*
 * A get into a caller's sized struct, for an ops family of the switch: out checked against
 * min_size (LB_E_INVAL), then under the lock find (the port, the ops and the index: an error
 * returned) and call (the driver's op filling full, the library's size; an error recorded
 * with fail(sw, seq, rc, what) and returned). Afterwards full.size is the library's size; the
 * caller hands out its size of full (LB_SIZED_FILL).
 */
#define LB_ASIC_LOCKED_GET(sw, out, min_size, full, find, call, fail, what)                           \
	do {                                                                                          \
		if (!(sw) || lb_sized_check((out), (min_size)))                                       \
			return LB_E_INVAL;                                                            \
		memset(&(full), 0, sizeof(full));                                                     \
		(full).size = sizeof(full);                                                           \
		pthread_mutex_lock(&(sw)->lock);                                                      \
		int rc_ = (find);                                                                     \
		if (!rc_) {                                                                           \
			uint64_t seq_ = lb_ctx_error_seq();                                           \
			if ((rc_ = (call)))                                                           \
				fail((sw), seq_, rc_, (what));                                        \
		}                                                                                     \
		pthread_mutex_unlock(&(sw)->lock);                                                    \
		if (rc_)                                                                              \
			return rc_;                                                                   \
		(full).size = sizeof(full);                                                           \
	} while (0)

#endif
