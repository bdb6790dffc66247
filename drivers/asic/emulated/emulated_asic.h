/* SPDX-License-Identifier: MIT */
/* The emulated ASIC driver's instance, shared by its ops (emulated_asic.c) and its state file. */
#ifndef LB_DRIVER_EMULATED_ASIC_H
#define LB_DRIVER_EMULATED_ASIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>

struct emu_asic_drv {
	const struct lb_driver_env *env;
	struct lb_emu_asic *asic;
	struct lb_emu_world *own_world; /* the world the driver made, or NULL */
	uint32_t max_ports;
	/* Persistence (emulated_state.c): only for an ASIC the driver made, with a state dir. */
	char name[33];    /* the options' "name": the state file is asic-NAME.json */
	char profile[64];
	int dir_fd, lock_fd; /* -1: no state kept */
	/* The chip's health (emulated_io.c): its epoch, the writes sent (mod 256), the check on. */
	uint32_t epoch, tally;
	bool checked;
};

/*
 * Register access (emulated_io.c), every op's: LB_OK or a status with the detail recorded.
 * A read of all ones is checked against EPOCH (LB_E_IO: the chip is off the bus; LB_E_CHANGED:
 * it was reset, now acknowledged) and read again. emu_drv_command writes a command counted
 * by the write tally and reads its status (*err: the chip's LB_EMU_ASIC_ERR_*): LB_E_IO for a
 * write lost before it (nothing applied then) or after, LB_E_TIMEOUT for a command that does
 * not complete. emu_drv_status reads a status after a write that applies at once (a binding);
 * emu_drv_synced checks the tally after a write no status follows (a clear).
 */
int emu_drv_rd(struct emu_asic_drv *d, uint32_t addr, uint32_t *v);
int emu_drv_wr(struct emu_asic_drv *d, uint32_t addr, uint32_t v);
int emu_drv_rd64(struct emu_asic_drv *d, uint32_t addr, uint64_t *v);
int emu_drv_wr64(struct emu_asic_drv *d, uint32_t addr, uint64_t v);
int emu_drv_command(struct emu_asic_drv *d, uint32_t addr, uint32_t cmd, uint32_t *err);
int emu_drv_status(struct emu_asic_drv *d, uint32_t addr, uint32_t *err);
int emu_drv_synced(struct emu_asic_drv *d);
/* Copy a sized struct (its first member the size_t size) out at the caller's size, which out
 * holds: as much of full as fits, and the size copied. */
void emu_drv_sized_out(void *out, const void *full, size_t full_size);
/* At open: learn the epoch (acknowledge a reset from before) and arm the write tally. */
int emu_drv_health_open(struct emu_asic_drv *d);
/* The op chip_check (lightbridge/driver.h): LB_OK, LB_E_CHANGED after a reset, LB_E_IO. */
int emu_drv_chip_check(void *priv);

extern const struct lb_asic_ops lb_emulated_asic_ops;

/* Congestion-control ops (emulated_congestion.c; lightbridge/driver.h, "Congestion control"),
 * and what the state file keeps of a port's (a new JSON array, NULL when all is off; back:
 * arr NULL is all off, LB_E_PARSE for a malformed one, or the chip's refusal). */
struct lb_queue_ecn_config;
struct lb_queue_ecn_counters;
struct lb_pfcwd_config;
struct lb_pfcwd_status;
struct json_t;
int emu_cc_ecn_apply(void *priv, uint32_t port, uint32_t q, const struct lb_queue_ecn_config *c);
int emu_cc_ecn_get(void *priv, uint32_t port, uint32_t q, struct lb_queue_ecn_config *c);
int emu_cc_ecn_counters(void *priv, uint32_t port, uint32_t q, struct lb_queue_ecn_counters *c, int clear);
int emu_cc_pfcwd_apply(void *priv, uint32_t port, uint32_t tc, const struct lb_pfcwd_config *c);
int emu_cc_pfcwd_get(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_config *c);
int emu_cc_pfcwd_status(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st, int clear);
struct json_t *emu_cc_save(struct emu_asic_drv *d, uint32_t port);
int emu_cc_restore(struct emu_asic_drv *d, uint32_t port, struct json_t *arr);

/* HyperPort ops (emulated_hyperport.c). */
struct lb_hyperport_config;
struct lb_hyperport_status;
int emu_drv_hyperport_create(void *priv, uint32_t hp, const struct lb_hyperport_config *cfg);
int emu_drv_hyperport_remove(void *priv, uint32_t hp);
int emu_drv_hyperport_get(void *priv, uint32_t hp, struct lb_hyperport_config *cfg);
int emu_drv_hyperport_status(void *priv, uint32_t hp, struct lb_hyperport_status *st);
/* The HyperPorts as the state file keeps them (a new JSON array, NULL without memory), and
 * back (arr NULL: none; after the ports): LB_E_PARSE for a malformed entry, the chip's refusal. */
