/* SPDX-License-Identifier: MIT */
/*
 * MACsec (IEEE 802.1AE, 802.1AEbw XPN) on the ASIC's ports, with the objects of OCP SAI's
 * saimacsec.h in typed C: per ASIC port one SecY (SAI's MACsec port + flow), one transmit
 * secure channel (SC) and one receive SC (the peer's SCI), and up to four secure
 * associations (SA) per SC, named by their association number (AN 0..3).
 *
 * Keys are installed by the caller (from its key agreement, MKA): lb_macsec_sa_install takes
 * an SA's key in a struct lb_macsec_key and hands it to the driver; the library keeps no copy,
 * zeroises every buffer of its own that held it (explicit_bzero), and never puts a key into a
 * log, an error detail, or anything it returns. The caller zeroises its own struct with
 * lb_macsec_key_clear when done.
 *
 * Changes are validated whole first and applied whole or not at all; a refusal returns a
 * status and records a detail naming the port and the rule (lb_ctx_last_error):
 *   LB_E_INVAL    an unknown cipher, a key of the wrong length for the cipher, an AN above 3,
 *                 an SCI of 0, a replay window above 2^30, a flag other than 0 or 1
 *   LB_E_RANGE    a confidentiality offset other than 0, 30 or 50; a PN of 0 or past the
 *                 cipher's last PN
 *   LB_E_NOTFOUND no such ASIC port, SC or SA
 *   LB_E_EXISTS   an SA installed on that AN already, or an SC created twice
 *   LB_E_BUSY     a change to the SecY's cipher while SAs are installed; retiring the SA
 *                 transmit uses
 *   LB_E_NOTSUP   the driver has no MACsec (the emulated ASIC has)
 *
 * Key rollover without loss (lb_macsec_rollover, or the pieces in that order): the next SA
 * is installed on receive first, then on transmit, transmit switches to it, then the old SA
 * is retired on both sides. No frame is dropped or accepted twice across it.
 *
 * PN exhaustion: every SA's status says how many PNs are left and raises pn_warning when
 * fewer than the SecY's pn_warn_threshold remain, before the last PN is used (the first
 * status read that shows it also logs one LB_LOG_WARN line for the SA); a transmit SA
 * that used its last PN stops sending (out_pkts_sa_not_in_use counts the frames), as 802.1AE
 * requires. A caller rolls over on the warning.
 *
 * Threads: the switch's lock covers every call (lightbridge/asic.h). A switch handle learns a
 * port's MACsec from the chip at its first MACsec call and follows its own changes after;
 * a change made through another handle meanwhile is not seen by this one (the chip then
 * refuses what no longer holds, with its detail: test_chip_refusals).
 */
#ifndef LIGHTBRIDGE_MACSEC_H
#define LIGHTBRIDGE_MACSEC_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_switch;

/* Cipher suites (SAI_MACSEC_CIPHER_SUITE_*). */
enum lb_macsec_cipher {
	LB_MACSEC_GCM_AES_128 = 0,
	LB_MACSEC_GCM_AES_256 = 1,
	LB_MACSEC_GCM_AES_XPN_128 = 2, /* 64-bit PNs, salt and SSCI per SA */
	LB_MACSEC_GCM_AES_XPN_256 = 3,
};
#define LB_MACSEC_CIPHER_COUNT 4

/* Direction of an SC or SA (SAI_MACSEC_DIRECTION_*). */
enum lb_macsec_dir {
	LB_MACSEC_TX = 0, /* egress: the port protects what it sends */
	LB_MACSEC_RX = 1, /* ingress: the port validates what it receives */
};

#define LB_MACSEC_AN_COUNT 4          /* association numbers 0..3 */
#define LB_MACSEC_KEY_MAX 32          /* bytes: GCM-AES-256 */
#define LB_MACSEC_SALT_BYTES 12       /* XPN salt */
#define LB_MACSEC_PN_MAX 0xFFFFFFFFull           /* last PN of the non-XPN ciphers */
#define LB_MACSEC_XPN_MAX 0xFFFFFFFFFFFFFFFFull  /* last PN of the XPN ciphers */
#define LB_MACSEC_DEFAULT_PN_WARN (1ull << 30)   /* pn_warn_threshold 0 means this: 0.9 s of
                                                   64-byte frames at 800G */

