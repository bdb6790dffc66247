/* SPDX-License-Identifier: MIT */
/*
 * Module firmware management over CDB (CMIS 5.4 section 9.7; docs/firmware.md): what the module
 * offers (0041h), its images (0100h), and an upgrade that never leaves it without a bootable
 * image: only the inactive image is written, the download is aborted on any failure, image
 * status is read back before Run and before Commit, and an image that has not run is never
 * committed. The upgrade is a long operation (lightbridge/op.h): steppable, cancellable, with
 * progress, and it holds the module's claim ("firmware update in progress") from start to end.
 *
 * Threads: as for the module. An upgrade object is stepped by one thread at a time; upgrades of
 * modules on different buses may run in parallel threads (one worker per bus).
 */
#ifndef LIGHTBRIDGE_FIRMWARE_H
#define LIGHTBRIDGE_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/op.h>

LB_BEGIN_DECLS

struct lb_module;

/** Firmware management features (CDB 0041h). Sized (common.h). */
struct lb_fw_features {
	size_t size;
	bool abort_supported;      /* 0102h */
	bool copy_supported;       /* 0108h */
	bool readback_supported;   /* 0105h/0106h */
	bool skip_erased;          /* blocks of the erased value may be skipped */
	bool write_lpl, write_epl; /* how blocks may be written (0103h, 0104h) */
	bool read_lpl, read_epl;
	bool hitless_restart;      /* 143: Run may keep traffic */
	uint8_t erased_byte;
	uint8_t header_size;       /* vendor header bytes Start (0101h) carries (StartCommandPayloadSize) */
	uint16_t lpl_block;        /* data bytes one 0103h carries (at most 116) */
	uint16_t epl_block;        /* data bytes one 0104h carries (0 without EPL) */
	/* Maximum durations the module advertises, ms (0: not advertised). */
	uint32_t start_ms, abort_ms, write_ms, complete_ms, copy_ms;
};
#define LB_FW_FEATURES_SIZE_V1 LB_SIZE_THROUGH(struct lb_fw_features, copy_ms)
/** Query 0041h. LB_E_NOTSUP: no CDB, or the module does not answer 0041h. */
LB_API int lb_module_fw_features(struct lb_module *m, struct lb_fw_features *out);

/** One image slot of lb_fw_info. */
struct lb_fw_image {
	bool version_known;        /* version fields below are filled */
	bool valid;                /* not marked invalid or empty */
	bool running, committed;
	uint8_t major, minor;
	uint16_t build;
	char extra[33];            /* the extra string, NUL-terminated, trailing NULs and spaces dropped */
};
enum lb_fw_slot { LB_FW_IMAGE_A = 0, LB_FW_IMAGE_B = 1, LB_FW_IMAGE_FACTORY = 2 };

/** Firmware images (CDB 0100h). Sized (common.h). */
struct lb_fw_info {
	size_t size;
	uint8_t status;               /* 0100h byte 136 as read */
	struct lb_fw_image image[3];  /* indexed by enum lb_fw_slot */
	/*
	 * What the image status says about an earlier upgrade, for the caller to act on:
	 * LB_FW_STATE_OK, or one of the others with lb_fw_state_advice() saying what to do.
	 */
	int state;
};
#define LB_FW_INFO_SIZE_V1 LB_SIZE_THROUGH(struct lb_fw_info, state)
enum lb_fw_state {
	LB_FW_STATE_OK = 0,           /* the running image is committed, the other valid or absent */
	LB_FW_STATE_INACTIVE_INVALID, /* the inactive image is invalid: a download that did not end */
	LB_FW_STATE_NOT_COMMITTED,    /* the running image is not the committed one: run, not committed */
	LB_FW_STATE_FACTORY,          /* neither A nor B runs: the boot loader or factory image does */
};
/** Query 0100h. */
LB_API int lb_module_fw_info(struct lb_module *m, struct lb_fw_info *out);
/** One sentence on what state means and what to do (static). */
LB_API const char *lb_fw_state_advice(int state);

/** How blocks are written. */
enum lb_fw_method { LB_FW_METHOD_AUTO = 0, LB_FW_METHOD_LPL = 1, LB_FW_METHOD_EPL = 2 };

