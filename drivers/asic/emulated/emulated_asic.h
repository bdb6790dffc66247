/* SPDX-License-Identifier: MIT */
/* The emulated ASIC driver's instance, shared by its ops (emulated_asic.c) and its state file. */
#ifndef LB_DRIVER_EMULATED_ASIC_H
#define LB_DRIVER_EMULATED_ASIC_H

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
};

extern const struct lb_asic_ops lb_emulated_asic_ops;

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

/*
 * Take the state's lock and restore the ASIC from asic-NAME.json in the state directory
 * (unless env->state_fresh); a file that does not fit the profile or that the chip refuses is
 * logged and ignored (the ASIC stays at power-on). An untrusted directory or lock file is an
 * error. Called from open, after the ASIC is made.
 */
int emu_asic_state_open(struct emu_asic_drv *d);
/* Save the ASIC (unless env->state_readonly) and let go of the lock. Called from close. */
void emu_asic_state_close(struct emu_asic_drv *d);

#endif