/*
 * A SecY: the MACsec configuration of one ASIC port (lb_macsec_secy_set, lb_macsec_secy_get).
 * Sized (lightbridge/common.h).
 */
struct lb_macsec_secy_config {
	size_t size;
	int enable;                  /* 1: protect and validate; 0: frames pass in clear */
	int encrypt;                 /* 1: confidentiality (encrypted); 0: integrity only */
	enum lb_macsec_cipher cipher;
	uint32_t conf_offset;        /* confidentiality offset, bytes: 0, 30 or 50 */
	int replay_protect;          /* 1: frames below the window are late and dropped */
	uint32_t replay_window;      /* frames; 0: strict order */
	uint64_t sci;                /* this port's SCI (MAC address << 16 | port identifier), not 0 */
	uint64_t pn_warn_threshold;  /* warn when fewer PNs remain; 0: LB_MACSEC_DEFAULT_PN_WARN */
};
#define LB_MACSEC_SECY_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_macsec_secy_config, pn_warn_threshold)
#define LB_MACSEC_SECY_CONFIG_INIT LB_SIZED_INIT(struct lb_macsec_secy_config)

/* An SA's parameters (not its key). Sized. */
struct lb_macsec_sa_config {
	size_t size;
	uint32_t an;      /* 0..3 */
	uint64_t pn;      /* transmit: the next PN to send; receive: the next PN expected (802.1AE
			     nextPN: with replay protection, a PN below it minus the SecY's replay
			     window is late). 1 up. */
	uint32_t ssci;    /* XPN: short SCI; ignored otherwise */
	uint8_t salt[LB_MACSEC_SALT_BYTES]; /* XPN: the salt; ignored otherwise. Secret: never shown */
};
#define LB_MACSEC_SA_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_macsec_sa_config, salt)
#define LB_MACSEC_SA_CONFIG_INIT LB_SIZED_INIT(struct lb_macsec_sa_config)

/* An SA's key: 16 bytes for the 128-bit ciphers, 32 for the 256-bit ones. */
struct lb_macsec_key {
	size_t len;
	uint8_t bytes[LB_MACSEC_KEY_MAX];
};

/*
 * Counters of an SA, or of an SC (the sum of its SAs plus the SC's own: not_using_sa,
 * unused_sa, sa_not_in_use). Sized. SAI_MACSEC_SA_STAT_* / SAI_MACSEC_FLOW_STAT_*.
 */
struct lb_macsec_counters {
	size_t size;
	uint64_t out_pkts_protected, out_pkts_encrypted;     /* transmit */
	uint64_t out_octets_protected, out_octets_encrypted; /* in clear (integrity only, or the
								 confidentiality offset) / encrypted */
	uint64_t out_pkts_sa_not_in_use; /* frames not sent: no SA in use, or its PNs used up */
	uint64_t in_pkts_ok;             /* receive: validated (and decrypted) */
	uint64_t in_octets_validated, in_octets_decrypted;   /* likewise, received */
	uint64_t in_pkts_late;           /* PN below the replay window */
	uint64_t in_pkts_invalid;        /* failed validation, and dropped (encrypted frames) */
	uint64_t in_pkts_not_valid;      /* failed validation (integrity only) */
	uint64_t in_pkts_not_using_sa;   /* for an AN with no SA installed: dropped */
	uint64_t in_pkts_unused_sa;      /* for an AN whose SA is installed but not in use */
};
#define LB_MACSEC_COUNTERS_SIZE_V1 LB_SIZE_THROUGH(struct lb_macsec_counters, in_pkts_unused_sa)
#define LB_MACSEC_COUNTERS_INIT LB_SIZED_INIT(struct lb_macsec_counters)

/* An SA's state now. Sized. */
struct lb_macsec_sa_status {
	size_t size;
	int installed;
	int in_use;          /* transmit: the SA frames go out on; receive: installed */
	uint64_t next_pn;    /* transmit: the next PN; receive: the next PN expected (highest seen + 1) */
	uint64_t pn_left;    /* PNs left before exhaustion (transmit) */
	int pn_warning;      /* pn_left is below the SecY's threshold */
	int pn_exhausted;    /* transmit: the last PN is used; nothing more goes out on it */
};
#define LB_MACSEC_SA_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_macsec_sa_status, pn_exhausted)
#define LB_MACSEC_SA_STATUS_INIT LB_SIZED_INIT(struct lb_macsec_sa_status)

