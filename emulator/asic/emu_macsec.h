/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the ASIC's MACsec model (emulator/asic/macsec*.c, docs/macsec.md). */
#ifndef LB_EMU_MACSEC_INTERNAL_H
#define LB_EMU_MACSEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/emu_asic_regs.h>

struct lb_emu_asic;

struct emu_macsec_secy {
	uint32_t ctrl, cipher, conf_offset, window;
	uint64_t sci, pn_warn;
};

struct emu_macsec_sa {
	bool installed;
	bool exhausted;     /* transmit: the last PN went out */
	uint64_t next_pn;   /* transmit: the next PN; receive: the next PN expected */
	uint64_t tag[2];    /* keyed hash of key, salt and SSCI (macsec_tag.c); never the key */
	uint64_t cnt[LB_EMU_ASIC_M_SA_COUNTERS], latch[LB_EMU_ASIC_M_SA_COUNTERS];
};

struct emu_macsec_port {
	struct emu_macsec_secy staged, live;
	bool live_set;
	/* staged SC and SA registers; key and salt erased by every command */
	uint64_t sc_sci, sa_pn;
	uint32_t sel, ssci, key_len;
	uint8_t salt[12];
	uint8_t key[32];
	uint32_t cmd_status;
	uint64_t sci[2]; /* per direction, 0: no SC */
	uint32_t tx_an;  /* 0xFF: none */
	struct emu_macsec_sa sa[2][4];
	uint64_t sc_cnt[2][2], sc_latch[2][2];
};

/* Registers of the MACsec block (macsec.c): LB_E_RANGE when addr is not theirs. World locked. */
int emu_macsec_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_macsec_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
/* n frames of frame_bytes leave port (and, the far end a mirror of it, come back). */
void emu_macsec_frames(struct lb_emu_asic *a, uint32_t port, uint64_t n, uint32_t frame_bytes);
/* Power-on: every port clear, the tag secret drawn. LB_E_NOMEM. */
int emu_macsec_create(struct lb_emu_asic *a);
/* Erase and free (explicit_bzero). */
void emu_macsec_destroy(struct lb_emu_asic *a);
/* A port removed: its MACsec with it. */
void emu_macsec_port_removed(struct lb_emu_asic *a, uint32_t port);
/* The keyed hash of an SA's key material (macsec_tag.c). */
void emu_macsec_tag(const uint8_t secret[16], const uint8_t *key, uint32_t key_len, const uint8_t salt[12],
		    uint32_t ssci, uint64_t tag[2]);

#endif
