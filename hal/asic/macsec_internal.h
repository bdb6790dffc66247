/* SPDX-License-Identifier: MIT */
/* MACsec of the switch's ports, shared by hal/asic/macsec*.c. */
#ifndef LB_HAL_ASIC_MACSEC_INTERNAL_H
#define LB_HAL_ASIC_MACSEC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/macsec.h>

struct lb_switch;

#define LB_MACSEC_REPLAY_WINDOW_MAX (1u << 30)

/* A port's MACsec as the driver last took it. No key, no salt. */
struct lb_macsec_port {
	bool loaded;     /* read from the chip */
	bool configured; /* a SecY was set */
	struct lb_macsec_secy_config secy;
	uint64_t sci[2];       /* per direction: the SC's SCI, 0: no SC */
	uint32_t installed[2]; /* per direction: bit an: SA installed */
	uint32_t tx_an;        /* the transmit SA in use, LB_MACSEC_AN_SC: none */
	uint32_t warned;       /* bit an: the transmit SA's PN warning was logged */
};

/* The port's state (learned at first use) or a status with the detail. Switch locked. */
int lb_macsec_port(struct lb_switch *sw, uint32_t port, struct lb_macsec_port **out);
/* The steps of the public calls, switch locked, cfg read already. */
int lb_macsec_sa_install_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m,
				enum lb_macsec_dir dir, const struct lb_macsec_sa_config *c,
				const struct lb_macsec_key *key);
int lb_macsec_sa_retire_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m,
			       enum lb_macsec_dir dir, uint32_t an);
int lb_macsec_tx_activate_locked(struct lb_switch *sw, uint32_t port, struct lb_macsec_port *m, uint32_t an);
/* sum += one, member by member. */
void lb_macsec_counters_add(struct lb_macsec_counters *sum, const struct lb_macsec_counters *one);

#endif
