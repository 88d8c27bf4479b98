// Demo mode: the devices config that points every device at a running simulator rig.
//   const rig = await startRig(dir); const hub = createDeviceHub(devicesSection.parse(demoDevicesConfig(rig.paths)))
// The photo decoder is 'passthrough' (the simulated WLT blobs carry no picture: documents arrive without a
// portrait unless a vendor library or a test library is configured).
import type { DevicesConfigInput } from '../../config/schema/devices.ts';
import type { RigDevice } from './rig.ts';

export function demoDevicesConfig(paths: Readonly<Record<RigDevice, string>>): DevicesConfigInput {
  return {
    reader: { enabled: true, path: paths.reader, pollIntervalMs: 200 },
    mrz: { enabled: true, path: paths.mrz },
    scanner: { enabled: true, path: paths.scanner },
    relay: { enabled: true, path: paths.relay },
    photo: { decoder: 'passthrough' },
  };
}