/* ---- SecY ---- */

/**
 * Configure (or reconfigure) the SecY of ASIC port port, validated whole first. The cipher
 * may change only while no SA is installed (LB_E_BUSY). Thread-safe (switch lock).
 */
LB_API int lb_macsec_secy_set(struct lb_switch *sw, uint32_t port, const struct lb_macsec_secy_config *cfg);
/** The SecY in force (sized); a port never configured reads enable 0, sci 0. */
LB_API int lb_macsec_secy_get(struct lb_switch *sw, uint32_t port, struct lb_macsec_secy_config *cfg);

/* ---- SCs ---- */

/**
 * Create the SC of a direction: transmit takes the SecY's SCI (sci must equal it, or be 0);
 * receive takes the peer's SCI. LB_E_EXISTS: the SC exists; LB_E_NOTFOUND: no SecY set.
 */
LB_API int lb_macsec_sc_create(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint64_t sci);
/** Remove an SC with no SA installed (LB_E_BUSY otherwise). */
LB_API int lb_macsec_sc_remove(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir);
/** The SCI of an SC, LB_E_NOTFOUND when it does not exist. */
LB_API int lb_macsec_sc_get(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint64_t *sci);

/* ---- SAs ---- */

/**
 * Install an SA on the SC of dir with cfg and key (length fixed by the SecY's cipher). The
 * key goes to the hardware and nowhere else; key is only read. A transmit SA is not used
 * until lb_macsec_tx_sa_activate (the first one installed is used at once).
 */
LB_API int lb_macsec_sa_install(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				const struct lb_macsec_sa_config *cfg, const struct lb_macsec_key *key);
/** Retire (remove) an SA, its key erased on the chip. LB_E_BUSY: the transmit SA in use. */
LB_API int lb_macsec_sa_retire(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir, uint32_t an);
/** Switch transmit to the installed SA an. */
LB_API int lb_macsec_tx_sa_activate(struct lb_switch *sw, uint32_t port, uint32_t an);
/** An SA's state now (sized), read from the chip. */
LB_API int lb_macsec_sa_get_status(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				   uint32_t an, struct lb_macsec_sa_status *st);
/**
 * Key rollover without loss, in one call: install next (cfg->an, which must be free on both
 * SCs) on receive with the peer's lowest PN rx_pn, then on transmit with cfg->pn, switch
 * transmit to it, then retire the old SA on transmit and on receive. On a failure part-way,
 * what was done is undone where that loses nothing (the new SA removed while transmit still
 * uses the old one) and the status says which step failed.
 */
LB_API int lb_macsec_rollover(struct lb_switch *sw, uint32_t port, const struct lb_macsec_sa_config *cfg,
			      uint64_t rx_pn, const struct lb_macsec_key *key);

/* ---- counters ---- */

/** An SA's counters (sized); an = LB_MACSEC_AN_SC: the SC's (its SAs' sums and its own). */
LB_API int lb_macsec_counters_read(struct lb_switch *sw, uint32_t port, enum lb_macsec_dir dir,
				   uint32_t an, struct lb_macsec_counters *c);
#define LB_MACSEC_AN_SC 0xFFu

/* ---- keys and names ---- */

/** Zeroise a key (explicit_bzero: not optimised away). NULL is allowed. */
LB_API void lb_macsec_key_clear(struct lb_macsec_key *key);
/** Key bytes the cipher takes: 16 or 32; 0 for an unknown cipher. */
LB_API size_t lb_macsec_key_len(enum lb_macsec_cipher cipher);
/** The last PN of the cipher (2^32 - 1, or 2^64 - 1 for XPN). */
LB_API uint64_t lb_macsec_pn_max(enum lb_macsec_cipher cipher);
/** "gcm-aes-128", "gcm-aes-256", "gcm-aes-xpn-128", "gcm-aes-xpn-256"; "?" otherwise. */
LB_API const char *lb_macsec_cipher_name(enum lb_macsec_cipher cipher);
/** The cipher named so; LB_E_NOTFOUND otherwise. */
LB_API int lb_macsec_cipher_parse(const char *name, enum lb_macsec_cipher *cipher);

LB_END_DECLS
#endif
