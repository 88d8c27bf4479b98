// Error codes of the device area: code → one-line meaning (what happened and what to do). Append-only.
// Most are carried by events (document.rejected, decode errors), not thrown: unplugged devices are events.
export const deviceCodes = {
  E_SAM_JUNK:
    'Bytes before a SAM frame preamble were skipped (line noise or a partial frame); harmless once.',
  E_SAM_CHECKSUM: 'A SAM frame failed its XOR checksum and was dropped; the decoder resynced.',
  E_SAM_LENGTH:
    'A SAM frame had a length field out of range (zero or above the limit); dropped and resynced.',
  E_SAM_PAYLOAD: 'A card read reply whose text/photo/fingerprint length fields do not add up.',
  E_SAM_HID_REPORT: 'A USB-HID report from the ID reader had an invalid length byte.',
  E_SAM_TIMEOUT: 'The ID reader did not answer a command in time; the partial frame was dropped.',
  E_SAM_STATUS: 'The SAM answered with an error status (SW3); the message names it (e.g. read-failed 0x41).',
  E_SAM_NO_SAM: 'The ID reader answered no status command at any configured baud rate.',
  E_CARD_TEXT: 'The card text block could not be parsed (too short or unknown card type).',
  E_CARD_REMOVED:
    'The card was moved or removed during the read (SW3 0x41); ask the person to place it again.',
  E_MRZ_OVERFLOW: 'The MRZ reader sent more bytes than a message can hold without an end; dropped.',
  E_MRZ_BAD_BYTES: 'The MRZ reader sent a message without any MRZ line, or a partial message was cut off.',
  E_MRZ_SHAPE: 'The MRZ lines do not form a TD1, TD2, TD3, MRV-A, MRV-B or CS/CD permit zone.',
  E_SCAN_REPORT: 'A HID POS report was not a scanned-data report or had an impossible byte count.',
  E_SCAN_OVERFLOW: 'A scan exceeded the maximum length without ending; dropped.',
  E_RELAY_FRAME: 'A relay frame was malformed (simulator side) or a relay state report too short.',
  E_RELAY_UNAVAILABLE: 'The gate relay is not connected; the pulse was not sent.',
  E_DEVICE_OPEN: 'A device could not be opened (missing, busy or no permission: see docs/hardware.md, udev).',
  E_DEVICE_NOT_FOUND: 'No device matched the configured path or USB vid/pid.',
  E_PHOTO_UNSUPPORTED:
    'The card photo is in a format the configured photo decoder cannot handle (e.g. WLT without a vendor library).',
  E_PHOTO_DECODER_CRASHED:
    'The vendor photo library crashed its child process; the kiosk kept running and restarts it.',
  E_PHOTO_DECODER_TIMEOUT: 'The vendor photo library took too long; its child process was killed.',
  E_PHOTO_DECODER_FAILED: 'The vendor photo library returned an error code or could not be loaded.',
  E_SAM_TRUNCATED:
    'A byte capture ended inside a SAM frame (decode CLI); the partial frame is reported, not decoded.',
} as const satisfies Record<`E_${string}`, string>;
