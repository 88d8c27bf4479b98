// Config section 'devices': every key has a default; unknown keys fail. See docs/hardware.md for each device.
// A device is found by `path` when set, else by USB `vid`/`pid` (serial ports via their USB descriptors,
// HID devices via hidraw). All devices are disabled by default; demo mode points them at the simulator rig.
import { z } from 'zod';

const usbId = z.number().int().min(0).max(0xffff).nullable().default(null);

/** Where a device is and how often to look for it again after it was unplugged. */
const locate = {
  /** Serial port path (/dev/ttyUSB0, /dev/serial/by-id/…) or hidraw path. '' = find by vid/pid. */
  path: z.string().default(''),
  /** USB vendor id (e.g. 0x1a86). null = any. Used when `path` is ''. */
  vid: usbId,
  /** USB product id. null = any. */
  pid: usbId,
  /** How often to try again while the device is missing (ms). Reconnect happens within 2 s at the default. */
  reconnectIntervalMs: z.number().int().min(50).max(10_000).default(500),
};

export const readerSection = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** 'serial' (RS-232, USB-serial, CDC) or 'hid' (vendor 64-byte report wrapper). */
    transport: z.enum(['serial', 'hid']).default('serial'),
    ...locate,
    /** Baud rates to try in order until the SAM answers its status command (115200 modern, 9600 older). */
    baudRates: z.array(z.number().int().positive()).min(1).default([115200, 9600]),
    /** Timeout for status/find/select replies (ms). */
    commandTimeoutMs: z.number().int().min(50).max(10_000).default(500),
    /** Timeout for the read reply (ms); raised automatically to the wire time at low baud rates plus margin. */
    readTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
    /** Card polling period (ms). */
    pollIntervalMs: z.number().int().min(20).max(10_000).default(300),
    /** Read with fingerprint (`30 10`) instead of `30 01`. */
    readFingerprint: z.boolean().default(false),
    /** Also ask for the newest appended address (`30 03`). */
    readNewAddress: z.boolean().default(true),
    /** Consecutive "no card" answers needed before the same card may be read again. */
    liftConfirmPolls: z.number().int().min(1).max(20).default(1),
  })
  .prefault({});

export const mrzSection = z
  .strictObject({
    enabled: z.boolean().default(false),
    transport: z.enum(['serial']).default('serial'),
    ...locate,
    baudRate: z.number().int().positive().default(9600),
    /** A message without ETX ends after this much silence (ms). */
    interByteTimeoutMs: z.number().int().min(5).max(2000).default(80),
    /** 3M RTE readers send a flag byte after STX. */
    flagAfterStx: z.boolean().default(false),
  })
  .prefault({});

export const scannerSection = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** 'serial' (USB-COM/CDC mode, CR suffix) or 'hid-pos' (usage page 0x8C via node-hid). */
    transport: z.enum(['serial', 'hid-pos']).default('serial'),
    ...locate,
    baudRate: z.number().int().positive().default(9600),
    /** Serial mode: lines start with the AIM identifier (scanner set to transmit it). */
    aimPrefix: z.boolean().default(true),
  })
  .prefault({});

export const relaySection = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** 'lcus' (CH340 serial board, A0 ch op sum) or 'dcttech' (USBRelayN HID board, 16C0:05DF). */
    kind: z.enum(['lcus', 'dcttech']).default('lcus'),
    ...locate,
    baudRate: z.number().int().positive().default(9600),
    /** Relay channel wired to the gate's "open" input. */
    channel: z.number().int().min(1).max(8).default(1),
    /** Pulses shorter than this are lengthened (STC boards ignore OFF < ~80 ms after ON). */
    minPulseMs: z.number().int().min(20).max(5000).default(150),
    /** Pulses longer than this are shortened: the relay is never left on. */
    maxPulseMs: z.number().int().min(50).max(30_000).default(3000),
  })
  .prefault({});

export const photoSection = z
  .strictObject({
    /** 'passthrough': readers that deliver BMP/JPEG/PNG; 'wlt-ffi': vendor WLT library in a child process; 'none'. */
    decoder: z.enum(['passthrough', 'wlt-ffi', 'none']).default('passthrough'),
    /** Path of the vendor shared library (e.g. /opt/reader/lib/libwlt2bmp.so). */
    library: z.string().default(''),
    /** C prototype, koffi syntax. The first pointer gets the 1024 WLT bytes, the second the output buffer. */
    prototype: z.string().default('int unpack(char* wlt, char* bmp, int mode)'),
    /** Extra integer arguments after the two buffers. */
    extraArgs: z.array(z.number().int()).default([1]),
    /** Output buffer size: 38862 = 102×126 24-bit BMP; 38556 = raw BGR. */
    outputBytes: z.number().int().min(1024).max(1_000_000).default(38862),
    /** Return value that means success (vendors use 1 or 0). */
    successReturn: z.number().int().default(1),
    /** A decode slower than this kills the child process (ms). */
    timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  })
  .prefault({});

export const devicesSection = z
  .strictObject({
    reader: readerSection,
    mrz: mrzSection,
    scanner: scannerSection,
    relay: relaySection,
    photo: photoSection,
  })
  .prefault({});

export type DevicesConfig = z.infer<typeof devicesSection>;
export type DevicesConfigInput = z.input<typeof devicesSection>;
export type ReaderConfig = z.infer<typeof readerSection>;
export type MrzReaderConfig = z.infer<typeof mrzSection>;
export type ScannerConfig = z.infer<typeof scannerSection>;
export type RelayConfig = z.infer<typeof relaySection>;
export type PhotoConfig = z.infer<typeof photoSection>;