/** What an upgrade does. Sized, filled by the caller (common.h). */
struct lb_fw_upgrade_config {
	size_t size;
	const uint8_t *image;       /* the whole file: vendor header first; the caller's, kept
				     * until the upgrade is freed */
	size_t len;
	enum lb_fw_method method;   /* AUTO: EPL where the module writes EPL, else LPL */
	bool run;                   /* Run the new image (0109h, mode 00h: reset into it) */
	bool commit;                /* then commit it (010Ah); needs run */
	uint16_t run_delay_ms;      /* Run's delay before the reset */
	/*
	 * A module that wants a password before firmware commands (it fails them with 46h):
	 * with use_password, the upgrade asks Query status (0000h) first and, when no password
	 * is accepted yet, enters this one (0001h, lb_module_cdb_password). Without it such a
	 * module fails the upgrade with LB_E_PERM at the first command, nothing written.
	 */
	bool use_password;
	uint32_t password;
	/* Run's mode (V3): LB_FW_RUN_RESET_INACTIVE (0), or 1 or 4 (the new image too) */
	uint8_t run_mode;
};
#define LB_FW_UPGRADE_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_fw_upgrade_config, run_delay_ms)
#define LB_FW_UPGRADE_CONFIG_SIZE_V2 LB_SIZE_THROUGH(struct lb_fw_upgrade_config, password)
#define LB_FW_UPGRADE_CONFIG_SIZE_V3 LB_SIZE_THROUGH(struct lb_fw_upgrade_config, run_mode)

/** Phases of an upgrade, in order. */
enum lb_fw_phase {
	LB_FW_PHASE_CHECK = 0,  /* features and images read, the target chosen */
	LB_FW_PHASE_START,      /* 0101h */
	LB_FW_PHASE_WRITE,      /* 0103h / 0104h blocks */
	LB_FW_PHASE_COMPLETE,   /* 0107h: the module validates the image */
	LB_FW_PHASE_RUN,        /* 0109h, then the module resets and comes back */
	LB_FW_PHASE_COMMIT,     /* 010Ah */
	LB_FW_PHASE_DONE,
	LB_FW_PHASE_ABORT,      /* a failure or a cancel: 0102h, the old image still runs */
};
/** Name of a phase ("write", "complete"). */
LB_API const char *lb_fw_phase_name(int phase);

/** Where an upgrade is. Sized (common.h). */
struct lb_fw_progress {
	size_t size;
	int phase;                  /* enum lb_fw_phase */
	int target;                 /* enum lb_fw_slot written */
	uint64_t bytes_done, bytes_total;   /* image bytes after the header */
	uint32_t blocks_done, blocks_total;
	enum lb_fw_method method;   /* what is used */
	uint64_t started_ns;        /* bus clock at the start */
	uint64_t module_ns;         /* time the module spent on commands (trigger to done, less the poll after) */
};
#define LB_FW_PROGRESS_SIZE_V1 LB_SIZE_THROUGH(struct lb_fw_progress, module_ns)

struct lb_fw_upgrade;
/**
 * Start an upgrade of m with cfg (copied; the image bytes are not) under op (NULL: the module's
 * own bounds, no cancel, no progress). Takes the module's claim first (LB_E_BUSY when another
 * holds it). No bus traffic beyond the claim: the first step reads what the module offers.
 * LB_E_INVAL for a bad config (no image, an image shorter than the vendor header, commit
 * without run). *out is freed with lb_fw_upgrade_free.
 */
LB_API int lb_fw_upgrade_start(struct lb_module *m, const struct lb_fw_upgrade_config *cfg,
			       const struct lb_op *op, struct lb_fw_upgrade **out);
/**
 * One step: LB_E_AGAIN with *wake_ns (bus clock) when the next step is due, LB_OK when the
 * upgrade is done, or the failure (the download was aborted first and the module left on its
 * old image; the detail names the phase). LB_E_CANCELED after a cancel (op's flag): aborted too.
 */
LB_API int lb_fw_upgrade_step(struct lb_fw_upgrade *up, uint64_t *wake_ns);
/** Step to the end, sleeping the bus clock between steps. */
LB_API int lb_fw_upgrade_run(struct lb_fw_upgrade *up);
LB_API int lb_fw_upgrade_get_progress(const struct lb_fw_upgrade *up, struct lb_fw_progress *out);
/** Release the claim and free. An upgrade not finished is aborted first (0102h). */
LB_API void lb_fw_upgrade_free(struct lb_fw_upgrade *up);

