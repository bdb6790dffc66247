/* SPDX-License-Identifier: MIT */
/*
 * The coherent members of a data-path configuration (struct lb_dp_config: grid, channel, fine
 * tuning, Tx power), checked against page 04h and staged on page 12h with the application,
 * before ApplyDPInit (stage.c). Used by hal/cmis/datapath.c.
 */
#ifndef LB_HAL_COHERENT_STAGE_H
#define LB_HAL_COHERENT_STAGE_H

#include <stdint.h>
#include <lightbridge/module.h>

/* What to write on page 12h for each media lane of the data paths. */
struct lb_coherent_stage {
	uint32_t set;        /* LB_DP_CONFIG_GRID, _CHANNEL, _FINE_TUNING, _TX_POWER */
	uint8_t grid_byte;   /* 12h:128+n: grid code << 4, bit 0 fine tuning enable */
	int16_t channel;     /* 12h:136+2n */
	int16_t fine_mhz;    /* 12h:152+2n */
	int16_t power_raw;   /* 12h:200+2n, 0.01 dBm */
};

/*
 * Check the coherent members of cfg against the module (tunable, page 04h: the grid
 * advertised, the channel within its bounds and one the grid takes, the offset within the
 * fine-tuning range and on its resolution, the power within the programmable range) and fill
 * out. A channel or an offset needs the grid with it (LB_E_INVAL). LB_E_RANGE for a value page
 * 04h does not allow, LB_E_NOTSUP for a module that cannot take the member, with the reason in
 * the error detail. Nothing is written.
 */
int lb_coherent_stage_check(struct lb_module *m, const struct lb_dp_config *cfg,
			    struct lb_coherent_stage *out);
/*
 * Write s on page 12h for every media lane of media (bit i = lane i+1): one write plan, per
 * lane the grid byte, the offset, the channel (which starts the tuning) and the power.
 */
int lb_coherent_stage_write(struct lb_module *m, const struct lb_coherent_stage *s, uint32_t media);

#endif