struct json_t;
struct json_t *emu_drv_hyperports_save(struct emu_asic_drv *d);
int emu_drv_hyperports_restore(struct emu_asic_drv *d, struct json_t *arr);
/* The cages op (emulated_cages.c; lightbridge/driver.h, the cages block). */
struct lb_bus;
struct lb_module_addr;
int emu_drv_cage_attach(void *priv, uint32_t first_lane, uint32_t lane_count, struct lb_bus *bus,
			const struct lb_module_addr *where);
/* The QoS ops (emulated_qos.c; lightbridge/driver.h, the traffic block). */
struct lb_qos_scheduler;
struct lb_qos_maps;
struct lb_qos_port_watermarks;
struct lb_qos_watermark;
int emu_qos_scheduler_apply(void *priv, uint32_t port, const struct lb_qos_scheduler *s);
int emu_qos_scheduler_get(void *priv, uint32_t port, struct lb_qos_scheduler *s);
int emu_qos_maps_apply(void *priv, uint32_t port, const struct lb_qos_maps *m);
int emu_qos_maps_get(void *priv, uint32_t port, struct lb_qos_maps *m);
int emu_qos_watermarks_read(void *priv, uint32_t port, struct lb_qos_port_watermarks *wm);
int emu_qos_watermarks_clear(void *priv, uint32_t port);
int emu_qos_pool_watermark_read(void *priv, uint32_t pool, struct lb_qos_watermark *wm);
int emu_qos_pool_watermarks_clear(void *priv);
/* A port's QoS in the state file (emulated_state.c): saved as its registers, restored whole
 * (a missing array: the defaults). */
struct json_t;
struct json_t *emu_qos_save(struct emu_asic_drv *d, uint32_t port);
int emu_qos_restore(struct emu_asic_drv *d, uint32_t port, struct json_t *arr);

/* VOQ system-port ops (emulated_voq.c; lightbridge/driver.h, the VOQ block) and their part
 * of the state file: an object (NULL: this switch's id not set), restored after the ports
 * (o NULL: none); LB_E_PARSE for a malformed one, else the chip's refusal. */
struct lb_voq_switch_config;
struct lb_system_port_config;
int emu_voq_switch_apply(void *priv, const struct lb_voq_switch_config *cfg);
int emu_voq_switch_get(void *priv, struct lb_voq_switch_config *cfg);
int emu_voq_slots(void *priv, uint32_t *slots, size_t max, size_t *count, uint32_t *capacity);
int emu_voq_port_create(void *priv, uint32_t slot, const struct lb_system_port_config *cfg);
int emu_voq_port_remove(void *priv, uint32_t slot);
int emu_voq_port_get(void *priv, uint32_t slot, struct lb_system_port_config *cfg);
struct json_t *emu_voq_save(struct emu_asic_drv *d);
int emu_voq_restore(struct emu_asic_drv *d, struct json_t *o);

/* Counters and watermarks in the state file (emulated_stats.c): a port's object (NULL when
 * all are zero) and back (o NULL: zeros), the pools' array likewise; LB_E_PARSE. */
struct json_t *emu_stats_port_save(struct emu_asic_drv *d, uint32_t port);
int emu_stats_port_restore(struct emu_asic_drv *d, uint32_t port, struct json_t *o);
struct json_t *emu_stats_pools_save(struct emu_asic_drv *d);
int emu_stats_pools_restore(struct emu_asic_drv *d, struct json_t *arr);

/*
 * Take the state's lock and restore the ASIC from asic-NAME.json in the state directory
 * (unless env->state_fresh); a file that does not fit the profile or that the chip refuses is
 * logged and ignored (the ASIC stays at power-on). An untrusted directory or lock file is an
 * error. Called from open, after the ASIC is made.
 */
int emu_asic_state_open(struct emu_asic_drv *d);
/* Save the ASIC (unless env->state_readonly) and let go of the lock. Called from close. */
void emu_asic_state_close(struct emu_asic_drv *d);

/* MACsec ops (emulated_macsec.c), as struct lb_asic_ops names them without "macsec_". */
struct lb_macsec_secy_config;
struct lb_macsec_sa_config;
struct lb_macsec_key;
struct lb_macsec_sa_status;
struct lb_macsec_counters;
int emu_asic_macsec_secy_apply(void *priv, uint32_t port, const struct lb_macsec_secy_config *c);
int emu_asic_macsec_sc_apply(void *priv, uint32_t port, int dir, uint64_t sci, int create);
int emu_asic_macsec_sa_install(void *priv, uint32_t port, int dir, const struct lb_macsec_sa_config *c,
			       const struct lb_macsec_key *key);
int emu_asic_macsec_sa_retire(void *priv, uint32_t port, int dir, uint32_t an);
int emu_asic_macsec_tx_activate(void *priv, uint32_t port, uint32_t an);
int emu_asic_macsec_read(void *priv, uint32_t port, int dir, uint32_t an, struct lb_macsec_sa_status *st,
			 struct lb_macsec_counters *c);
int emu_asic_macsec_get(void *priv, uint32_t port, struct lb_macsec_secy_config *cfg, uint64_t sci[2],
			uint32_t installed[2], uint32_t *tx_an);

#endif