/** Run modes (0109h byte 137, CMIS 5.4 Table 9-17). */
enum lb_fw_run_mode {
	LB_FW_RUN_RESET_INACTIVE = 0,    /* reset and start the inactive image */
	LB_FW_RUN_HITLESS_INACTIVE = 1,  /* switch to the inactive image, hitless where it can */
	LB_FW_RUN_RESET_RUNNING = 2,     /* reset and restart the running image */
	LB_FW_RUN_HITLESS_RUNNING = 3,   /* restart the running image, hitless where it can */
	LB_FW_RUN_PRESERVE_INACTIVE = 4, /* switch to the inactive image, configuration kept (5.4) */
	LB_FW_RUN_PRESERVE_RUNNING = 5,  /* restart the running image, configuration kept (5.4) */
};

/**
 * After an upgrade without run or commit: Run (0109h mode 00h, reset into the inactive image,
 * then wait for the module to come back and check the image runs) and Commit (010Ah, only for
 * the running image, checked after). Both hold the claim while they work.
 */
LB_API int lb_module_fw_run(struct lb_module *m, uint16_t delay_ms);
/**
 * Run in any mode: the inactive image (modes 0, 1, 4) or the running one (2, 3, 5) must run
 * afterwards, checked with 0100h. A reset is waited for (the module NACKs, then CdbStatus reads
 * 00h); a hitless mode may end without one, on CdbStatus success. A mode the module does not
 * offer is its failure code (LB_E_CDB: 66h hitless activation not available, 67h configuration
 * preservation not available). LB_E_INVAL: mode above 5; LB_E_STATE: the image to start is not
 * valid (nothing sent).
 */
LB_API int lb_module_fw_run_mode(struct lb_module *m, enum lb_fw_run_mode mode, uint16_t delay_ms);
LB_API int lb_module_fw_commit(struct lb_module *m);
/** Abort a download in progress (0102h). */
LB_API int lb_module_fw_abort(struct lb_module *m);

/**
 * Read back len bytes of the image last downloaded, from byte addr of its body (after the
 * vendor header, as the blocks were written), with 0106h through the EPL pages where the
 * module reads EPL, else 0105h (at most 116 bytes a command). Only where the module
 * advertises read-back (lb_fw_features.readback_supported): LB_E_NOTSUP otherwise.
 * LB_E_CDB with the module's code when it refuses (42h past the image, 47h nothing to read).
 * Under the module's claim (taken here unless this handle holds it). buf: len bytes.
 */
LB_API int lb_module_fw_read(struct lb_module *m, uint32_t addr, uint8_t *buf, size_t len);

/**
 * Check the image last downloaded against the file it came from: image is the whole file as
 * given to lb_fw_upgrade_start (vendor header first, len bytes); its body (after the header
 * the module advertises, lb_fw_features.header_size) is read back with lb_module_fw_read and
 * compared byte for byte. Do it after an upgrade without run, before lb_module_fw_run: an
 * image that does not read back as written is never run. LB_OK: the module holds exactly the
 * body. LB_E_CHECKSUM: it holds something else; the detail names the first byte that differs
 * (its offset in the file) and both values. LB_E_NOTSUP: the module does not advertise
 * read-back; LB_E_INVAL: image NULL or not longer than the header; LB_E_CDB: the module
 * refuses (47h: nothing downloaded; 42h: the download was shorter than the file). Bounded:
 * one read command per EPL piece or per 116 bytes, each bounded by the advertised write time.
 * Under the module's claim (taken here unless this handle holds it).
 */
LB_API int lb_module_fw_verify(struct lb_module *m, const uint8_t *image, size_t len);

/**
 * Copy the running, committed image over the other one (0108h: from LB_FW_IMAGE_A or
 * LB_FW_IMAGE_B), then check with 0100h that the other image is valid and shows the same
 * version. Only where advertised (lb_fw_features.copy_supported): LB_E_NOTSUP otherwise.
 * LB_E_STATE: from is not the running committed image (nothing sent); LB_E_INVAL: from is
 * not A or B. Under the module's claim. Bounded by the advertised copy duration.
 */
LB_API int lb_module_fw_copy(struct lb_module *m, int from);

LB_END_DECLS
#endif
